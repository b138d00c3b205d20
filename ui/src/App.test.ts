// The window before anything else: when the backend cannot start because the
// system's credential store is locked or missing, it says so and retries,
// instead of a blank white window. The Tauri bridge is the boundary here.
import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createI18n } from "vue-i18n";
import { createMemoryHistory, createRouter } from "vue-router";
import App from "./App.vue";
import shell from "./i18n/zh-CN";

const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

function mountApp() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/", component: { template: "<p>start</p>" } },
      { path: "/login", component: { template: "<p id='login'>login</p>" } },
    ],
  });
  const i18n = createI18n({ legacy: false, locale: "zh-CN", messages: { "zh-CN": shell } });
  return mount(App, { global: { plugins: [router, i18n] } });
}

describe("the window at start", () => {
  afterEach(() => {
    vi.useRealTimers();
    invoke.mockReset();
  });

  it("says the credential store is locked, and starts once it opens", async () => {
    vi.useFakeTimers();
    invoke.mockRejectedValueOnce({ code: "credential_store", message: "the Secret Service is locked", issues: [] });
    const app = mountApp();
    await flushPromises();
    const failure = app.find("#start-failure");
    expect(failure.exists()).toBe(true);
    expect(failure.text()).toContain("钥匙环");
    expect(failure.text()).toContain("每隔 5 秒自动重试");

    invoke.mockResolvedValueOnce({ phase: "login", mode: { mode: "standalone" }, notice: null });
    vi.advanceTimersByTime(5000);
    await flushPromises();
    expect(app.find("#start-failure").exists()).toBe(false);
    expect(invoke).toHaveBeenCalledTimes(2);
    expect(invoke).toHaveBeenLastCalledWith("phase");
  });
});
