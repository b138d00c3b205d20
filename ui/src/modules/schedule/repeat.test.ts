import { describe, expect, it } from "vitest";
import { choiceOf, nthOf, ruleOf, untilDay, weekdayOf } from "./repeat";

describe("the repeat of an activity", () => {
  it("knows a day's weekday and which of them it is in the month", () => {
    expect(weekdayOf("2026-03-02")).toBe("MO");
    expect(weekdayOf("2026-03-08")).toBe("SU");
    expect(nthOf("2026-03-02")).toBe(1);
    expect(nthOf("2026-03-16")).toBe(3);
  });

  it("writes the rules the form offers", () => {
    const base = { days: ["WE"], ends: "count" as const, count: 12, until: "" };
    expect(ruleOf({ ...base, kind: "none" }, "2026-03-02")).toBeNull();
    expect(ruleOf({ ...base, kind: "weekly" }, "2026-03-02")).toBe("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=12");
    expect(ruleOf({ ...base, kind: "biweekly", days: [] }, "2026-03-02")).toBe("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=12");
    expect(ruleOf({ ...base, kind: "monthly" }, "2026-03-02")).toBe("FREQ=MONTHLY;BYDAY=1MO;COUNT=12");
    expect(ruleOf({ ...base, kind: "daily", ends: "until", until: "2026-12-31" }, "2026-03-02")).toBe("FREQ=DAILY;UNTIL=20261231");
  });

  it("reads back what it wrote, and the UNTIL kept in UTC as a day in China", () => {
    expect(untilDay("20261231T155959Z")).toBe("2026-12-31");
    expect(choiceOf("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T155959Z", "2026-03-02")).toMatchObject({ kind: "weekly", days: ["MO"], ends: "until", until: "2026-12-31" });
    expect(choiceOf("FREQ=MONTHLY;BYDAY=1MO;COUNT=3", "2026-03-02")).toMatchObject({ kind: "monthly", ends: "count", count: 3 });
    expect(choiceOf(null, "2026-03-02")).toMatchObject({ kind: "none" });
  });

  it("leaves alone a rule it cannot say", () => {
    expect(choiceOf("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", "2026-03-15")).toBeNull();
    expect(choiceOf("FREQ=YEARLY;COUNT=3", "2026-03-15")).toBeNull();
    expect(choiceOf("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO;COUNT=3", "2026-03-02")).toBeNull();
  });
});
