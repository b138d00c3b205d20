import { describe, expect, it } from "vitest";
import { chinaDateTime, localDay, readDay } from "./dates";

describe("a day typed by hand", () => {
  it.each([
    ["1990-03-15", "1990-03-15"],
    [" 1990/3/5 ", "1990-03-05"],
    ["1990.03.15", "1990-03-15"],
    ["19900315", "1990-03-15"],
    ["1990年3月15日", "1990-03-15"],
    ["2024-02-29", "2024-02-29"],
  ])("%s reads as %s", (typed, day) => {
    expect(readDay(typed)).toEqual({ day });
  });

  it.each([
    ["1990-02-30", "没有 1990 年 2 月 30 日这一天"],
    ["2023-02-29", "没有 2023 年 2 月 29 日这一天"],
    ["15/03/1990", "日期请按 年-月-日 填写，如 1990-03-15"],
    ["1990-3", "日期请按 年-月-日 填写，如 1990-03-15"],
    ["", "请填写日期，如 1990-03-15"],
  ])("%s is refused in Chinese", (typed, error) => {
    expect(readDay(typed)).toEqual({ error });
  });
});

describe("a moment shown in China", () => {
  it("is the day and time in UTC+8, whatever the machine's zone", () => {
    expect(chinaDateTime("2026-11-30T16:30:00Z")).toBe("2026-12-01 00:30");
  });
});

describe("a picked day", () => {
  it("is its calendar day as 年-月-日", () => {
    expect(localDay(new Date(2026, 0, 5))).toBe("2026-01-05");
  });
});
