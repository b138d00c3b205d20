import { createRouter, createWebHashHistory } from "vue-router";
import Setup from "./views/Setup.vue";
import Login from "./views/Login.vue";
import Shell from "./views/Shell.vue";
import Locked from "./views/Locked.vue";

// The module pages are loaded when first opened: the login screen and the
// first page after it parse only their own code.
const ModulePage = () => import("./views/ModulePage.vue");
const Settings = () => import("./views/Settings.vue");
const Marriage = () => import("./views/Marriage.vue");
const PrintCenter = () => import("./views/PrintCenter.vue");

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
