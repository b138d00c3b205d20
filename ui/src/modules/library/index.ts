import type { UiModule } from "../types";
import messages from "./zh-CN";

export default {
  name: "library",
  page: () => import("./Library.vue"),
  messages,
} satisfies UiModule;
