// The sync state of the status bar, read once a second for every part of the
// window that needs it: the bar itself, and screens that follow what sync
// brings in (打印中心's draft list). One reading, however many readers.
import { onMounted, onUnmounted, ref } from "vue";
import { api, type Status } from "./api";

const status = ref<Status | null>(null);
const failure = ref<unknown>(null);
let readers = 0;
let timer: number | undefined;
// Which run of readings an answer belongs to: one still in flight when the
// last reader leaves (logout, lock) must not bring the old user back.
let run = 0;

async function refresh() {
  const mine = run;
  try {
    const now = await api.status();
    if (mine === run) {
      status.value = now;
      failure.value = null;
    }
  } catch (e) {
    if (mine === run) failure.value = e;
  }
}

/** The shared status, kept fresh while a component that uses it is mounted. */
export function useStatus() {
  onMounted(() => {
    if (readers++ === 0) {
      refresh();
      timer = window.setInterval(refresh, 1000);
    }
  });
  onUnmounted(() => {
    if (--readers === 0) {
      window.clearInterval(timer);
      run += 1;
      // Nobody shows it now; the next reader (perhaps another user) starts afresh.
      status.value = null;
      failure.value = null;
    }
  });
  return { status, failure };
}
