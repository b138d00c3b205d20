// The office's figures as charts: registrations and divorces by period,
// and the ages of those who married, men beside women. Colours as the
// counter uses them: marriage red, divorce blue.
import type { AgeBandRow, PeriodRow } from "../../api";
import type { ChartOption } from "../../chartOption";

export const MARRIAGE_RED = "#c0392b";
export const DIVORCE_BLUE = "#409eff";

const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

/** Marriages and divorces for each period (day or month). */
export function periodsChart(rows: PeriodRow[], names: { marriages: string; divorces: string }): ChartOption {
  return {
    grid,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "category", data: rows.map((r) => r.period) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", name: names.marriages, data: rows.map((r) => r.marriages), itemStyle: { color: MARRIAGE_RED } },
      { type: "bar", name: names.divorces, data: rows.map((r) => r.divorces), itemStyle: { color: DIVORCE_BLUE } },
    ],
  };
}

/** Men and women who married, by age band. */
export function agesChart(bands: AgeBandRow[], names: { men: string; women: string }): ChartOption {
  return {
    grid,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "category", data: bands.map((b) => b.band) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", name: names.men, data: bands.map((b) => b.men), itemStyle: { color: DIVORCE_BLUE } },
      { type: "bar", name: names.women, data: bands.map((b) => b.women), itemStyle: { color: MARRIAGE_RED } },
    ],
  };
}
