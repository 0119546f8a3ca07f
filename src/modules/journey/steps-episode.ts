/**
 * Steps on the child's episode of need: starting an assessment, child in need plans, early
 * help, and closing the case (with step-down to early help).
 */
import type { FastifyInstance } from "fastify";
import { labelFor, primaryNeeds, reasonsForClosure } from "../../domain/code-lists.ts";
import {
  closeCaseRules,
  endRules,
  startAssessmentRules,
  startCinPlanRules,
  startEarlyHelpRules,
} from "../../domain/journey-rules.ts";
import { assessmentDue } from "../../domain/timescales.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import type { FormReader } from "../../platform/forms.ts";
import type { AppServices } from "../../platform/routes.ts";
import type { EarlyHelpEndReason } from "../../platform/schema.ts";
import { recordEvent, recordEvents, type ChronologyEvent } from "../chronology/record.ts";
import { personVisible } from "../../access/visibility.ts";
import { endAllocationsOfClosedCase } from "../caseloads/end.ts";
import { cancelWorkOfClosedCase, completeWork } from "../work/service.ts";
import { lockChildState, refuseIfBroken } from "./state.ts";
import { addStep, type StepContext } from "./steps.ts";

export const earlyHelpEndReasons = [
  { code: "needs_met", label: "Needs met" },
  { code: "stepped_up", label: "Stepped up to children's social care (record a contact next)" },
  { code: "disengaged", label: "Family no longer engaging" },
  { code: "moved_away", label: "Moved out of the area" },
  { code: "other", label: "Other" },
] as const satisfies readonly { code: EarlyHelpEndReason; label: string }[];

const yesNo = [
  { code: "yes", label: "Yes" },
  { code: "no", label: "No" },
] as const;

function required<T>(value: T | null): T {
  if (value === null) throw new AppError("validation", "Check the form");
  return value;
}

