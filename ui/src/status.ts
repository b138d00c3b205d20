// The sync state of the status bar, read once a second for every part of the
// window that needs it: the bar itself, and screens that follow what sync
// brings in (打印中心's draft list). One reading, however many readers.
// Every command that writes to the local cache asks for a fresh reading
// when it is done (api.ts's onWrite), so "待发送 0 条" is never shown while
// an entry waits.
import { onMounted, onUnmounted, ref } from "vue";
import { api, onWrite, type Status } from "./api";

const status = ref<Status | null>(null);
const failure = ref<unknown>(null);
let readers = 0;
let timer: number | undefined;
// Which run of readings an answer belongs to: one still in flight when the
// last reader leaves (logout, lock) must not bring the old user back.
let run = 0;
// Readings are numbered as they are asked for; an answer older than the one
// shown is dropped (a reading asked before a save may come back after the
// one asked when the save was done).
let asked = 0;
let shown = 0;

/** Takes a fresh reading now (nothing when nobody shows it). */
export async function refreshStatus() {
  if (readers === 0) return;
  const mine = run;
  const number = ++asked;
  try {
    const now = await api.status();
    if (mine === run && number > shown) {
      shown = number;
      status.value = now;
      failure.value = null;
    }
  } catch (e) {
    if (mine === run && number > shown) {
      shown = number;
      failure.value = e;
    }
  }
}

onWrite(refreshStatus);

/** The shared status, kept fresh while a component that uses it is mounted. */
export function useStatus() {
  onMounted(() => {
    if (readers++ === 0) {
      refreshStatus();
      timer = window.setInterval(refreshStatus, 1000);
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
