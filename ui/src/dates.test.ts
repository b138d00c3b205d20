import { describe, expect, it } from "vitest";
import { chinaDateTime, localDay, readDay, readTime, showTime } from "./dates";

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

describe("readTime", () => {
  it("reads a day and a time as the backend takes it", () => {
    expect(readTime("2026-12-01 09:30")).toEqual({ time: "2026-12-01T09:30:00" });
    expect(readTime("2026/12/1 9:05")).toEqual({ time: "2026-12-01T09:05:00" });
    expect(readTime("2026-12-01T09:30:00")).toEqual({ time: "2026-12-01T09:30:00" });
    expect(readTime("2026年12月1日 9：30")).toEqual({ time: "2026-12-01T09:30:00" });
  });
  it("says what is wrong in Chinese", () => {
    expect(readTime("")).toEqual({ error: expect.stringContaining("请填写时间") });
    expect(readTime("明天上午")).toEqual({ error: expect.stringContaining("年-月-日 时:分") });
    expect(readTime("2026-02-30 09:00")).toEqual({ error: expect.stringContaining("没有 2026 年 2 月 30 日") });
    expect(readTime("2026-12-01 24:00")).toEqual({ error: expect.stringContaining("24:00") });
  });
  it("is shown to the minute", () => {
    expect(showTime("2026-12-01T09:30:00")).toBe("2026-12-01 09:30");
    expect(showTime(null)).toBe("—");
  });
});
