import type { UiModule } from "../types";
import messages from "./zh-CN";

export default {
  name: "schedule",
  page: () => import("./Schedule.vue"),
  messages,
} satisfies UiModule;
