/**
 * Change over time, the Workbook's measure of whether things are getting better: each person's
 * scorings on each instrument (and, for readiness to change, each goal), the first and latest
 * in the chosen period and the difference between their totals. Totals are compared only within
 * one instrument version, since another version may score differently.
 */
import type { Instrument } from "../../domain/instruments/instrument.ts";
import { scoreRange } from "../../domain/instruments/score.ts";
import { instrumentKey, type AvailableInstrument } from "./instruments.ts";
import { measureChart, type ChartModel } from "./measure-chart.ts";
import type { MeasureResultRow } from "./measure-queries.ts";

export interface Scoring {
  id: string;
  date: string;
  total: number;
  computedLabel: string;
  judgedLabel: string;
  overridden: boolean;
  recordedBy: string;
}

export interface ChangeGroup {
  id: string;
  personId: string;
  personName: string;
  instrumentName: string;
  version: string;
  goal: string | null;
  scorings: Scoring[];
  first: Scoring;
  latest: Scoring;
  /** Latest total minus first; null with a single scoring. */
  change: number | null;
  chart: ChartModel;
}

export interface Period {
  from: string | null;
  to: string | null;
}

export function levelLabel(instrument: Instrument | undefined, level: string): string {
  return instrument?.bands.find((b) => b.level === level)?.label ?? level;
}

export function changeText(change: number | null): string {
  if (change === null) return "Scored once";
  if (change === 0) return "No change";
  return `${change > 0 ? "Up" : "Down"} ${String(Math.abs(change))}`;
}

function inPeriod(date: string, period: Period): boolean {
  return (!period.from || date >= period.from) && (!period.to || date <= period.to);
}

export function changeOverTime(
  results: readonly MeasureResultRow[],
  members: readonly { id: string; name: string }[],
  instruments: readonly AvailableInstrument[],
  period: Period,
): ChangeGroup[] {
  const byKey = new Map(
    instruments.map((a) => [instrumentKey(a.instrument.id, a.instrument.version), a.instrument]),
  );
  const order = (r: MeasureResultRow) =>
    instruments.findIndex(
      (a) => a.instrument.id === r.instrument_code && a.instrument.version === r.instrument_version,
    );
  const groups = new Map<
    string,
    { member: { id: string; name: string }; rows: MeasureResultRow[] }
  >();
  for (const member of members) {
    const own = results
      .filter((r) => r.person_id === member.id && inPeriod(r.administered_on, period))
      .sort((a, b) => order(a) - order(b) || (a.goal ?? "").localeCompare(b.goal ?? ""));
    for (const row of own) {
      const key = [
        member.id,
        instrumentKey(row.instrument_code, row.instrument_version),
        row.goal ?? "",
      ].join("|");
      const group = groups.get(key) ?? { member, rows: [] };
      group.rows.push(row);
      groups.set(key, group);
    }
  }

  return [...groups.values()].flatMap(({ member, rows }, index) => {
    const sample = rows[0];
    if (!sample) return [];
    const instrument = byKey.get(instrumentKey(sample.instrument_code, sample.instrument_version));
    // Results arrive oldest first, so the group keeps that order.
    const scorings: Scoring[] = rows.map((r) => ({
      id: r.id,
      date: r.administered_on,
      total: r.total,
      computedLabel: levelLabel(instrument, r.computed_level),
      judgedLabel: levelLabel(instrument, r.judged_level),
      overridden: r.judged_level !== r.computed_level,
      recordedBy: `${r.recorded_by_name}, ${r.organisation_name}`,
    }));
    const first = scorings[0];
    const latest = scorings[scorings.length - 1];
    if (!first || !latest) return [];
    const name = instrument?.name ?? sample.instrument_code;
    const range = instrument
      ? scoreRange(instrument)
      : { min: Math.min(...rows.map((r) => r.total)), max: Math.max(...rows.map((r) => r.total)) };
    const goalText = sample.goal ? ` (goal: ${sample.goal})` : "";
    return [
      {
        id: `measure-${String(index + 1)}`,
        personId: member.id,
        personName: member.name,
        instrumentName: name,
        version: sample.instrument_version,
        goal: sample.goal,
        scorings,
        first,
        latest,
        change: scorings.length > 1 ? latest.total - first.total : null,
        chart: measureChart({
          title: `${name} for ${member.name}${goalText}`,
          points: scorings.map((s) => ({
            date: s.date,
            total: s.total,
            levelLabel: s.computedLabel,
          })),
          range,
          bands: instrument?.bands ?? [],
        }),
      },
    ];
  });
}
