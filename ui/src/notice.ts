// The one line a screen shows about its last action: what was done, or the
// error a command failed with.
import { ref } from "vue";
import { commandError } from "./api";

export function useNotice() {
  const message = ref("");
  const failed = ref(false);
  function fail(e: unknown) {
    failed.value = true;
    message.value = commandError(e).message;
  }
  function done(text: string) {
    failed.value = false;
    message.value = text;
  }
  return { message, failed, fail, done };
}