export function registerEpisodeSteps(app: FastifyInstance, services: AppServices): void {
  addStep(app, services, {
    url: "/people/:id/assessments/new",
    permission: "journey.record",
    audit: "assessment.start",
    title: "Start a child and family assessment",
    button: "Start assessment",
    fields: [{ kind: "date", name: "startedOn", label: "Date started" }],
    save: async ({ ctx, actor, person, today }, reader) => {
      const startedOn = reader.date("startedOn", "the start date", { required: true });
      reader.done();
      const state = await lockChildState(ctx.db, person.id);
      refuseIfBroken(
        startAssessmentRules(state, required(startedOn), today),
        "The assessment cannot start",
      );
      const referral = state.openReferral;
      if (!referral || !startedOn) throw new AppError("validation", "No open referral");
      const assessment = await ctx.db
        .insertInto("assessment")
        .values({
          la_id: actor.laId,
          referral_id: referral.id,
          person_id: person.id,
          started_on: startedOn,
          due_on: assessmentDue(referral.referralDate),
          recorded_by: actor.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: startedOn,
        kind: "assessment_started",
        summary: "Child and family assessment started",
        subject: { type: "assessment", id: assessment.id },
      });
      ctx.audit({ subjectType: "assessment", subjectId: assessment.id });
    },
  });

  addStep(app, services, {
    url: "/people/:id/cin-plans/new",
    permission: "journey.record",
    audit: "cin_plan.start",
    title: "Start a child in need plan",
    button: "Start plan",
    fields: [{ kind: "date", name: "startDate", label: "Date the plan starts" }],
    save: async ({ ctx, actor, person, today }, reader) => {
      const startDate = required(reader.date("startDate", "the start date", { required: true }));
      const state = await lockChildState(ctx.db, person.id);
      reader.done();
      refuseIfBroken(startCinPlanRules(state, startDate, today), "The plan cannot start");
      const referral = state.openReferral;
      if (!referral) throw new AppError("validation", "No open referral");
      const plan = await ctx.db
        .insertInto("cin_plan")
        .values({
          la_id: actor.laId,
          referral_id: referral.id,
          person_id: person.id,
          start_date: startDate,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: startDate,
        kind: "cin_plan_started",
        summary: "Child in need plan started",
        subject: { type: "cin_plan", id: plan.id },
      });
      await completeWork(ctx.db, actor, {
        personId: person.id,
        kinds: ["cin_plan", "plan_or_close"],
        subject: { type: "cin_plan", id: plan.id },
        doneOn: startDate,
      });
      ctx.audit({ subjectType: "cin_plan", subjectId: plan.id });
    },
  });

  addStep(app, services, {
    url: "/people/:id/cin-plans/:itemId/end",
    permission: "journey.record",
    audit: "cin_plan.end",
    title: "End the child in need plan",
    button: "End plan",
    fields: [{ kind: "date", name: "endDate", label: "Date the plan ends" }],
    describe: async (step) => ({ version: (await openCinPlan(step)).version }),
    save: async (step, reader) => {
      const { ctx, actor, person, today } = step;
      const version = reader.version();
      const endDate = required(reader.date("endDate", "the end date", { required: true }));
      reader.done();
      const plan = await openCinPlan(step, true);
      refuseIfBroken(endRules(plan.start_date, endDate, today, "plan"), "The plan cannot end");
      const ended = await ctx.db
        .updateTable("cin_plan")
        .set({ end_date: endDate, version: version + 1 })
        .where("id", "=", plan.id)
        .where("version", "=", version)
        .where("end_date", "is", null)
        .executeTakeFirst();
      if (ended.numUpdatedRows === 0n) throw staleEdit("child in need plan");
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: endDate,
        kind: "cin_plan_ended",
        summary: "Child in need plan ended",
        subject: { type: "cin_plan", id: plan.id },
      });
      ctx.audit({ subjectType: "cin_plan", subjectId: plan.id });
    },
  });

  addStep(app, services, {
    url: "/people/:id/early-help/new",
    permission: "journey.record",
    audit: "early_help.start",
    title: "Start early help",
    button: "Start early help",
    fields: [{ kind: "date", name: "startDate", label: "Date early help starts" }],
    save: async ({ ctx, actor, person, today }, reader) => {
      const startDate = required(reader.date("startDate", "the start date", { required: true }));
      reader.done();
      const state = await lockChildState(ctx.db, person.id);
      refuseIfBroken(startEarlyHelpRules(state, startDate, today), "Early help cannot start");
      const episode = await ctx.db
        .insertInto("early_help_episode")
        .values({
          la_id: actor.laId,
          person_id: person.id,
          start_date: startDate,
          recorded_by: actor.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: startDate,
        kind: "early_help_started",
        summary: "Early help started",
        subject: { type: "early_help_episode", id: episode.id },
      });
      ctx.audit({ subjectType: "early_help_episode", subjectId: episode.id });
    },
  });

  addStep(app, services, {
    url: "/people/:id/early-help/:itemId/end",
    permission: "journey.record",
    audit: "early_help.end",
    title: "End early help",
    button: "End early help",
    fields: [
      { kind: "date", name: "endDate", label: "Date early help ends" },
      { kind: "radios", name: "endReason", label: "Why is it ending?", items: earlyHelpEndReasons },
    ],
    describe: async (step) => ({ version: (await openEarlyHelp(step)).version }),
    save: async (step, reader) => {
      const { ctx, actor, person, today } = step;
      const version = reader.version();
      const endDate = reader.date("endDate", "the end date", { required: true });
      const reason = reader.code("endReason", earlyHelpEndReasons, "why early help is ending", {
        required: true,
      });
      reader.done();
      const episode = await openEarlyHelp(step, true);
      refuseIfBroken(
        endRules(episode.start_date, required(endDate), today, "early help"),
        "Early help cannot end",
      );
      const ended = await ctx.db
        .updateTable("early_help_episode")
        .set({ end_date: endDate, end_reason: reason, version: version + 1 })
        .where("id", "=", episode.id)
        .where("version", "=", version)
        .where("end_date", "is", null)
        .executeTakeFirst();
      if (ended.numUpdatedRows === 0n) throw staleEdit("early help episode");
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: required(endDate),
        kind: reason === "stepped_up" ? "step_up" : "early_help_ended",
        summary: `Early help ended: ${earlyHelpEndReasons.find((r) => r.code === reason)?.label ?? ""}`,
        subject: { type: "early_help_episode", id: episode.id },
      });
      ctx.audit({ subjectType: "early_help_episode", subjectId: episode.id });
    },
  });

  addStep(app, services, {
    url: "/people/:id/close",
    permission: "journey.record",
    audit: "case.close",
    title: "Close the case",
    button: "Close case",
    fields: [
      { kind: "date", name: "closedOn", label: "Date the case closes" },
      {
        kind: "radios",
        name: "closureReason",
        label: "Reason for closure",
        items: reasonsForClosure,
      },
      {
        kind: "radios",
        name: "primaryNeed",
        label: "Primary need during this episode",
        hint: "CIN census primary need code",
        items: primaryNeeds,
      },
      { kind: "radios", name: "stepDown", label: "Step down to early help?", items: yesNo },
    ],
    describe: async ({ ctx, person }) => {
      const referral = await ctx.db
        .selectFrom("referral")
        .select(["version", "referral_date"])
        .where("person_id", "=", person.id)
        .where("closed_on", "is", null)
        .executeTakeFirst();
      return referral
        ? { version: referral.version }
        : { intro: `${person.given_name} has no open case.` };
    },
    initial: async ({ ctx, person }) => {
      const referral = await ctx.db
        .selectFrom("referral")
        .select("primary_need")
        .where("person_id", "=", person.id)
        .where("closed_on", "is", null)
        .executeTakeFirst();
      return { primaryNeed: referral?.primary_need ?? "", stepDown: "no" };
    },
    save: async (step, reader) => closeCase(step, reader),
    // The closing worker may no longer see the child (decision 0021): back to their work.
    redirectAfter: async ({ ctx, actor, person }) => {
      const stillVisible = await ctx.db
        .selectFrom("person")
        .select("person.id")
        .where("person.id", "=", person.id)
        .where(personVisible(actor, ctx.now))
        .executeTakeFirst();
      return stillVisible ? undefined : "/my-work";
    },
  });
}

