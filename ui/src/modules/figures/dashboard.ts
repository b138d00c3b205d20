// 数据分析's figures as charts and as sheets of a workbook: each chart's
// counts are what its sheet writes. Colours as the counter uses them:
// marriage red, divorce blue, the overdue in the red of an error and the
// work in hand in the amber of a warning.
import type { Dashboard, FigureSheet, FuneralMonth, MarriageMonth, SectionFigures } from "../../api";
import type { ChartOption } from "../../chartOption";
import { DIVORCE_BLUE, MARRIAGE_RED } from "../marriage/statisticsCharts";

export const OVERDUE_RED = "#f56c6c";
export const PENDING_AMBER = "#e6a23c";
export const DONE_GREEN = "#67c23a";
export const NEUTRAL_GREY = "#909399";

const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

/** A series of counts; series of one `stack` are drawn one on the other (a part beside its rest). */
type Series = { name: string; values: number[]; color: string; stack?: string };

function bars(categories: string[], series: Series[], horizontal = false): ChartOption {
  const category = { type: "category" as const, data: categories };
  const value = { type: "value" as const, minInterval: 1 };
  return {
    grid,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: series.map((s) => ({ type: "bar", name: s.name, data: s.values, stack: s.stack, itemStyle: { color: s.color } })),
  };
}

function sheet(name: string, first: string, categories: string[], series: Series[]): FigureSheet {
  return {
    name,
    columns: [first, ...series.map((s) => s.name)],
    rows: categories.map((c, i) => [c, ...series.map((s) => s.values[i] ?? 0)]),
  };
}

/** What a chart shows: its categories and series, drawn and written alike. */
export interface Figure {
  /** The sheet's name in the workbook (≤ 31 characters). */
  name: string;
  /** The first column's title: what the categories are. */
  first: string;
  categories: string[];
  series: Series[];
  horizontal?: boolean;
}

export const chartOf = (f: Figure): ChartOption => bars(f.categories, f.series, f.horizontal);
export const sheetOf = (f: Figure): FigureSheet => sheet(f.name, f.first, f.categories, f.series);

/** Marriages, divorces and withdrawals each month, all offices within reach summed. */
export function marriageMonths(
  months: MarriageMonth[],
  names: { month: string; marriages: string; divorces: string; withdrawals: string },
): Figure {
  const sum = (m: MarriageMonth, k: "marriages" | "divorces" | "withdrawals") => m.offices.reduce((n, o) => n + o[k], 0);
  return {
    name: "婚姻登记各月",
    first: names.month,
    categories: months.map((m) => m.month),
    series: [
      { name: names.marriages, values: months.map((m) => sum(m, "marriages")), color: MARRIAGE_RED },
      { name: names.divorces, values: months.map((m) => sum(m, "divorces")), color: DIVORCE_BLUE },
      { name: names.withdrawals, values: months.map((m) => sum(m, "withdrawals")), color: NEUTRAL_GREY },
    ],
  };
}

/** Bodies received, cremations and the waivers granted each month, every home within reach summed. */
export function funeralMonths(months: FuneralMonth[], names: { month: string; received: string; cremated: string; waived: string }): Figure {
  const sum = (m: FuneralMonth, k: "received" | "cremated" | "waived") => m.homes.reduce((n, h) => n + h[k], 0);
  return {
    name: "殡葬各月",
    first: names.month,
    categories: months.map((m) => m.month),
    series: [
      { name: names.received, values: months.map((m) => sum(m, "received")), color: NEUTRAL_GREY },
      { name: names.cremated, values: months.map((m) => sum(m, "cremated")), color: DIVORCE_BLUE },
      { name: names.waived, values: months.map((m) => sum(m, "waived")), color: DONE_GREEN },
    ],
  };
}

/** Each home's cremations over all the months, most first. */
export function cremationsByHome(months: FuneralMonth[], names: { home: string; cremated: string }): Figure {
  const totals = new Map<string, number>();
  for (const month of months) {
    for (const home of month.homes) totals.set(home.name || home.org_unit, (totals.get(home.name || home.org_unit) ?? 0) + home.cremated);
  }
  const homes = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh-CN"));
  return {
    name: "各殡仪馆火化",
    first: names.home,
    categories: homes.map(([name]) => name),
    series: [{ name: names.cremated, values: homes.map(([, n]) => n), color: DIVORCE_BLUE }],
    horizontal: true,
  };
}

/** Where each section's work waits: pending documents and open 督办 matters, the overdue apart. */
export function sectionsFigure(
  sections: SectionFigures[],
  names: { section: string; office: string; pending: string; overdue: string; tasks: string; tasksOverdue: string },
  manyUnits: boolean,
): Figure {
  const label = (s: SectionFigures) => {
    const section = s.section || names.office;
    return manyUnits ? `${s.unit_name || s.org_unit}·${section}` : section;
  };
  return {
    name: "各处室待办",
    first: names.section,
    categories: sections.map(label),
    series: [
      { name: names.pending, values: sections.map((s) => s.documents_pending - s.documents_overdue), color: PENDING_AMBER, stack: "documents" },
      { name: names.overdue, values: sections.map((s) => s.documents_overdue), color: OVERDUE_RED, stack: "documents" },
      { name: names.tasks, values: sections.map((s) => s.tasks_open - s.tasks_overdue), color: DONE_GREEN, stack: "tasks" },
      { name: names.tasksOverdue, values: sections.map((s) => s.tasks_overdue), color: OVERDUE_RED, stack: "tasks" },
    ],
    horizontal: true,
  };
}

/** Each month's documents out, in and done, and 督办 matters closed. */
export function documentMonths(
  documents: NonNullable<Dashboard["documents"]>,
  names: { month: string; outgoing: string; incoming: string; done: string; tasksClosed: string },
): Figure {
  const months = documents.months;
  return {
    name: "公文各月",
    first: names.month,
    categories: months.map((m) => m.month),
    series: [
      { name: names.outgoing, values: months.map((m) => m.outgoing), color: MARRIAGE_RED },
      { name: names.incoming, values: months.map((m) => m.incoming), color: DIVORCE_BLUE },
      { name: names.done, values: months.map((m) => m.documents_done), color: DONE_GREEN },
      { name: names.tasksClosed, values: months.map((m) => m.tasks_closed), color: NEUTRAL_GREY },
    ],
  };
}

/** The months a dashboard may show: the last `count`, newest first (`YYYY-MM`). */
export function recentMonths(today: string, count = 36): string[] {
  let [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${year}-${String(month).padStart(2, "0")}`);
    month -= 1;
    if (month === 0) [year, month] = [year - 1, 12];
  }
  return out;
}
