/**
 * Scored measures for the demo's adults, repeated every 4 to 8 weeks from when their specialist
 * started: answers are drawn to land near a target total that moves along a trend, and the
 * total and level always come from scoreAnswers, exactly as when a worker records them.
 */
import type { Insertable } from "kysely";
import { builtInMeasureDisciplines } from "../domain/family-safeguarding.ts";
import type { Instrument } from "../domain/instruments/instrument.ts";
import {
  audit,
  dashRiskChecklist,
  gad7,
  phq9,
  readinessToChange,
} from "../domain/instruments/library.ts";
import { applyJudgement, itemPoints, scoreAnswers } from "../domain/instruments/score.ts";
import type { DB } from "../platform/schema.ts";
import { workingTime } from "./journeys-calendar.ts";
import { dateOf } from "./journeys-calendar.ts";
import type { Random } from "./random.ts";
import type { UserInfo } from "./staff.ts";

/** ASSUMPTION (Workbook practice): measures are repeated every 4 to 8 weeks. */
const MIN_INTERVAL_DAYS = 28;
const MAX_INTERVAL_DAYS = 56;

export interface MeasureRows {
  measure_result: Insertable<DB["measure_result"]>[];
  measure_alert: Insertable<DB["measure_alert"]>[];
}

export interface MeasureContext {
  rng: Random;
  id: () => string;
  laId: string;
  today: number;
  workbookId: string;
  rows: MeasureRows;
}

/** Where a series starts and ends, as target totals. */
export interface Trend {
  from: number;
  to: number;
}

export interface SeriesOptions {
  /** Readiness to change is scaled per goal. */
  goal?: string;
  /** The latest result's self-harm item is answered above zero, raising its alert. */
  alertOnLatest?: boolean;
  /** The first result's level is raised one band by professional judgement, with a reason. */
  raiseFirst?: string;
}

/** Days on which a measure is administered: from `start`, every 4-8 weeks, before today. */
export function measureDays(rng: Random, start: number, today: number): number[] {
  const days: number[] = [];
  for (let day = start; day < today; day += rng.int(MIN_INTERVAL_DAYS, MAX_INTERVAL_DAYS)) {
    days.push(day);
  }
  // Two results at least where there is room for four weeks between them: change needs two.
  const last = days[days.length - 1];
  if (days.length === 1 && last !== undefined && today - 1 - last >= MIN_INTERVAL_DAYS) {
    days.push(last + rng.int(MIN_INTERVAL_DAYS, today - 1 - last));
  }
  return days;
}

/**
 * Answers whose total is as near `target` as the items allow: every item starts at its lowest
 * option and random items step up one option at a time. `pinned` answers are kept as given.
 */
export function answersNear(
  instrument: Instrument,
  target: number,
  rng: Random,
  pinned: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const points = (value: number) => itemPoints(instrument.scoring, value);
  const ladders = new Map(
    instrument.items.map((item) => [
      item.id,
      item.options.map((o) => o.value).sort((a, b) => points(a) - points(b)),
    ]),
  );
  const answers: Record<string, number> = {};
  const step: Record<string, number> = {};
  let total = 0;
  for (const item of instrument.items) {
    const value = pinned[item.id] ?? ladders.get(item.id)?.[0] ?? 0;
    answers[item.id] = value;
    step[item.id] = ladders.get(item.id)?.indexOf(value) ?? 0;
    total += points(value);
  }
  for (;;) {
    const open = instrument.items.filter((item) => {
      if (Object.hasOwn(pinned, item.id)) return false;
      const next = ladders.get(item.id)?.[(step[item.id] ?? 0) + 1];
      return next !== undefined && total + points(next) - points(answers[item.id] ?? 0) <= target;
    });
    if (open.length === 0) return answers;
    const item = rng.pick(open);
    const next = ladders.get(item.id)?.[(step[item.id] ?? 0) + 1] ?? 0;
    total += points(next) - points(answers[item.id] ?? 0);
    answers[item.id] = next;
    step[item.id] = (step[item.id] ?? 0) + 1;
  }
}

