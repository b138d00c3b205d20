// This machine's printers and the one chosen, with its kept calibration
// offset (the offset every print on that printer is shifted by).
import { reactive, shallowRef } from "vue";
import { api, type PrinterInfo } from "./api";

export function usePrinters() {
  const printers = shallowRef<PrinterInfo[]>([]);
  const chosen = reactive({ printer: "", x: 0, y: 0 });

  function choose(name: string) {
    const printer = printers.value.find((p) => p.name === name);
    chosen.printer = name;
    chosen.x = printer?.offset_x_mm ?? 0;
    chosen.y = printer?.offset_y_mm ?? 0;
  }

  /** Reads the printers again; the first (the default) is chosen if none is. */
  async function load() {
    printers.value = await api.printers();
    if (printers.value.length && !chosen.printer) choose(printers.value[0].name);
  }

  return { printers, chosen, choose, load };
}
