// Hunan's fourteen cities as a tile grid (a cartogram): each city a square
// near its place, north up — not a boundary map, which as a published map
// of China's regions would need map review (审图号). Codes are GB/T 2260.
import type { FigureSheet } from "./api";
import type { ChartOption } from "./chartOption";

export interface CityTile {
  code: string;
  name: string;
  col: number;
  row: number;
}

export const HUNAN_CITIES: CityTile[] = [
  { code: "430800", name: "张家界", col: 1, row: 0 },
  { code: "430700", name: "常德", col: 2, row: 0 },
  { code: "430600", name: "岳阳", col: 3, row: 0 },
  { code: "433100", name: "湘西州", col: 0, row: 1 },
  { code: "430900", name: "益阳", col: 2, row: 1 },
  { code: "430100", name: "长沙", col: 3, row: 1 },
  { code: "431200", name: "怀化", col: 0, row: 2 },
  { code: "431300", name: "娄底", col: 1, row: 2 },
  { code: "430300", name: "湘潭", col: 2, row: 2 },
  { code: "430200", name: "株洲", col: 3, row: 2 },
  { code: "430500", name: "邵阳", col: 1, row: 3 },
  { code: "430400", name: "衡阳", col: 2, row: 3 },
  { code: "431100", name: "永州", col: 1, row: 4 },
  { code: "431000", name: "郴州", col: 3, row: 4 },
];

/** The city a region code (a county's, a city's) lies in; null outside Hunan's cities. */
export function cityOf(region: string): string | null {
  if (!/^43\d{4}$/.test(region)) return null;
  const city = `${region.slice(0, 4)}00`;
  return HUNAN_CITIES.some((c) => c.code === city) ? city : null;
}

/** A figure summed by city, from rows that each name their region. */
export function byCity<T extends { region: string }>(rows: T[], figure: (row: T) => number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const city = cityOf(row.region);
    if (city) totals.set(city, (totals.get(city) ?? 0) + figure(row));
  }
  return totals;
}

/**
 * The tile grid coloured by a figure: every city a square with its name
 * and count (0 where nothing is counted), the darker the more.
 */
export function tilesChart(totals: Map<string, number>, label: string): ChartOption {
  const most = Math.max(1, ...totals.values());
  const axis = (n: number) => ({ type: "category" as const, data: Array.from({ length: n }, (_, i) => i), show: false });
  return {
    tooltip: {},
    grid: { left: 4, right: 4, top: 4, bottom: 40 },
    xAxis: axis(4),
    yAxis: { ...axis(5), inverse: true },
    visualMap: {
      min: 0,
      max: most,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      text: [`${most}`, "0"],
      inRange: { color: ["#fdf2f0", "#c0392b"] },
    },
    series: [
      {
        type: "heatmap",
        name: label,
        data: HUNAN_CITIES.map((c) => ({ value: [c.col, c.row, totals.get(c.code) ?? 0], name: c.name })),
        label: { show: true, formatter: (p) => `${(p.data as { name: string }).name}\n${(p.value as number[])[2]}` },
        itemStyle: { borderColor: "#fff", borderWidth: 3 },
      },
    ],
  };
}

/** The figure by city as a sheet of a workbook: every city, with its count. */
export function citiesSheet(totals: Map<string, number>, name: string, figure: string): FigureSheet {
  return {
    name,
    columns: ["市州", "区划代码", figure],
    rows: HUNAN_CITIES.map((c) => [c.name, c.code, totals.get(c.code) ?? 0]),
  };
}

