// How an activity repeats, as the form offers it, and the iCalendar RRULE
// (RFC 5545) it stands for. The backend keeps and expands the rule; the
// form only composes the common ones and reads them back. A rule the form
// did not make (an imported one) is kept as it is.

export type RepeatKind = "none" | "daily" | "weekly" | "biweekly" | "monthly";

export interface RepeatChoice {
  kind: RepeatKind;
  /** The weekdays of a weekly repeat: MO, TU … */
  days: string[];
  /** How it ends: on a day (inclusive) or after a number of times. */
  ends: "until" | "count";
  until: string;
  count: number;
}

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/** The weekday code of a day (`2026-03-02` → `MO`). */
export function weekdayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return WEEKDAYS[(d.getUTCDay() + 6) % 7];
}

/** Which of its weekday a day is in its month (the 1st Monday …), 1–5. */
export function nthOf(day: string): number {
  return Math.floor((Number(day.slice(8, 10)) - 1) / 7) + 1;
}

/** The RRULE of a choice for a series starting on `first` (null: none). */
export function ruleOf(choice: RepeatChoice, first: string): string | null {
  const parts: string[] = [];
  switch (choice.kind) {
    case "none":
      return null;
    case "daily":
      parts.push("FREQ=DAILY");
      break;
    case "weekly":
    case "biweekly": {
      parts.push("FREQ=WEEKLY");
      if (choice.kind === "biweekly") parts.push("INTERVAL=2");
      const days = WEEKDAYS.filter((d) => choice.days.includes(d) || d === weekdayOf(first));
      parts.push(`BYDAY=${days.join(",")}`);
      break;
    }
    case "monthly":
      parts.push("FREQ=MONTHLY", `BYDAY=${nthOf(first)}${weekdayOf(first)}`);
      break;
  }
  if (choice.ends === "count") parts.push(`COUNT=${Math.max(1, Math.floor(choice.count))}`);
  else parts.push(`UNTIL=${choice.until.replaceAll("-", "")}`);
  return parts.join(";");
}

/** The form's choice for a stored rule, or null when the form cannot say it. */
export function choiceOf(rule: string | null | undefined, first: string): RepeatChoice | null {
  const blank: RepeatChoice = { kind: "none", days: [weekdayOf(first)], ends: "count", count: 10, until: first };
  if (!rule) return blank;
  const fields = new Map(rule.split(";").map((p) => p.split("=") as [string, string]));
  const freq = fields.get("FREQ");
  const interval = fields.get("INTERVAL") ?? "1";
  const byday = fields.get("BYDAY");
  const known = new Set(["FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL", "WKST"]);
  if ([...fields.keys()].some((k) => !known.has(k))) return null;
  const choice = { ...blank };
  if (freq === "DAILY" && interval === "1" && !byday) choice.kind = "daily";
  else if (freq === "WEEKLY" && (interval === "1" || interval === "2")) {
    choice.kind = interval === "1" ? "weekly" : "biweekly";
    choice.days = (byday ?? weekdayOf(first)).split(",");
    if (choice.days.some((d) => !(WEEKDAYS as readonly string[]).includes(d))) return null;
  } else if (freq === "MONTHLY" && interval === "1" && byday === `${nthOf(first)}${weekdayOf(first)}`) choice.kind = "monthly";
  else return null;
  const count = fields.get("COUNT");
  const until = fields.get("UNTIL");
  if (count) {
    choice.ends = "count";
    choice.count = Number(count);
  } else if (until) {
    choice.ends = "until";
    choice.until = untilDay(until);
  } else return null;
  return choice;
}

/** The day in China an UNTIL ends on (`20261231T155959Z` → `2026-12-31`). */
export function untilDay(until: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(until);
  if (!m) return until;
  if (m[7] !== "Z") return `${m[1]}-${m[2]}-${m[3]}`;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return new Date(utc + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
