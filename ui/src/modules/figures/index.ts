import type { UiModule } from "../types";
import messages from "./zh-CN";

export default {
  name: "figures",
  page: () => import("./Dashboard.vue"),
  messages,
} satisfies UiModule;
