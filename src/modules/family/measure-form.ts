/**
 * The form for scoring one measure for one family member, and its save. The answers are scored
 * by the domain's scoreAnswers (which refuses, naming each item, anything missing or out of
 * range) and the practitioner's judged level checked by applyJudgement; only a complete,
 * accepted scoring is written, with any alerts its answers raise.
 */
import type { Actor } from "../../access/actor.ts";
import { dateParts, FormReader } from "../../platform/forms.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Instrument } from "../../domain/instruments/instrument.ts";
import {
  applyJudgement,
  scoreAnswers,
  type Answers,
  type RaisedAlert,
} from "../../domain/instruments/score.ts";
import type { RouteContext, RouteResult } from "../../platform/routes.ts";
import type { FamilyMember, VisibleFamily, Workbook } from "./family.ts";
import type { AvailableInstrument } from "./instruments.ts";

/** Readiness to change is scaled against a goal the person names. */
export const GOAL_INSTRUMENT = "readiness_to_change";
const GOAL_MAX = 500;
const REASON_MAX = 2000;

export interface MeasureFormContext {
  family: VisibleFamily;
  workbook: Workbook;
  member: FamilyMember;
  entry: AvailableInstrument;
  earlierGoals: string[];
}

type Form = Record<string, unknown>;

export const itemField = (itemId: string): string => `item_${itemId}`;

/** The submitted answers as numbers, and a problem for any answer that is not a number. */
function readAnswers(
  instrument: Instrument,
  form: Form,
): { answers: Answers; problems: { itemId: string; message: string }[] } {
  const answers: Record<string, number> = {};
  const problems: { itemId: string; message: string }[] = [];
  for (const item of instrument.items) {
    const value = form[itemField(item.id)];
    const raw = typeof value === "string" ? value.trim() : "";
    if (raw === "") continue;
    if (/^-?\d{1,6}$/.test(raw)) answers[item.id] = Number(raw);
    else
      problems.push({ itemId: item.id, message: `Select one of the answers for "${item.label}"` });
  }
  return { answers, problems };
}

/** Alerts the submitted answers raise, even when the scoring as a whole is refused. */
export function alertsFromForm(instrument: Instrument, form: Form): RaisedAlert[] {
  return scoreAnswers(instrument, readAnswers(instrument, form).answers).alerts;
}

function judgementHint(instrument: Instrument): string {
  return instrument.overridePolicy === "raise_only"
    ? "Leave this as the level the answers give unless your professional judgement is that the risk is higher. You may raise the level, giving a reason, but not lower it."
    : "This measure's level cannot be changed: leave it as the level the answers give and record your professional judgement in the Workbook.";
}

export function measureFormPage(
  fc: MeasureFormContext,
  values: Form,
  alerts: readonly RaisedAlert[] = [],
): RouteResult {
  const { instrument } = fc.entry;
  const value = (name: string) => (typeof values[name] === "string" ? values[name] : "");
  return {
    view: "family/views/measure-form.njk",
    data: {
      title: `Score ${instrument.name}`,
      family: fc.family,
      member: fc.member,
      instrument,
      alerts,
      action: `/families/${fc.family.id}/workbook/measures`,
      items: instrument.items.map((item) => ({
        name: itemField(item.id),
        label: item.label,
        options: item.options.map((o) => ({
          value: String(o.value),
          text: o.label,
          checked: value(itemField(item.id)) === String(o.value),
        })),
      })),
      asksGoal: instrument.id === GOAL_INSTRUMENT,
      earlierGoals: fc.earlierGoals,
      levels: [
        { value: "", text: "The level the answers give", checked: value("judgedLevel") === "" },
        ...instrument.bands.map((b) => ({
          value: b.level,
          text: `${b.label} (${String(b.min)} to ${String(b.max)})`,
          checked: value("judgedLevel") === b.level,
        })),
      ],
      judgementHint: judgementHint(instrument),
      values,
    },
  };
}

/** Initial values: today's date, nothing answered, the computed level. */
export function blankForm(now: Date): Form {
  return { ...dateParts("administeredOn", todayIn(now)), judgedLevel: "" };
}

/**
 * Validates and scores the form, then writes the result and its alerts. Throws the form's
 * validation error (naming each item) before writing anything.
 */
export async function saveMeasure(
  ctx: RouteContext,
  actor: Actor,
  fc: MeasureFormContext,
  form: Form,
): Promise<{ resultId: string; alerts: number }> {
  const { instrument, discipline } = fc.entry;
  const f = new FormReader(form);
  const administeredOn = f.date("administeredOn", "the date it was administered", {
    required: true,
    notAfter: todayIn(ctx.now),
    notBefore: { date: fc.workbook.openedOn, what: "the day the Workbook was opened" },
  });
  const { answers, problems } = readAnswers(instrument, form);
  for (const p of problems) f.fail(itemField(p.itemId), p.message);
  const scored = scoreAnswers(instrument, answers);
  if (!scored.ok) for (const e of scored.errors) f.fail(itemField(e.itemId), e.message);
  const goal =
    instrument.id === GOAL_INSTRUMENT
      ? f.text("goal", "the goal the person is scaling their readiness for", {
          required: true,
          max: GOAL_MAX,
        })
      : null;
  const reason = f.text("judgementReason", "the reason for your judgement", { max: REASON_MAX });
  let judged: { level: string; reason: string | null } | undefined;
  if (scored.ok) {
    const chosen = f.raw("judgedLevel") || scored.band.level;
    const judgement = applyJudgement(instrument, scored.band.level, chosen, reason);
    if (judgement.ok) judged = { level: judgement.level, reason: judgement.reason };
    else {
      f.fail(
        judgement.error === "reason_required" ? "judgementReason" : "judgedLevel",
        judgement.message,
      );
    }
  }
  f.done();
  if (!scored.ok || !judged || administeredOn === null) {
    throw new Error("validated form lost a value");
  }

  const saved = await ctx.db
    .insertInto("measure_result")
    .values({
      la_id: fc.family.laId,
      workbook_id: fc.workbook.id,
      person_id: fc.member.id,
      instrument_code: instrument.id,
      instrument_version: instrument.version,
      discipline,
      administered_on: administeredOn,
      answers: JSON.stringify(answers),
      total: scored.total,
      computed_level: scored.band.level,
      judged_level: judged.level,
      judgement_reason: judged.reason,
      goal: goal || null,
      recorded_by: actor.userId,
      organisation_id: actor.organisationId,
      recorded_at: ctx.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (scored.alerts.length > 0) {
    await ctx.db
      .insertInto("measure_alert")
      .values(
        scored.alerts.map((alert) => ({
          la_id: fc.family.laId,
          measure_result_id: saved.id,
          workbook_id: fc.workbook.id,
          person_id: fc.member.id,
          code: alert.code,
          message: alert.message,
          raised_at: ctx.now,
        })),
      )
      .execute();
  }
  return { resultId: saved.id, alerts: scored.alerts.length };
}
