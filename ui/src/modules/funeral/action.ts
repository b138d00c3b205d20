// One step of the desk taken from a panel: the step runs once at a time; its
// refusal names what is missing beside each field and, all of it, in the
// notice (so the clerk reads exactly which check stops the case); success
// says what was done and tells the screen to read the case again.
import { ref } from "vue";
import { commandError } from "../../api";
import { failureText, type Notice } from "../../messages";

type Translate = (key: string, values?: Record<string, unknown>) => string;

export function useAction(t: Translate, changed: () => void) {
  const errors = ref<Record<string, string>>({});
  const notice = ref<Notice | null>(null);
  const busy = ref(false);

  function fail(e: unknown) {
    const error = commandError(e);
    errors.value = Object.fromEntries(error.issues.map((i) => [i.field, i.message]));
    notice.value = { kind: "error", text: error.issues.length ? error.issues.map((i) => i.message).join("；") : failureText(error, t) };
  }

  /** Runs `action`; `done` says what was done, from what the step gave back. */
  async function act<T>(action: () => Promise<T>, done: string | ((result: T) => string)) {
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    notice.value = null;
    try {
      const result = await action();
      notice.value = { kind: "success", text: typeof done === "string" ? done : done(result) };
      changed();
    } catch (e) {
      fail(e);
    } finally {
      busy.value = false;
    }
  }

  return { errors, notice, busy, act, fail };
}
