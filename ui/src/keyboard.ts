// The counter's keyboard path through a form: Enter moves to the next field
// (ID-card readers end what they type with Enter), through text fields,
// selects, radio groups and checkboxes alike; Ctrl+Enter submits from
// anywhere in the form. An open dropdown keeps its Enter, to choose.

/** The places Enter stops at, in order: one per control, one per radio group. */
export function stops(form: HTMLElement): HTMLElement[] {
  const all = Array.from(
    form.querySelectorAll<HTMLElement>(
      // A select's input is readonly: it is taken as the select's stop.
      "input:not([type=hidden]):not([type=file]):not([disabled]):not([readonly]), .el-select__wrapper input, textarea:not([disabled])",
    ),
  );
  const seenGroups = new Set<Element>();
  const result: HTMLElement[] = [];
  for (const el of all) {
    if (el.closest("[data-enter-skip]")) continue;
    if (el instanceof HTMLInputElement && el.type === "radio") {
      const group = el.closest(".el-radio-group") ?? el;
      if (seenGroups.has(group)) continue;
      seenGroups.add(group);
    }
    if (!result.includes(el)) result.push(el);
  }
  return result;
}

/** Whether the element is a select whose dropdown is open. */
function dropdownOpen(el: HTMLElement): boolean {
  return el.getAttribute("aria-expanded") === "true";
}

/**
 * The form's Enter: call from a keydown listener on the form in the capture
 * phase (`@keydown.capture`), so that no control swallows it first.
 */
export function onFormKeydown(event: KeyboardEvent, form: HTMLElement, submit: () => void) {
  if (event.key !== "Enter" || event.isComposing) return;
  const target = event.target as HTMLElement;
  if (event.ctrlKey || event.metaKey) {
    event.preventDefault();
    event.stopPropagation();
    submit();
    return;
  }
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLButtonElement || dropdownOpen(target)) return;
  event.preventDefault();
  event.stopPropagation();
  const list = stops(form);
  let at = list.indexOf(target);
  if (at < 0 && target instanceof HTMLInputElement && target.type === "radio") {
    const group = target.closest(".el-radio-group");
    at = list.findIndex((el) => group !== null && el.closest(".el-radio-group") === group);
  }
  const next = list[at + 1];
  if (next) {
    next.focus();
    if (next instanceof HTMLInputElement && next.type === "text") next.select();
  }
}
