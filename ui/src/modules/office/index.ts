import type { UiModule } from "../types";
import { toDoCount } from "./office";
import messages from "./zh-CN";

export default {
  name: "office",
  page: () => import("./Office.vue"),
  messages,
  badge: toDoCount,
} satisfies UiModule;
