import { ethnicities, genders, primaryNeeds } from "../../domain/code-lists.ts";
import { ageBands, figureOf, type BreakdownKey, type Measure } from "../../domain/kpis/measures.ts";
import { suppressBreakdown } from "../../domain/kpis/suppression.ts";
import type { Cell } from "./engine.ts";

/** A figure as a page, chart or export shows it: suppressed and "no data" kept apart. */
export interface ShownFigure {
  label: string;
  /** The month or group the figure is for (the drill-down's key). */
  key: string;
  numerator: number | undefined;
  denominator: number | undefined;
  figure: number | undefined;
  suppressed: boolean;
  text: string;
}

export function formatFigure(measure: Measure, figure: number | undefined): string {
  if (figure === undefined) return "No data";
  const number = figure.toLocaleString("en-GB", { maximumFractionDigits: 1 });
  return measure.unit === "percent" ? `${number}%` : number;
}

const labelIn = (list: readonly { code: string; label: string }[], code: string) =>
  list.find((entry) => entry.code === code)?.label ?? code;

const SUPPRESSED = "Fewer than 5, or hidden to protect one";

/**
 * Figures for a line of cells with its total, suppressed (src/domain/kpis/suppression.ts):
 * the numerators as one line with their total, then the denominators alike; a figure is
 * hidden when either of its counts is. Rates per 10,000 have a population as denominator,
 * which names no child, so only their numerators are suppressed.
 */
export function shownLine(
  measure: Measure,
  line: { key: string; label: string; numerator: number; denominator: number }[],
): { figures: ShownFigure[]; total: ShownFigure } {
  const numerators = suppressBreakdown(line.map((c) => c.numerator));
  const countsChildren = measure.unit !== "rate_per_10k" && measure.unit !== "count";
  const denominators = countsChildren
    ? suppressBreakdown(line.map((c) => c.denominator))
    : { hidden: line.map(() => false), totalHidden: false };
  const show = (
    c: { key: string; label: string; numerator: number; denominator: number },
    hidden: boolean,
  ): ShownFigure => {
    const figure = figureOf(measure.unit, c.numerator, c.denominator);
    return {
      key: c.key,
      label: c.label,
      numerator: hidden ? undefined : c.numerator,
      denominator: hidden || measure.unit === "count" ? undefined : c.denominator,
      figure: hidden ? undefined : figure,
      suppressed: hidden,
      text: hidden ? SUPPRESSED : formatFigure(measure, figure),
    };
  };
  const figures = line.map((c, i) =>
    show(c, (numerators.hidden[i] ?? false) || (denominators.hidden[i] ?? false)),
  );
  const sum = line.reduce(
    (acc, c) => ({
      numerator: acc.numerator + c.numerator,
      denominator: acc.denominator + c.denominator,
    }),
    { numerator: 0, denominator: 0 },
  );
  // A population denominator is the same in every month: the total keeps it once per month.
  const totalDenominator =
    measure.unit === "rate_per_10k" ? (line[0]?.denominator ?? 0) * line.length : sum.denominator;
  const total = show(
    { key: "total", label: "Total", numerator: sum.numerator, denominator: totalDenominator },
    numerators.totalHidden || denominators.totalHidden,
  );
  return { figures, total };
}

/** A month's figure for each month of the period, with no breakdown. */
export function trendLine(measure: Measure, months: string[], cells: Cell[]): ShownFigure[] {
  const byMonth = new Map(cells.map((c) => [c.month, c]));
  return shownLine(
    measure,
    months.map((month) => ({
      key: month,
      label: month,
      numerator: byMonth.get(month)?.numerator ?? 0,
      denominator:
        byMonth.get(month)?.denominator ??
        (measure.unit === "rate_per_10k" ? (cells[0]?.denominator ?? 0) : 0),
    })),
  ).figures;
}

export function groupLabel(breakdown: BreakdownKey, group: string): string {
  switch (breakdown) {
    case "sex":
      return labelIn(genders, group);
    case "ethnicity":
      return labelIn(ethnicities, group);
    case "primary_need":
      return group === "none" ? "No referral" : labelIn(primaryNeeds, group);
    case "age_band":
      return (
        ageBands.find((b) => b.key === group)?.label ??
        (group === "unknown" ? "Date of birth not known" : "18 or over")
      );
    default:
      return group;
  }
}

/**
 * A breakdown over the period: each group's counts summed over the months, or for a measure
 * counted on each month's last day, the last month's.
 */
export function breakdownLine(
  measure: Measure,
  breakdown: BreakdownKey,
  lastMonth: string,
  cells: Cell[],
): { figures: ShownFigure[]; total: ShownFigure } {
  const used = measure.snapshot ? cells.filter((c) => c.month === lastMonth) : cells;
  const groups = new Map<string, { numerator: number; denominator: number }>();
  for (const c of used) {
    const g = groups.get(c.group) ?? { numerator: 0, denominator: 0 };
    g.numerator += c.numerator;
    // A population is the group's whatever the month.
    g.denominator = measure.unit === "rate_per_10k" ? c.denominator : g.denominator + c.denominator;
    groups.set(c.group, g);
  }
  const line = [...groups].map(([group, counts]) => ({
    key: group,
    label: groupLabel(breakdown, group),
    ...counts,
  }));
  line.sort((a, b) => a.label.localeCompare(b.label));
  const shown = shownLine(measure, line);
  if (measure.unit === "rate_per_10k") {
    const population = line.reduce((sum, l) => sum + l.denominator, 0);
    const figure = figureOf(measure.unit, shown.total.numerator ?? 0, population);
    if (!shown.total.suppressed)
      shown.total = {
        ...shown.total,
        denominator: population,
        figure,
        text: formatFigure(measure, figure),
      };
  }
  return shown;
}

/** The CSV of a line of figures (RFC 4180 quoting); suppressed counts are left empty. */
export function figuresCsv(measure: Measure, heading: string, figures: ShownFigure[]): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = [
    [heading, "Numerator", "Denominator", measure.name, "Suppressed"],
    ...figures.map((f) => [
      f.label,
      f.numerator === undefined ? "" : String(f.numerator),
      f.denominator === undefined ? "" : String(f.denominator),
      f.figure === undefined ? "" : String(f.figure),
      f.suppressed ? "yes" : "no",
    ]),
  ];
  return rows.map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
}
