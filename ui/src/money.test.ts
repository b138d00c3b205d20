import { describe, expect, it } from "vitest";
import { readYuan, showYuan } from "./money";

describe("money in 元, kept in fen", () => {
  it.each([
    ["1080", 108000],
    ["1080.5", 108050],
    ["1,080.50", 108050],
    ["¥0.07", 7],
  ])("reads %s", (text, fen) => {
    expect(readYuan(text)).toEqual({ fen });
  });
  it.each(["", "一千", "-5", "1.234", "1e3"])("refuses %s in Chinese", (text) => {
    expect(readYuan(text)).toEqual({ error: expect.stringContaining("金额请写作") });
  });
  it("shows two decimals", () => {
    expect(showYuan(108000)).toBe("1080.00");
    expect(showYuan(7)).toBe("0.07");
    expect(showYuan(-8000)).toBe("-80.00");
  });
});
