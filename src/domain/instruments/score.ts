/**
 * Scoring a completed instrument and recording professional judgement against the result.
 * Nothing here guesses: a missing or impossible answer refuses the whole score, because a
 * total from part of a questionnaire would be compared, over time, with totals from all of it.
 */
import type { AlertTrigger, Band, Instrument, ScoringRule } from "./instrument-schema.ts";

/** Answer values keyed by item id, as submitted. */
export type Answers = Readonly<Record<string, number>>;

export interface ScoredBand {
  level: string;
  label: string;
  note?: string;
}

export interface RaisedAlert {
  code: string;
  itemId: string;
  message: string;
}

export interface AnswerError {
  itemId: string;
  message: string;
}

/**
 * A refusal still carries the alerts raised by the answers that were valid: a self-harm answer
 * must not go unseen because another item was left blank. It carries no total and no band.
 */
export type ScoreResult =
  | { ok: true; total: number; band: ScoredBand; alerts: RaisedAlert[] }
  | { ok: false; errors: AnswerError[]; alerts: RaisedAlert[] };

/** What one answer adds to the total under the instrument's rule. */
export function itemPoints(rule: ScoringRule, value: number): number {
  return rule.kind === "sum" ? value : value === rule.value ? 1 : 0;
}

/** The lowest and highest totals the items allow; the bands must cover exactly this. */
export function scoreRange(instrument: Pick<Instrument, "items" | "scoring">): {
  min: number;
  max: number;
} {
  let min = 0;
  let max = 0;
  for (const item of instrument.items) {
    const points = item.options.map((o) => itemPoints(instrument.scoring, o.value));
    min += Math.min(...points);
    max += Math.max(...points);
  }
  return { min, max };
}

/** Whether an answer value meets an alert's condition. */
export function alertFires(when: AlertTrigger, value: number): boolean {
  return when.kind === "non_zero" ? value !== 0 : value >= when.value;
}

/** The band a total falls in; `undefined` only for an instrument that failed validation. */
export function bandFor(instrument: Instrument, total: number): Band | undefined {
  return instrument.bands.find((b) => total >= b.min && total <= b.max);
}

/**
 * Scores a complete set of answers. Refuses, naming each item, any missing answer, any value
 * that is not one of the item's options, and any answer to an item the instrument does not
 * have (usually answers meant for another version).
 */
export function scoreAnswers(instrument: Instrument, answers: Answers): ScoreResult {
  const errors: AnswerError[] = [];
  const valid = new Map<string, number>();
  for (const item of instrument.items) {
    // hasOwn: an item id such as "constructor" must not find Object.prototype.
    const value = Object.hasOwn(answers, item.id) ? answers[item.id] : undefined;
    if (value === undefined) {
      errors.push({ itemId: item.id, message: `No answer for "${item.label}"` });
    } else if (!item.options.some((o) => o.value === value)) {
      const allowed = item.options.map((o) => o.value).join(", ");
      errors.push({
        itemId: item.id,
        message: `${String(value)} is not an answer to "${item.label}": allowed values are ${allowed}`,
      });
    } else {
      valid.set(item.id, value);
    }
  }
  for (const key of Object.keys(answers)) {
    if (!instrument.items.some((item) => item.id === key)) {
      errors.push({
        itemId: key,
        message: `"${key}" is not an item of ${instrument.name} version ${instrument.version}`,
      });
    }
  }

  const alerts = (instrument.alerts ?? []).flatMap((alert) => {
    const value = valid.get(alert.itemId);
    return value !== undefined && alertFires(alert.when, value)
      ? [{ code: alert.code, itemId: alert.itemId, message: alert.message }]
      : [];
  });
  if (errors.length) return { ok: false, errors, alerts };

  let total = 0;
  for (const value of valid.values()) total += itemPoints(instrument.scoring, value);
  const band = bandFor(instrument, total);
  if (!band) {
    throw new Error(`${instrument.id}: no band covers ${total}; validate the instrument first`);
  }
  const { level, label, note } = band;
  return { ok: true, total, band: note ? { level, label, note } : { level, label }, alerts };
}

export type JudgementError =
  "unknown_level" | "no_override_policy" | "lower_refused" | "reason_required";

export type JudgementResult =
  | { ok: true; level: string; label: string; overridden: boolean; reason: string | null }
  | { ok: false; error: JudgementError; message: string };

/**
 * Records the level a practitioner judges right against the computed one. Levels rank in the
 * order of the bands. Agreeing with the computed level is always accepted; a different level
 * needs the instrument's override policy: under `raise_only` a higher level needs a reason and
 * a lower one is refused. Without a policy the computed level stands and judgement belongs in
 * the assessment's narrative, not in a changed score.
 */
export function applyJudgement(
  instrument: Instrument,
  computedLevel: string,
  judgedLevel: string,
  reason: string | null | undefined,
): JudgementResult {
  const rank = (level: string) => instrument.bands.findIndex((b) => b.level === level);
  const computed = instrument.bands[rank(computedLevel)];
  const judged = instrument.bands[rank(judgedLevel)];
  const trimmed = reason?.trim() ?? "";
  if (!computed || !judged) {
    const unknown = computed ? judgedLevel : computedLevel;
    const known = instrument.bands.map((b) => b.level).join(", ");
    return {
      ok: false,
      error: "unknown_level",
      message: `"${unknown}" is not a level of ${instrument.name}: levels are ${known}`,
    };
  }
  if (judged === computed) {
    return {
      ok: true,
      level: judged.level,
      label: judged.label,
      overridden: false,
      reason: trimmed || null,
    };
  }
  if (instrument.overridePolicy !== "raise_only") {
    return {
      ok: false,
      error: "no_override_policy",
      message: `${instrument.name} does not allow its level to be changed: record your judgement in the assessment`,
    };
  }
  if (rank(judgedLevel) < rank(computedLevel)) {
    return {
      ok: false,
      error: "lower_refused",
      message: `Professional judgement can raise the level but not lower it: "${judged.label}" is below the computed "${computed.label}"`,
    };
  }
  if (!trimmed) {
    return {
      ok: false,
      error: "reason_required",
      message: `Give a reason for raising the level from "${computed.label}" to "${judged.label}"`,
    };
  }
  return { ok: true, level: judged.level, label: judged.label, overridden: true, reason: trimmed };
}
