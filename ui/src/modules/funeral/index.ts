import type { UiModule } from "../types";
import messages from "./zh-CN";

export default {
  name: "funeral",
  page: () => import("./Funeral.vue"),
  messages,
} satisfies UiModule;
