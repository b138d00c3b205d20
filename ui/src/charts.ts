// ECharts as the window uses it: bar charts and the cities' tile grid
// (a heatmap over a grid of squares), with grid, legend, tooltip and the
// colour scale, drawn as SVG (crisp at any zoom, its words text in the
// page). Loaded when the first chart is shown (`EChart.vue`), not with
// the window.
import { BarChart, HeatmapChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export { echarts };
