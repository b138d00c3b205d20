import { createApp } from "vue";
import { createI18n } from "vue-i18n";
import "element-plus/theme-chalk/base.css";
// Element Plus's calendars in Chinese, their weeks from Monday (dayjs's zh-cn).
import "dayjs/locale/zh-cn";
import App from "./App.vue";
import { router } from "./router";
import shell from "./i18n/zh-CN";
import { moduleMessages } from "./modules";

const modules = moduleMessages();
for (const key of Object.keys(modules)) {
  if (key in shell) throw new Error(`a module redefines the shell's texts of "${key}"`);
}
const i18n = createI18n({ legacy: false, locale: "zh-CN", messages: { "zh-CN": { ...shell, ...modules } } });

createApp(App).use(router).use(i18n).mount("#app");
