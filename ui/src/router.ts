import { createRouter, createWebHashHistory } from "vue-router";
import Setup from "./views/Setup.vue";
import Login from "./views/Login.vue";
import Shell from "./views/Shell.vue";
import ModulePage from "./views/ModulePage.vue";
import Settings from "./views/Settings.vue";
import Locked from "./views/Locked.vue";
import Marriage from "./views/Marriage.vue";
import PrintCenter from "./views/PrintCenter.vue";

export const modules = ["office", "schedule", "marriage", "funeral", "print"] as const;

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: "/", redirect: "/start" },
    { path: "/start", component: { render: () => null } },
    { path: "/setup", component: Setup },
    { path: "/login", component: Login },
    { path: "/locked", component: Locked },
    {
      path: "/app",
      component: Shell,
      children: [
        { path: "marriage", component: Marriage },
        { path: "print", component: PrintCenter },
        ...modules.filter((name) => name !== "marriage" && name !== "print").map((name) => ({ path: name, component: ModulePage, props: { name } })),
        { path: "settings", component: Settings },
      ],
    },
  ],
});