async function closeCase(
  { ctx, actor, person, today }: StepContext,
  reader: FormReader,
): Promise<void> {
  const version = reader.version();
  const closedOn = reader.date("closedOn", "the closure date", { required: true });
  const reason = reader.code("closureReason", reasonsForClosure, "the reason for closure", {
    required: true,
  });
  const primaryNeed = reader.code("primaryNeed", primaryNeeds, "the primary need", {
    required: true,
  });
  const stepDown = reader.yesNo("stepDown", "step down to early help", { required: true });
  reader.done();
  const state = await lockChildState(ctx.db, person.id);
  refuseIfBroken(closeCaseRules(state, required(closedOn), today), "The case cannot close");
  const referral = state.openReferral;
  if (!referral || !closedOn || !reason) throw new AppError("validation", "No open case");
  const events: ChronologyEvent[] = [];
  if (state.openCinPlan) {
    await ctx.db
      .updateTable("cin_plan")
      .set({ end_date: closedOn, version: (eb) => eb("version", "+", 1) })
      .where("id", "=", state.openCinPlan.id)
      .execute();
    events.push({
      personId: person.id,
      occurredOn: closedOn,
      kind: "cin_plan_ended",
      summary: "Child in need plan ended as the case closed",
      subject: { type: "cin_plan", id: state.openCinPlan.id },
    });
  }
  const closed = await ctx.db
    .updateTable("referral")
    .set({
      closed_on: closedOn,
      closure_reason: reason,
      primary_need: primaryNeed,
      closed_by: actor.userId,
      version: version + 1,
    })
    .where("id", "=", referral.id)
    .where("version", "=", version)
    .executeTakeFirst();
  if (closed.numUpdatedRows === 0n) throw staleEdit("case");
  events.push({
    personId: person.id,
    occurredOn: closedOn,
    kind: "case_closed",
    summary: `Case closed: ${labelFor(reasonsForClosure, reason)}`,
    subject: { type: "referral", id: referral.id },
  });
  // The closure is the work "close the case" asked for; the rest of the episode's work goes
  // with it, and so do the child's allocations (decision 0021).
  const subject = { type: "referral", id: referral.id };
  await completeWork(ctx.db, actor, {
    personId: person.id,
    kinds: ["close_case", "plan_or_close"],
    subject,
    doneOn: closedOn,
  });
  await cancelWorkOfClosedCase(ctx.db, person.id);
  const allocationsEnded = await endAllocationsOfClosedCase(
    ctx.db,
    actor,
    { personId: person.id, closedOn },
    today,
  );
  if (allocationsEnded > 0) {
    events.push({
      personId: person.id,
      occurredOn: closedOn,
      kind: "allocation_ended",
      summary: "Allocations ended as the case closed",
      subject,
    });
  }
  if (stepDown) {
    if (state.openEarlyHelp) {
      refuseIfBroken(
        [{ field: "stepDown", message: `${person.given_name} already has early help` }],
        "Check the closure",
      );
    }
    const episode = await ctx.db
      .insertInto("early_help_episode")
      .values({
        la_id: actor.laId,
        person_id: person.id,
        stepped_down_from: referral.id,
        start_date: closedOn,
        recorded_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    events.push({
      personId: person.id,
      occurredOn: closedOn,
      kind: "step_down",
      summary: "Stepped down from children's social care to early help",
      subject: { type: "early_help_episode", id: episode.id },
    });
  }
  await recordEvents(ctx.db, actor, events);
  ctx.audit({
    subjectType: "referral",
    subjectId: referral.id,
    summary: { reason, stepDown, allocationsEnded },
  });
}

async function openCinPlan({ ctx, person, itemId }: StepContext, saving = false) {
  const plan = await ctx.db
    .selectFrom("cin_plan")
    .select(["id", "start_date", "version"])
    .where("id", "=", itemId ?? "")
    .where("person_id", "=", person.id)
    .where("end_date", "is", null)
    .executeTakeFirst();
  if (!plan) throw saving ? staleEdit("child in need plan") : notFound("Open child in need plan");
  return plan;
}

async function openEarlyHelp({ ctx, person, itemId }: StepContext, saving = false) {
  const episode = await ctx.db
    .selectFrom("early_help_episode")
    .select(["id", "start_date", "version"])
    .where("id", "=", itemId ?? "")
    .where("person_id", "=", person.id)
    .where("end_date", "is", null)
    .executeTakeFirst();
  if (!episode) {
    throw saving ? staleEdit("early help episode") : notFound("Open early help episode");
  }
  return episode;
}

function staleEdit(what: string): AppError {
  return new AppError(
    "conflict",
    `Someone else changed this ${what} while you were working on it. Nothing you entered has been saved: check what is shown now and try again.`,
  );
}
