import { createRouter, createWebHashHistory } from "vue-router";
import Setup from "./views/Setup.vue";
import Login from "./views/Login.vue";
import Shell from "./views/Shell.vue";
import Locked from "./views/Locked.vue";
import { uiModules } from "./modules";

// The module pages are loaded when first opened: the login screen and the
// first page after it parse only their own code.
const ModulePage = () => import("./views/ModulePage.vue");
const Settings = () => import("./views/Settings.vue");
const Search = () => import("./views/Search.vue");

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
        ...uiModules.map((module) => ({ path: module.name, component: module.page })),
        { path: "settings", component: Settings },
        { path: "search", component: Search },
        // A module the backend lists that has no folder under modules/ yet.
        { path: ":name", component: ModulePage, props: true },
      ],
    },
  ],
});
