import type { Component } from "vue";
import type { AppModule } from "../api";

/** A module of the window: its page under /app/<name> and its texts. */
export interface UiModule {
  /** One of the backend's modules (mz-domain's `AppModule`). */
  name: AppModule;
  /** The page, loaded when first opened. */
  page: () => Promise<Component>;
  /** Its zh-CN texts, merged into the catalogue under their own keys. */
  messages: Record<string, unknown>;
  /**
   * What waits for the user in it, shown beside its name in the navigation:
   * the length of the list the module counts (read again whenever the cache
   * moves on), or none.
   */
  badge?: () => Promise<number>;
}
