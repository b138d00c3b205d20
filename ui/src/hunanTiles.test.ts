import { describe, expect, it } from "vitest";
import type { HeatmapSeriesOption } from "echarts/charts";
import { HUNAN_CITIES, byCity, citiesSheet, cityOf, tilesChart } from "./hunanTiles";

describe("Hunan's cities as tiles", () => {
  it("has the fourteen cities of GB/T 2260, each on its own square", () => {
    expect(HUNAN_CITIES).toHaveLength(14);
    const squares = new Set(HUNAN_CITIES.map((c) => `${c.col},${c.row}`));
    expect(squares.size).toBe(14);
    // North up: 岳阳 is north of 长沙, 郴州 south of 衡阳.
    const at = (name: string) => HUNAN_CITIES.find((c) => c.name === name)!;
    expect(at("岳阳").row).toBeLessThan(at("长沙").row);
    expect(at("郴州").row).toBeGreaterThan(at("衡阳").row);
  });

  it("sums a figure by the city each region lies in", () => {
    expect(cityOf("430102")).toBe("430100");
    expect(cityOf("433101")).toBe("433100");
    expect(cityOf("430000")).toBeNull();
    expect(cityOf("110101")).toBeNull();
    const totals = byCity(
      [
        { region: "430102", marriages: 3 },
        { region: "430103", marriages: 4 },
        { region: "430202", marriages: 2 },
        { region: "430000", marriages: 9 },
      ],
      (r) => r.marriages,
    );
    expect([...totals]).toEqual([
      ["430100", 7],
      ["430200", 2],
    ]);
  });

  it("colours every city by its count, zero where nothing is counted", () => {
    const option = tilesChart(new Map([["430100", 7]]), "结婚登记");
    const series = (option.series as HeatmapSeriesOption[])[0];
    const data = series.data as { value: number[]; name: string }[];
    expect(data).toHaveLength(14);
    expect(data.find((d) => d.name === "长沙")!.value).toEqual([3, 1, 7]);
    expect(data.find((d) => d.name === "郴州")!.value).toEqual([3, 4, 0]);
    expect(option.visualMap).toMatchObject({ min: 0, max: 7 });
  });
});

describe("the cities' figure as a sheet", () => {
  it("lists every city with its count, zero where nothing is counted", () => {
    const sheet = citiesSheet(new Map([["430100", 7]]), "各市州", "结婚登记");
    expect(sheet.columns).toEqual(["市州", "区划代码", "结婚登记"]);
    expect(sheet.rows).toHaveLength(14);
    expect(sheet.rows.find((r) => r[0] === "长沙")).toEqual(["长沙", "430100", 7]);
    expect(sheet.rows.find((r) => r[0] === "郴州")).toEqual(["郴州", "431000", 0]);
  });
});
