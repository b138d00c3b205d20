// Days as the window takes and shows them: always 年-月-日 (2026-12-01),
// whatever the machine's locale. A day typed by hand is read here, with a
// message for its field, and never passed raw to a command that could fail
// to read it.

export type DayReading = { day: string } | { error: string };

const pad = (n: number) => String(n).padStart(2, "0");

/** The day `year-month-day` as 2026-12-01, or null when there is no such day. */
export function isoDay(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** A calendar's day (a Date at local midnight, as date pickers give it) as 2026-12-01. */
export function localDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * A day typed by hand: 2026-12-01, 2026/12/1, 2026.12.1, 20261201 or
 * 2026年12月1日. Anything else, or a day the calendar does not have
 * (1990-02-30), is an error in Chinese that says what to type.
 */
export function readDay(text: string): DayReading {
  const typed = text.trim();
  if (!typed) return { error: "请填写日期，如 1990-03-15" };
  const match =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(typed) ??
    /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(typed) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(typed);
  if (!match) return { error: "日期请按 年-月-日 填写，如 1990-03-15" };
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const iso = isoDay(year, month, day);
  return iso ? { day: iso } : { error: `没有 ${year} 年 ${month} 月 ${day} 日这一天` };
}

/** A moment (ISO text or a Date) as its day and time in China: 2026-12-01 09:30. */
export function chinaDateTime(at: string | Date): string {
  const shifted = new Date(new Date(at).getTime() + 8 * 3600 * 1000);
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`;
}

export type TimeReading = { time: string } | { error: string };

/**
 * A day and time typed by hand (2026-12-01 09:30, 2026/12/1 9:30,
 * 2026-12-01T09:30) as the backend takes it, 2026-12-01T09:30:00; anything
 * else, or a time the clock does not have, is an error in Chinese.
 */
export function readTime(text: string): TimeReading {
  const typed = text.trim();
  if (!typed) return { error: "请填写时间，如 2026-12-01 09:30" };
  const match = /^(.+?)[ T](\d{1,2})[:：](\d{2})(?::\d{2})?$/.exec(typed);
  if (!match) return { error: "时间请按 年-月-日 时:分 填写，如 2026-12-01 09:30" };
  const [, dayText, hourText, minuteText] = match as unknown as [string, string, string, string];
  const day = readDay(dayText);
  if ("error" in day) return day;
  const hour = Number(hourText);
  const minute = Number(minuteText);
  if (hour > 23 || minute > 59) return { error: `没有 ${hourText}:${minuteText} 这一时刻` };
  return { time: `${day.day}T${pad(hour)}:${pad(minute)}:00` };
}

/** A time of the backend (2026-12-01T09:30:00) as the window shows it: 2026-12-01 09:30. */
export function showTime(time: string | null | undefined): string {
  if (!time) return "—";
  return time.replace("T", " ").slice(0, 16);
}
