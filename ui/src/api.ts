// The one typed module through which the UI calls the backend. The wrappers
// (./commands.ts) and the types (./bindings.ts) are both generated from the
// Rust side: the commands' signatures and the types they take and return.
import type { CommandError } from "./bindings";
import { commands } from "./commands";

export type * from "./bindings";
export { onWrite } from "./ipc";

export const api = commands;

/**
 * The error a command failed with, as `{code, message, issues}`. Tauri itself
 * refuses arguments that do not read as the command's types, with a text of
 * its own (`invalid args …`): that is bad input, not a broken cache.
 */
export function commandError(e: unknown): CommandError {
  if (typeof e === "object" && e !== null && "code" in e) return e as CommandError;
  const text = String(e);
  const code = /^invalid args\b/.test(text) ? "invalid_input" : "local_store";
  return { code, message: text, issues: [] };
}
