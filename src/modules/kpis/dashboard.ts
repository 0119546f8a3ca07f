import type { Actor } from "../../access/actor.ts";
import type { KpiScope } from "../../access/kpis.ts";
import { todayIn } from "../../domain/dates.ts";
import {
  breakdownLabel,
  measures,
  type BreakdownKey,
  type Measure,
} from "../../domain/kpis/measures.ts";
import { firstDayOf, lastDayOf, lastYear, type Period } from "../../domain/kpis/period.ts";
import type { Db } from "../../platform/database.ts";
import { monthLabel, monthsBetween } from "../incidents/hotspots.ts";
import { trendChartSvg } from "./charts.ts";
import {
  computeMeasureResults,
  KpiError,
  type Cell,
  type CellsByBreakdown,
  type MeasureQuery,
  type MeasureSetQuery,
} from "./engine.ts";
import { breakdownLine, formatFigure, shownLine, trendLine, type ShownFigure } from "./figures.ts";

export const betterText = {
  higher: "Higher is better",
  lower: "Lower is better",
  neither: "Neither higher nor lower is better in itself",
} as const;

const unitAxis = {
  percent: "Per cent",
  count: "Number",
  rate_per_10k: "Per 10,000 children",
  ratio: "Ratio",
} as const;

export function measureQuery(
  actor: Actor,
  scope: KpiScope,
  measure: Measure,
  period: Period,
  now: Date,
  breakdown?: BreakdownKey,
): MeasureQuery {
  return {
    measure,
    scope,
    breakdown,
    params: {
      laId: actor.laId,
      from: firstDayOf(period.from),
      to: lastDayOf(period.to),
      today: todayIn(now),
    },
  };
}

/** The measures a scope shows: a team has no child population, so no rates per 10,000. */
export function measuresFor(scope: KpiScope): readonly Measure[] {
  return measures.filter((m) => scope.kind === "council" || m.unit !== "rate_per_10k");
}

export interface MeasureTrend {
  measure: Measure;
  better: string;
  months: ShownFigure[];
  latest: ShownFigure | undefined;
  /** The period's figure, and the same period last year's. */
  period: ShownFigure | undefined;
  lastYear: ShownFigure | undefined;
  chart: string;
  problem?: string;
}

function periodFigure(measure: Measure, cells: Cell[], lastMonth: string): ShownFigure {
  const used = measure.snapshot ? cells.filter((c) => c.month === lastMonth) : cells;
  const summed = used.reduce(
    (acc, c) => ({
      numerator: acc.numerator + c.numerator,
      denominator: acc.denominator + c.denominator,
    }),
    { numerator: 0, denominator: 0 },
  );
  const denominator =
    measure.unit === "rate_per_10k"
      ? (used[0]?.denominator ?? cells[0]?.denominator ?? 0)
      : summed.denominator;
  return shownLine(measure, [
    { key: "period", label: "Period", numerator: summed.numerator, denominator },
  ]).figures[0] as ShownFigure;
}

/** The query behind a measure's trend: the period and the same months last year. */
function trendQuery(query: MeasureQuery, period: Period): MeasureSetQuery {
  return {
    measure: query.measure,
    scope: query.scope,
    params: { ...query.params, from: firstDayOf(lastYear(period).from) },
    breakdowns: [undefined],
  };
}

/** One measure's monthly trend over the period, with last year's figure to compare. */
function trendOf(
  measure: Measure,
  period: Period,
  counted: CellsByBreakdown | KpiError | undefined,
): MeasureTrend {
  const better = betterText[measure.better];
  const empty = {
    measure,
    better,
    months: [],
    latest: undefined,
    period: undefined,
    lastYear: undefined,
    chart: "",
  };
  if (measure.notRecorded) return { ...empty, problem: measure.notRecorded };
  if (counted instanceof KpiError) return { ...empty, problem: counted.message };
  const cells = counted?.get("all") ?? [];
  const before = lastYear(period);
  const months = monthsBetween(period.from, period.to);
  const monthsLastYear = monthsBetween(before.from, before.to);
  const figures = trendLine(
    measure,
    months,
    cells.filter((c) => c.month >= period.from),
  ).map((f) => ({ ...f, label: monthLabel(f.key) }));
  return {
    measure,
    better,
    months: figures,
    latest: figures.at(-1),
    period: periodFigure(
      measure,
      cells.filter((c) => c.month >= period.from),
      period.to,
    ),
    lastYear: periodFigure(
      measure,
      cells.filter((c) => monthsLastYear.includes(c.month)),
      before.to,
    ),
    chart: trendChartSvg({
      title: measure.name,
      better,
      xLabel: "Month",
      yLabel: unitAxis[measure.unit],
      categories: figures.map((f) => f.label),
      series: [{ name: measure.name, values: figures.map((f) => f.figure) }],
      target: measure.target
        ? {
            value: measure.target.value,
            name: `Target ${formatFigure(measure, measure.target.value)}`,
          }
        : undefined,
      kind: measure.unit === "count" ? "bar" : "line",
    }),
  };
}

export interface MeasureBreakdown {
  breakdown: BreakdownKey;
  label: string;
  figures: ShownFigure[];
  total: ShownFigure;
  chart: string;
}

function breakdownOf(
  query: MeasureQuery & { breakdown: BreakdownKey },
  period: Period,
  cells: Cell[],
): MeasureBreakdown {
  const { measure, breakdown } = query;
  const { figures, total } = breakdownLine(measure, breakdown, period.to, cells);
  return {
    breakdown,
    label: breakdownLabel(breakdown),
    figures,
    total,
    chart: trendChartSvg({
      title: `${measure.name} by ${breakdownLabel(breakdown).toLowerCase()}`,
      better: betterText[measure.better],
      xLabel: breakdownLabel(breakdown),
      yLabel: unitAxis[measure.unit],
      categories: figures.map((f) => f.label),
      series: [{ name: measure.name, values: figures.map((f) => f.figure) }],
      target: measure.target
        ? {
            value: measure.target.value,
            name: `Target ${formatFigure(measure, measure.target.value)}`,
          }
        : undefined,
      kind: "bar",
      height: 320,
    }),
  };
}

/**
 * The trends and breakdowns a page shows, counted together through computeMeasureResults: one
 * transaction, one statement per measure counted, and none for the figures kept since and still
 * current (decision 0041). A measure's problem (not recorded, no child population) is shown in
 * its place; a breakdown's problem is returned for the page to say.
 */
export async function dashboardFigures(
  db: Db,
  period: Period,
  trends: readonly MeasureQuery[],
  breakdowns: readonly (MeasureQuery & { breakdown: BreakdownKey })[] = [],
): Promise<{ trends: MeasureTrend[]; breakdowns: (MeasureBreakdown | KpiError)[] }> {
  const counted = trends.filter((q) => !q.measure.notRecorded);
  const results = await computeMeasureResults(db, [
    ...counted.map((q) => trendQuery(q, period)),
    ...breakdowns.map((q) => ({ ...q, breakdowns: [q.breakdown] })),
  ]);
  const byTrend = new Map(counted.map((q, i) => [q, results[i]]));
  return {
    trends: trends.map((q) => trendOf(q.measure, period, byTrend.get(q))),
    breakdowns: breakdowns.map((q, i) => {
      const result = results[counted.length + i];
      if (result instanceof KpiError) return result;
      return breakdownOf(q, period, result?.get(q.breakdown) ?? []);
    }),
  };
}
