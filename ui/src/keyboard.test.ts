import { beforeEach, describe, expect, it, vi } from "vitest";
import { onFormKeydown, stops } from "./keyboard";

// A form shaped as Element Plus renders the counter's: text fields, a select
// (its readonly input), a radio group, a checkbox.
function form(): HTMLFormElement {
  document.body.innerHTML = `
    <form id="f">
      <input id="doc" type="text" />
      <div class="el-select"><div class="el-select__wrapper"><input id="kind" class="el-select__input" readonly aria-expanded="false" /></div></div>
      <input id="name" type="text" />
      <div class="el-radio-group"><input id="male" type="radio" name="sex" /><input id="female" type="radio" name="sex" /></div>
      <input id="phone" type="text" />
      <input id="photo" type="file" />
      <input id="agree" type="checkbox" />
    </form>`;
  return document.getElementById("f") as HTMLFormElement;
}

function enter(target: HTMLElement, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true, ...init });
  Object.defineProperty(event, "target", { value: target });
  return event;
}

describe("the counter's keyboard path", () => {
  let f: HTMLFormElement;
  beforeEach(() => {
    f = form();
  });

  it("stops once at each control, once per radio group, never at a file picker", () => {
    expect(stops(f).map((el) => el.id)).toEqual(["doc", "kind", "name", "male", "phone", "agree"]);
  });

  it("moves on from a select and from a radio group with Enter", () => {
    const submit = vi.fn();
    const at = (id: string) => document.getElementById(id) as HTMLElement;
    onFormKeydown(enter(at("kind")), f, submit);
    expect(document.activeElement?.id).toBe("name");
    onFormKeydown(enter(at("female")), f, submit);
    expect(document.activeElement?.id).toBe("phone");
    expect(submit).not.toHaveBeenCalled();
  });

  it("leaves Enter to an open dropdown, to choose", () => {
    const kind = document.getElementById("kind") as HTMLElement;
    kind.setAttribute("aria-expanded", "true");
    kind.focus();
    const event = enter(kind);
    onFormKeydown(event, f, vi.fn());
    expect(event.defaultPrevented).toBe(false);
    expect(document.activeElement?.id).toBe("kind");
  });

  it("submits with Ctrl+Enter from anywhere in the form", () => {
    const submit = vi.fn();
    onFormKeydown(enter(document.getElementById("male") as HTMLElement, { ctrlKey: true }), f, submit);
    expect(submit).toHaveBeenCalledOnce();
  });
});
