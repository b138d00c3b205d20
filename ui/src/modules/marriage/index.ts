import type { UiModule } from "../types";
import messages from "./zh-CN";

export default {
  name: "marriage",
  page: () => import("./Marriage.vue"),
  messages,
} satisfies UiModule;
