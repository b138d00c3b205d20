import { describe, expect, it } from "vitest";
import { commandError } from "./api";
import { failure, failureText } from "./messages";
import shell from "./i18n/zh-CN";

// The catalogue's lookup, as vue-i18n does it: the key itself when missing.
const t = (key: string) => {
  const found = key.split(".").reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], shell);
  return typeof found === "string" ? found : key;
};

describe("what the window says about a failure", () => {
  it("keeps a Chinese message as it is", () => {
    expect(failureText({ code: "invalid_input", message: "请填写不予登记的理由", issues: [] }, t)).toBe("请填写不予登记的理由");
  });

  it("says an English message of the backend in its code's Chinese", () => {
    expect(failureText({ code: "offline", message: "error sending request for url", issues: [] }, t)).toBe("无法连接平台，请检查网络后重试");
  });

  it("takes an argument Tauri could not read for bad input, not a broken cache", () => {
    const error = commandError("invalid args `form` for command `prepare_marriage`: input is out of range");
    expect(error.code).toBe("invalid_input");
    expect(failureText(error, t)).toBe("输入的内容格式不对，请检查后重试");
  });

  it("puts the rules' issues beside their fields, in red", () => {
    const { notice, fields } = failure(
      { code: "invalid_input", message: "rules", issues: [{ field: "parties[1].phone", message: "手机号码为 11 位数字，以 13 至 19 开头" }] },
      t,
    );
    expect(notice).toEqual({ kind: "error", text: "请按提示修改标红的项目" });
    expect(fields).toEqual({ "parties[1].phone": "手机号码为 11 位数字，以 13 至 19 开头" });
  });

  it("never shows a code it does not know as the code", () => {
    expect(failureText({ code: "unheard_of" as never, message: "boom", issues: [] }, t)).toBe("输入的内容格式不对，请检查后重试");
  });
});
