import { ethnicities } from "../../domain/code-lists.ts";
import { relativeRates } from "../../domain/kpis/disproportionality.ts";
import {
  breakdownLabel,
  measureOf,
  populationBreakdowns,
  type BreakdownKey,
} from "../../domain/kpis/measures.ts";
import { isSmall, suppressBreakdown } from "../../domain/kpis/suppression.ts";
import { AppError } from "../../platform/errors.ts";
import type { Db } from "../../platform/database.ts";
import { trendChartSvg } from "./charts.ts";
import { measureQuery } from "./dashboard.ts";
import { childPopulation, cohortChildrenByGroup, KpiError } from "./engine.ts";
import { groupLabel } from "./figures.ts";
import type { KpiRequest } from "./request.ts";

/** The cohorts the "reducing disproportionality" group asks about (issue 13). */
export const disproportionalityCohorts = [
  "cp_plans_repeat",
  "entries_to_care",
  "looked_after",
  "missing_episodes",
  "s47_rate",
  "re_referrals",
  "assessments_nfa",
] as const;

const cohortText: Record<(typeof disproportionalityCohorts)[number], string> = {
  cp_plans_repeat: "Children starting a child protection plan",
  entries_to_care: "Children entering care",
  looked_after: "Children looked after",
  missing_episodes: "Children going missing",
  s47_rate: "Children subject to a section 47 enquiry",
  re_referrals: "Children referred",
  assessments_nfa: "Children assessed",
};

const round = (n: number | undefined, places = 2) =>
  n === undefined ? undefined : Math.round(n * 10 ** places) / 10 ** places;

/**
 * Rates per 10,000 and relative rate indices with Katz 95% intervals
 * (src/domain/kpis/disproportionality.ts), by ethnicity, sex or age band. A group whose cohort
 * count is 1 to 4 is suppressed, with secondary suppression across groups, and its index too:
 * an index and a population would give the count back.
 */
export async function disproportionalityPage(
  db: Db,
  kpi: KpiRequest,
  query: Record<string, string | undefined>,
  now: Date,
) {
  const cohort = (query.cohort ?? "cp_plans_repeat") as (typeof disproportionalityCohorts)[number];
  if (!disproportionalityCohorts.includes(cohort)) {
    throw new AppError("validation", "Choose one of the cohorts listed");
  }
  const by = (query.by ?? "ethnicity") as BreakdownKey;
  if (!populationBreakdowns.includes(by)) {
    throw new AppError("validation", "Disproportionality is by ethnicity, sex or age band");
  }
  const comparison = query.comparison ?? (by === "ethnicity" ? "WBRI" : "");
  const measure = measureOf(cohort);
  if (!measure) throw new AppError("not_found", "Page not found");
  let problem: string | undefined;
  let rows: {
    label: string;
    cohort: string;
    population: number;
    rate: string;
    rri: string;
    interval: string;
    comparison: boolean;
  }[] = [];
  let chart = "";
  try {
    const population = await childPopulation(db, kpi.actor.laId, by);
    const children = await cohortChildrenByGroup(db, {
      ...measureQuery(kpi.actor, kpi.scope, measure, kpi.period, now),
      breakdown: by,
    });
    const groups = [...population.keys()].sort();
    const rates = relativeRates(
      groups.map((group) => ({
        group,
        cohort: children.get(group) ?? 0,
        population: population.get(group) ?? 0,
      })),
      comparison || undefined,
    );
    const { hidden } = suppressBreakdown(rates.map((r) => r.cohort));
    rows = rates.map((r, i) => {
      const suppressed = hidden[i] ?? isSmall(r.cohort);
      return {
        label: groupLabel(by, r.group),
        cohort: suppressed ? "Fewer than 5, or hidden to protect one" : String(r.cohort),
        population: r.population,
        rate: suppressed || r.rate === undefined ? "Not shown" : String(round(r.rate, 1)),
        rri: suppressed || r.rri === undefined ? "Not shown" : String(round(r.rri)),
        interval:
          suppressed || r.lower === undefined || r.upper === undefined
            ? "Not shown"
            : `${String(round(r.lower))} to ${String(round(r.upper))}`,
        comparison: r.group === comparison,
        value: suppressed ? undefined : round(r.rri),
      };
    });
    chart = trendChartSvg({
      title: `Relative rate index: ${cohortText[cohort].toLowerCase()}`,
      better: "1 means the same rate as the comparison group; above 1, over-represented",
      xLabel: breakdownLabel(by),
      yLabel: "Relative rate index",
      categories: rows.map((r) => r.label),
      series: [
        {
          name: "Relative rate index",
          values: rows.map((_r, i) => (hidden[i] ? undefined : round(rates[i]?.rri))),
        },
      ],
      target: { value: 1, name: "Parity (1)" },
      kind: "bar",
      height: 360,
    });
  } catch (error) {
    if (!(error instanceof KpiError)) throw error;
    problem = error.message;
  }
  return {
    title: "Disproportionality",
    problem,
    rows,
    chart,
    values: { ...kpi.values, cohort, by, comparison },
    cohortItems: disproportionalityCohorts.map((c) => ({
      value: c,
      text: cohortText[c],
      selected: c === cohort,
    })),
    byItems: populationBreakdowns.map((b) => ({
      value: b,
      text: breakdownLabel(b),
      selected: b === by,
    })),
    comparisonItems: [
      { value: "", text: "Every other child" },
      ...(by === "ethnicity"
        ? ethnicities.map((e) => ({
            value: e.code,
            text: e.label,
            selected: e.code === comparison,
          }))
        : []),
    ],
  };
}
