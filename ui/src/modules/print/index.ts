import type { UiModule } from "../types";
import messages from "./zh-CN";

export default {
  name: "print",
  page: () => import("./PrintCenter.vue"),
  messages,
} satisfies UiModule;
