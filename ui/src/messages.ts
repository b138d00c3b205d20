// What the window says after an action: a text in Chinese, coloured by what
// it is (an error is never green), and the fields it is about. Every command
// failure goes through here: the rules' issues go beside their fields, and a
// message the backend wrote in English for the logs (a malformed argument)
// becomes the Chinese text of its code.
import type { CommandError } from "./bindings";
import { commandError } from "./api";

export type NoticeKind = "success" | "error" | "warning" | "info";

export interface Notice {
  kind: NoticeKind;
  text: string;
}

type Translate = (key: string, values?: Record<string, unknown>) => string;

const chinese = /[\u3400-\u9fff]/;

/** The text of a failure: its own when it is Chinese, else its code's. */
export function failureText(error: CommandError, t: Translate): string {
  if (chinese.test(error.message)) return error.message;
  const key = `errors.${error.code}`;
  const text = t(key);
  return text === key ? t("errors.invalid_input") : text;
}

/** A failure as a notice and the messages for its fields (path → text). */
export function failure(e: unknown, t: Translate): { notice: Notice; fields: Record<string, string> } {
  const error = commandError(e);
  const fields = Object.fromEntries(error.issues.map((i) => [i.field, i.message]));
  const text = error.issues.length ? t("errors.fixFields") : failureText(error, t);
  return { notice: { kind: "error", text }, fields };
}

/**
 * Scrolls to and focuses the first field in error, in the order the form
 * shows them. `idOf` maps a field path to its input's id.
 */
export function focusFirstError(form: HTMLElement | null, fields: Record<string, string>, idOf: (path: string) => string) {
  if (!form) return;
  const targets = Object.keys(fields)
    .map((path) => form.querySelector<HTMLElement>(`#${CSS.escape(idOf(path))}`))
    .filter((el): el is HTMLElement => el !== null);
  targets.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const first = targets[0];
  if (!first) return;
  first.scrollIntoView({ block: "center" });
  first.focus();
}
