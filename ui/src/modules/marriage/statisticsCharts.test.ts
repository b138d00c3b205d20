import { describe, expect, it } from "vitest";
import type { BarSeriesOption } from "echarts/charts";
import { DIVORCE_BLUE, MARRIAGE_RED, agesChart, periodsChart } from "./statisticsCharts";

const row = (period: string, marriages: number, divorces: number) => ({
  period,
  marriages,
  refusals: 0,
  divorce_applications: 0,
  withdrawals: 0,
  divorces,
});

describe("the office's figures as charts", () => {
  it("draws marriages in red and divorces in blue for each period, in order", () => {
    const option = periodsChart([row("2026-11", 40, 3), row("2026-12", 12, 1)], { marriages: "结婚登记", divorces: "离婚登记" });
    expect(option.xAxis).toMatchObject({ type: "category", data: ["2026-11", "2026-12"] });
    const series = option.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.data, s.itemStyle?.color])).toEqual([
      ["结婚登记", [40, 12], MARRIAGE_RED],
      ["离婚登记", [3, 1], DIVORCE_BLUE],
    ]);
    // Counts of people: no half a registration on the axis.
    expect(option.yAxis).toMatchObject({ minInterval: 1 });
  });

  it("draws the men and women of each age band side by side", () => {
    const option = agesChart(
      [
        { band: "20–24", men: 3, women: 7 },
        { band: "25–29", men: 9, women: 8 },
      ],
      { men: "男", women: "女" },
    );
    const series = option.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ["男", [3, 9]],
      ["女", [7, 8]],
    ]);
  });
});
