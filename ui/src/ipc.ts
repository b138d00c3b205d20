// How the window calls the backend: `invoke` for a command that only reads,
// `write` for one that writes the local cache or sends it (its Rust result is
// `Writes<T>`). Whoever shows what the cache holds (the status bar's
// 待发送 N 条) takes a fresh reading after every `write`.
import { invoke } from "@tauri-apps/api/core";
import type { InvokeArgs } from "@tauri-apps/api/core";

export { invoke };

const afterWrite = new Set<() => void>();

/** Calls `listener` after every command that writes; returns the unsubscribe. */
export function onWrite(listener: () => void): () => void {
  afterWrite.add(listener);
  return () => afterWrite.delete(listener);
}

export async function write<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } finally {
    // A command that failed may have written before it failed.
    afterWrite.forEach((listener) => listener());
  }
}
