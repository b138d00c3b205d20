// The window's modules: one line each. Which of them a user sees is the
// backend's answer (mz-domain's access table), never decided here; a module
// the backend lists that has no folder yet shows its placeholder page.
import figures from "./figures";
import funeral from "./funeral";
import library from "./library";
import marriage from "./marriage";
import office from "./office";
import print from "./print";
import schedule from "./schedule";
import type { UiModule } from "./types";

export const uiModules: UiModule[] = [office, marriage, funeral, schedule, print, library, figures];

/** The texts of every module, to merge into the catalogue. */
export function moduleMessages(): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  for (const module of uiModules) {
    for (const [key, value] of Object.entries(module.messages)) {
      if (key in all) throw new Error(`two modules define the texts of "${key}"`);
      all[key] = value;
    }
  }
  return all;
}
