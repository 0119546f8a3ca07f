import * as echarts from "echarts";

/**
 * Charts drawn on the server as SVG by Apache ECharts (issue 13): no script reaches the
 * browser, and every chart sits beside a table of the same figures. Sans-serif, labelled axes,
 * the target as a named line, and which way is better in the title.
 */
export interface TrendSeries {
  name: string;
  /** undefined where the figure is suppressed or has no data: a gap, never a zero. */
  values: (number | undefined)[];
}

export interface TrendChart {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: string[];
  series: TrendSeries[];
  target?: { value: number; name: string } | undefined;
  better: string;
  kind?: "line" | "bar";
  width?: number;
  height?: number;
}

const font = "Arial, Helvetica, sans-serif";
// GOV.UK colours: blue, orange, green, purple, pink, turquoise, brown, black.
const palette = [
  "#1d70b8",
  "#f47738",
  "#00703c",
  "#4c2c92",
  "#d53880",
  "#28a197",
  "#b58840",
  "#0b0c0c",
];

export function trendChartSvg(chart: TrendChart): string {
  const instance = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: chart.width ?? 640,
    height: chart.height ?? 300,
  });
  instance.setOption({
    animation: false,
    color: palette,
    textStyle: { fontFamily: font, color: "#0b0c0c" },
    title: {
      text: chart.title,
      subtext: chart.better,
      left: 0,
      textStyle: { fontSize: 14, fontFamily: font },
      subtextStyle: { fontSize: 12, fontFamily: font, color: "#505a5f" },
    },
    legend:
      chart.series.length > 1 || chart.target
        ? { bottom: 0, textStyle: { fontFamily: font } }
        : undefined,
    grid: {
      left: 64,
      right: 24,
      top: 64,
      bottom: chart.series.length > 1 || chart.target ? 72 : 48,
    },
    xAxis: {
      type: "category",
      data: chart.categories,
      name: chart.xLabel,
      nameLocation: "middle",
      nameGap: 28,
      axisLabel: { fontFamily: font },
    },
    yAxis: {
      type: "value",
      name: chart.yLabel,
      nameLocation: "middle",
      nameGap: 44,
      axisLabel: { fontFamily: font },
    },
    series: [
      ...chart.series.map((s) => ({
        name: s.name,
        type: chart.kind ?? "line",
        connectNulls: false,
        data: s.values.map((v) => (v === undefined ? null : v)),
      })),
      ...(chart.target
        ? [
            {
              name: chart.target.name,
              type: "line",
              data: chart.categories.map(() => chart.target?.value),
              symbol: "none",
              lineStyle: { type: "dashed", color: "#d4351c" },
              itemStyle: { color: "#d4351c" },
            },
          ]
        : []),
    ],
  });
  const svg = instance.renderToSVGString();
  instance.dispose();
  return forStrictPolicy(svg, chart.title);
}

const escapeAttribute = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * The page's Content Security Policy allows no inline styles, so ECharts' style attributes
 * become SVG presentation attributes and its hover stylesheet goes (nothing hovers without
 * script). The chart is named for assistive technology; the table beside it has the figures.
 */
export function forStrictPolicy(svg: string, title: string): string {
  return svg
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/ style="([^"]*)"/g, (_all, declarations: string) =>
      declarations
        .split(";")
        .map((d) => d.trim())
        .filter((d) => /^(font-size|font-family|font-weight):/.test(d))
        .map((d) => {
          const [name = "", ...value] = d.split(":");
          return ` ${name}="${escapeAttribute(value.join(":").trim())}"`;
        })
        .join(""),
    )
    .replace(
      /^<svg width="\d+" height="\d+"/,
      `<svg role="img" focusable="false" aria-label="${escapeAttribute(title)}" class="trellis-chart"`,
    );
}
