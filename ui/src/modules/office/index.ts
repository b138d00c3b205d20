import type { UiModule } from "../types";
import messages from "./zh-CN";

export default {
  name: "office",
  page: () => import("./Office.vue"),
  messages,
} satisfies UiModule;
