import { describe, expect, it } from "vitest";
import { chartSummary, measureChart } from "./measure-chart.ts";

const bands = [
  { min: 0, label: "Low" },
  { min: 5, label: "Medium" },
  { min: 8, label: "High" },
];
const point = (date: string, total: number, levelLabel = "Low") => ({ date, total, levelLabel });

describe("measureChart", () => {
  it("spaces scorings by time and puts higher totals higher", () => {
    const chart = measureChart({
      title: "Scale for Jo",
      points: [point("2026-01-01", 0), point("2026-01-03", 10, "High"), point("2026-01-11", 5)],
      range: { min: 0, max: 10 },
      bands,
    });
    const [a, b, c] = chart.points;
    expect(a?.x).toBe(chart.plot.left);
    expect(c?.x).toBe(chart.plot.right);
    // 2 days of 10: a fifth of the way across.
    expect(b?.x).toBeCloseTo(chart.plot.left + (chart.plot.right - chart.plot.left) / 5, 0);
    expect(a?.y).toBe(chart.plot.bottom);
    expect(b?.y).toBe(chart.plot.top);
    expect(c?.y).toBeCloseTo((chart.plot.top + chart.plot.bottom) / 2, 0);
    expect(chart.line).toBe(chart.points.map((p) => `${String(p.x)},${String(p.y)}`).join(" "));
    expect(chart.xLabels.map((l) => l.label)).toEqual(["1 January 2026", "11 January 2026"]);
  });

  it("labels the range and each band's start, dashing band boundaries", () => {
    const chart = measureChart({
      title: "t",
      points: [point("2026-01-01", 3)],
      range: { min: 0, max: 10 },
      bands,
    });
    expect(chart.yTicks.map((t) => [t.label, t.boundary])).toEqual([
      ["0", false],
      ["5", true],
      ["8", true],
      ["10", false],
    ]);
  });

  it("drops a tick label that would overlap its neighbour", () => {
    const chart = measureChart({
      title: "t",
      points: [point("2026-01-01", 3)],
      range: { min: 0, max: 40 },
      bands: [
        { min: 0, label: "a" },
        { min: 39, label: "b" },
      ],
    });
    expect(chart.yTicks.map((t) => t.label)).toEqual(["0", "39", ""]);
  });

  it("centres a single scoring and spreads scorings made on one day", () => {
    const one = measureChart({
      title: "t",
      points: [point("2026-01-01", 3)],
      range: { min: 0, max: 10 },
      bands,
    });
    expect(one.points[0]?.x).toBe((one.plot.left + one.plot.right) / 2);
    const sameDay = measureChart({
      title: "t",
      points: [point("2026-01-01", 3), point("2026-01-01", 4)],
      range: { min: 0, max: 10 },
      bands,
    });
    expect(sameDay.points.map((p) => p.x)).toEqual([sameDay.plot.left, sameDay.plot.right]);
  });
});

describe("chartSummary", () => {
  it("says what the line shows", () => {
    expect(chartSummary("GAD-7 for Jo", [])).toBe("GAD-7 for Jo: no scorings");
    expect(chartSummary("GAD-7 for Jo", [point("2026-02-05", 12, "Moderate")])).toBe(
      "GAD-7 for Jo: one scoring, 5 February 2026: total 12, Moderate",
    );
    expect(
      chartSummary("GAD-7 for Jo", [
        point("2026-02-05", 12, "Moderate"),
        point("2026-02-20", 12, "Moderate"),
        point("2026-03-01", 4, "Minimal"),
      ]),
    ).toBe(
      "GAD-7 for Jo: 3 scorings, first 5 February 2026: total 12, Moderate; latest 1 March 2026: total 4, Minimal; total down 8",
    );
  });
});
