// The one line a screen shows about its last action: what was done, or the
// error a command failed with.
import { ref } from "vue";
import { useI18n } from "vue-i18n";
import { commandError } from "./api";
import { failureText } from "./messages";

export function useNotice() {
  const { t } = useI18n();
  const message = ref("");
  const failed = ref(false);
  function fail(e: unknown) {
    failed.value = true;
    message.value = failureText(commandError(e), t);
  }
  function done(text: string) {
    failed.value = false;
    message.value = text;
  }
  return { message, failed, fail, done };
}
