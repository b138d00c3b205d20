import { createApp } from "vue";
import { createI18n } from "vue-i18n";
import "element-plus/theme-chalk/base.css";
import App from "./App.vue";
import { router } from "./router";
import zhCN from "./i18n/zh-CN";

const i18n = createI18n({ legacy: false, locale: "zh-CN", messages: { "zh-CN": zhCN } });

createApp(App).use(router).use(i18n).mount("#app");
