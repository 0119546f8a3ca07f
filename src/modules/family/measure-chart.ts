/**
 * A small line chart of one person's totals on one measure, drawn on the server as inline SVG
 * (no script, no library): this module works out the geometry and the text alternative, and
 * views/measure-chart.njk draws it, so every label passes through the template's escaping.
 * Dates are spaced by time, not evenly, so a long gap between scorings looks long.
 */
import { formatDate } from "../../domain/dates.ts";

export interface ChartPoint {
  date: string;
  total: number;
  levelLabel: string;
}

export interface ChartInput {
  /** e.g. "PHQ-9 (depression) for Joanne Hartley". */
  title: string;
  points: readonly ChartPoint[];
  /** The lowest and highest possible totals. */
  range: { min: number; max: number };
  /** Where each band starts, lowest first; drawn as dashed lines. */
  bands: readonly { min: number; label: string }[];
}

export interface ChartModel {
  width: number;
  height: number;
  label: string;
  plot: { left: number; right: number; top: number; bottom: number };
  line: string;
  points: { x: number; y: number; total: number; date: string }[];
  yTicks: { y: number; label: string; boundary: boolean }[];
  xLabels: { x: number; label: string; anchor: "start" | "middle" | "end" }[];
}

const WIDTH = 320;
const HEIGHT = 180;
const plot = { left: 34, right: WIDTH - 14, top: 10, bottom: HEIGHT - 30 };
/** Labels closer than this (in pixels) would overlap; the line is kept, the label dropped. */
const MIN_LABEL_GAP = 11;

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const round = (n: number): number => Math.round(n * 10) / 10;

function describeScoring(point: ChartPoint): string {
  return `${formatDate(point.date)}: total ${String(point.total)}, ${point.levelLabel}`;
}

/** The chart's text alternative: what a sighted reader takes from the line. */
export function chartSummary(title: string, points: readonly ChartPoint[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return `${title}: no scorings`;
  if (points.length === 1) return `${title}: one scoring, ${describeScoring(first)}`;
  const change = last.total - first.total;
  const direction =
    change === 0
      ? "no change in total"
      : `total ${change > 0 ? "up" : "down"} ${String(Math.abs(change))}`;
  return (
    `${title}: ${String(points.length)} scorings, first ${describeScoring(first)}; ` +
    `latest ${describeScoring(last)}; ${direction}`
  );
}

export function measureChart(input: ChartInput): ChartModel {
  const { points, range } = input;
  const span = Math.max(range.max - range.min, 1);
  const yOf = (total: number) =>
    round(plot.bottom - ((total - range.min) / span) * (plot.bottom - plot.top));
  const days = points.map((p) => dayNumber(p.date));
  const firstDay = Math.min(...days);
  const daySpan = Math.max(...days) - firstDay;
  const width = plot.right - plot.left;
  const xOf = (index: number): number => {
    if (points.length === 1) return round(plot.left + width / 2);
    // All on one day: spread them out in the order recorded.
    if (daySpan === 0) return round(plot.left + (index / (points.length - 1)) * width);
    return round(plot.left + (((days[index] ?? firstDay) - firstDay) / daySpan) * width);
  };
  const placed = points.map((p, i) => ({
    x: xOf(i),
    y: yOf(p.total),
    total: p.total,
    date: p.date,
  }));

  const ticks = [
    { total: range.min, boundary: false },
    ...input.bands.slice(1).map((b) => ({ total: b.min, boundary: true })),
    { total: range.max, boundary: false },
  ];
  const yTicks: ChartModel["yTicks"] = [];
  for (const tick of ticks) {
    const y = yOf(tick.total);
    const crowded = yTicks.some((t) => t.label !== "" && Math.abs(t.y - y) < MIN_LABEL_GAP);
    yTicks.push({ y, label: crowded ? "" : String(tick.total), boundary: tick.boundary });
  }

  const first = placed[0];
  const last = placed[placed.length - 1];
  const xLabels: ChartModel["xLabels"] = [];
  if (first && last) {
    if (placed.length === 1 || first.date === last.date) {
      xLabels.push({
        x: first.x,
        label: formatDate(first.date),
        anchor: placed.length === 1 ? "middle" : "start",
      });
    } else {
      xLabels.push({ x: first.x, label: formatDate(first.date), anchor: "start" });
      xLabels.push({ x: last.x, label: formatDate(last.date), anchor: "end" });
    }
  }

  return {
    width: WIDTH,
    height: HEIGHT,
    label: chartSummary(input.title, points),
    plot,
    line: placed.map((p) => `${String(p.x)},${String(p.y)}`).join(" "),
    points: placed,
    yTicks,
    xLabels,
  };
}