/** Target totals along the trend, one per day, with a little noise, never past the ends. */
function targets(rng: Random, trend: Trend, count: number): number[] {
  const low = Math.min(trend.from, trend.to);
  const high = Math.max(trend.from, trend.to);
  return Array.from({ length: count }, (_, i) => {
    if (i === 0) return trend.from;
    if (i === count - 1) return trend.to;
    const line = trend.from + ((trend.to - trend.from) * i) / (count - 1);
    return Math.min(high, Math.max(low, Math.round(line) + rng.int(-1, 1)));
  });
}

/** A series of one instrument for one person, recorded by `by` on each of `days`. */
export function measureSeries(
  ctx: MeasureContext,
  instrument: Instrument,
  personId: string,
  by: UserInfo,
  days: readonly number[],
  trend: Trend,
  options: SeriesOptions = {},
): void {
  const { rng, rows } = ctx;
  const alert = instrument.alerts?.[0];
  targets(rng, trend, days.length).forEach((target, i) => {
    const day = days[i] ?? ctx.today;
    const latest = i === days.length - 1;
    // Only the one chosen result answers the alert item above zero.
    const pinned = alert ? { [alert.itemId]: latest && options.alertOnLatest ? 1 : 0 } : {};
    const answers = answersNear(instrument, target, rng, pinned);
    const scored = scoreAnswers(instrument, answers);
    if (!scored.ok) throw new Error(`demo answers for ${instrument.id} do not score`);
    let judged = scored.band.level;
    let reason: string | null = null;
    if (i === 0 && options.raiseFirst) {
      const index = instrument.bands.findIndex((b) => b.level === scored.band.level);
      const higher = instrument.bands[index + 1]?.level ?? scored.band.level;
      const judgement = applyJudgement(instrument, scored.band.level, higher, options.raiseFirst);
      if (!judgement.ok) throw new Error(`demo judgement refused: ${judgement.message}`);
      judged = judgement.level;
      reason = judgement.reason;
    }
    const id = ctx.id();
    const recordedAt = workingTime(rng, day);
    rows.measure_result.push({
      id,
      la_id: ctx.laId,
      workbook_id: ctx.workbookId,
      person_id: personId,
      instrument_code: instrument.id,
      instrument_version: instrument.version,
      discipline: builtInMeasureDisciplines[instrument.id] ?? "general",
      administered_on: dateOf(day),
      answers: JSON.stringify(answers),
      total: scored.total,
      computed_level: scored.band.level,
      judged_level: judged,
      judgement_reason: reason,
      goal: options.goal ?? null,
      recorded_by: by.id,
      organisation_id: by.team.organisationId,
      recorded_at: recordedAt,
    });
    for (const raised of scored.alerts) {
      rows.measure_alert.push({
        id: ctx.id(),
        la_id: ctx.laId,
        measure_result_id: id,
        workbook_id: ctx.workbookId,
        person_id: personId,
        code: raised.code,
        message: raised.message,
        raised_at: recordedAt,
        acknowledged_by: null,
        acknowledged_at: null,
        acknowledgement: null,
      });
    }
  });
}

/** ASSUMPTION: starting and closing scores typical of families the Workbook is opened for. */
export const TRENDS = {
  /** Harmful or dependent drinking (zones III-IV) falling to zones I-II. */
  audit: (rng: Random): Trend => ({ from: rng.int(17, 26), to: rng.int(4, 12) }),
  /** Moderate to severe depression easing to mild or minimal. */
  phq9: (rng: Random, worsening: boolean): Trend =>
    worsening
      ? { from: rng.int(8, 11), to: rng.int(15, 18) }
      : { from: rng.int(14, 21), to: rng.int(3, 9) },
  gad7: (rng: Random, worsening: boolean): Trend =>
    worsening
      ? { from: rng.int(7, 9), to: rng.int(13, 16) }
      : { from: rng.int(11, 17), to: rng.int(3, 8) },
  /** Risk factors counted on the checklist falling from medium or high to standard. */
  dash: (rng: Random): Trend => ({ from: rng.int(11, 17), to: rng.int(3, 8) }),
  readiness: (rng: Random): Trend => ({ from: rng.int(2, 4), to: rng.int(6, 9) }),
};

export const INSTRUMENTS = { audit, phq9, gad7, dash: dashRiskChecklist, readinessToChange };
