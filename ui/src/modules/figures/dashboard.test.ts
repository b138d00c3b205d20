import { describe, expect, it } from "vitest";
import type { DocumentFigures, FuneralMonth, MarriageMonth } from "../../api";
import { DIVORCE_BLUE, MARRIAGE_RED } from "../marriage/statisticsCharts";
import { OVERDUE_RED, PENDING_AMBER, chartOf, cremationsByHome, documentMonths, funeralMonths, marriageMonths, recentMonths, sectionsFigure, sheetOf } from "./dashboard";

const office = (org_unit: string, region: string, marriages: number, divorces: number, withdrawals = 0) => ({
  org_unit,
  name: `${org_unit}登记处`,
  region,
  marriages,
  refusals: 0,
  divorce_applications: 0,
  withdrawals,
  divorces,
});

describe("数据分析's figures", () => {
  it("sums every office of a month, and the chart and its sheet say the same", () => {
    const months: MarriageMonth[] = [
      { month: "2026-01", offices: [office("a", "430102", 3, 1), office("b", "430202", 2, 0, 1)] },
      { month: "2026-02", offices: [] },
    ];
    const figure = marriageMonths(months, { month: "月份", marriages: "结婚", divorces: "离婚", withdrawals: "撤回" });
    expect(figure.series.map((s) => s.values)).toEqual([[5, 0], [1, 0], [1, 0]]);
    expect(figure.series.map((s) => s.color).slice(0, 2)).toEqual([MARRIAGE_RED, DIVORCE_BLUE]);
    const sheet = sheetOf(figure);
    expect(sheet.columns).toEqual(["月份", "结婚", "离婚", "撤回"]);
    expect(sheet.rows).toEqual([["2026-01", 5, 1, 1], ["2026-02", 0, 0, 0]]);
    const chart = chartOf(figure);
    expect((chart.xAxis as { data: string[] }).data).toEqual(["2026-01", "2026-02"]);
  });

  it("keeps the overdue apart from the rest of a section's work, the office named", () => {
    const figure = sectionsFigure(
      [
        { org_unit: "u", unit_name: "民政厅", section: "", documents_pending: 4, documents_overdue: 1, tasks_open: 2, tasks_overdue: 2 },
        { org_unit: "u", unit_name: "民政厅", section: "社会救助处", documents_pending: 1, documents_overdue: 0, tasks_open: 0, tasks_overdue: 0 },
      ],
      { section: "处室", office: "办公室", pending: "待办", overdue: "超期", tasks: "督办", tasksOverdue: "督办超期" },
      false,
    );
    expect(figure.categories).toEqual(["办公室", "社会救助处"]);
    expect(figure.series.map((s) => s.values)).toEqual([[3, 1], [1, 0], [0, 0], [2, 0]]);
    expect(figure.series.map((s) => s.color)).toEqual([PENDING_AMBER, OVERDUE_RED, expect.any(String), OVERDUE_RED]);
    // Stacked, the bars give back what waits: pending = not overdue + overdue.
    expect(figure.series[0].values[0] + figure.series[1].values[0]).toBe(4);
    expect(figure.series.map((s) => s.stack)).toEqual(["documents", "documents", "tasks", "tasks"]);
    const drawn = chartOf(figure).series as { stack?: string }[];
    expect(drawn.map((s) => s.stack)).toEqual(["documents", "documents", "tasks", "tasks"]);
  });

  it("names the unit beside the section when the figures span units", () => {
    const figure = sectionsFigure(
      [{ org_unit: "430100", unit_name: "长沙市民政局", section: "办公室", documents_pending: 1, documents_overdue: 0, tasks_open: 0, tasks_overdue: 0 }],
      { section: "处室", office: "办公室", pending: "待办", overdue: "超期", tasks: "督办", tasksOverdue: "督办超期" },
      true,
    );
    expect(figure.categories).toEqual(["长沙市民政局·办公室"]);
  });

  it("ranks the homes by cremations over all the months", () => {
    const home = (name: string, cremated: number) => ({ org_unit: name, name, region: "430100", received: cremated, cremated, unidentified: 0, waived: 1 });
    const months: FuneralMonth[] = [
      { month: "2026-01", homes: [home("乙馆", 2), home("甲馆", 1)] },
      { month: "2026-02", homes: [home("甲馆", 5)] },
    ];
    const figure = cremationsByHome(months, { home: "殡仪馆", cremated: "火化" });
    expect(figure.categories).toEqual(["甲馆", "乙馆"]);
    expect(figure.series[0].values).toEqual([6, 2]);
    // Each month's waivers granted, every home summed.
    const monthly = funeralMonths(months, { month: "月份", received: "接运", cremated: "火化", waived: "减免" });
    expect(sheetOf(monthly).rows).toEqual([["2026-01", 3, 3, 2], ["2026-02", 5, 5, 1]]);
  });

  it("writes each month of the documents' flow", () => {
    const documents: DocumentFigures = {
      today: "2026-12-07",
      sections: [],
      months: [{ month: "2026-12", outgoing: 2, incoming: 3, documents_done: 1, tasks_opened: 1, tasks_closed: 0 }],
    };
    const sheet = sheetOf(documentMonths(documents, { month: "月份", outgoing: "发文", incoming: "收文", done: "办结", tasksClosed: "督办办结" }));
    expect(sheet.rows).toEqual([["2026-12", 2, 3, 1, 0]]);
  });

  it("offers the last months, newest first, across the new year", () => {
    expect(recentMonths("2026-02-15", 4)).toEqual(["2026-02", "2026-01", "2025-12", "2025-11"]);
  });
});
