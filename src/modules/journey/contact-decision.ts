/**
 * A manager's decision on a contact, for each child it concerns: assessment or strategy
 * discussion opens (or joins) the child's referral and allocates a worker if one is chosen;
 * early help opens an early help episode; no further action ends it. Each creates the work
 * it implies (decision 0020) for the chosen worker or on the manager's team's unallocated
 * queue. All of it, or none, is saved.
 */
import { todayIn } from "../../domain/dates.ts";
import { decisionRules, notInFuture } from "../../domain/journey-rules.ts";
import {
  assessmentDue,
  nextStepDue,
  referrerFeedbackDue,
  strategyDiscussionDue,
} from "../../domain/timescales.ts";
import type { WorkKind } from "../../domain/work.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { actorOf, type RouteContext } from "../../platform/routes.ts";
import type { ContactDecision } from "../../platform/schema.ts";
import { recordEvents, type ChronologyEvent } from "../chronology/record.ts";
import type { ContactWithChildren } from "./queries.ts";
import { lockChildState, refuseIfBroken } from "./state.ts";
import { createWork } from "../work/service.ts";
import { strategyDiscussionWorkingDays } from "../work/queries.ts";
import { allocatableWorkers, allocateIfNeeded } from "./workers.ts";

export const contactDecisions = [
  { code: "no_further_action", label: "No further action" },
  { code: "early_help", label: "Early help" },
  { code: "assessment", label: "Child and family assessment" },
  { code: "strategy_discussion", label: "Strategy discussion" },
] as const;

const opensReferral = (decision: ContactDecision) =>
  decision === "assessment" || decision === "strategy_discussion";

export async function decideContact(
  ctx: RouteContext,
  contact: ContactWithChildren,
  form: Record<string, unknown>,
): Promise<void> {
  const actor = actorOf(ctx);
  const today = todayIn(ctx.now);
  const reader = new FormReader(form);
  const version = reader.version();
  const decision = reader.code("decision", contactDecisions, "a decision", { required: true });
  const reason = reader.text("decisionReason", "the reason for the decision", { required: true });
  const decidedOn = reader.date("decidedOn", "the decision date", { required: true });
  const workers = await allocatableWorkers(ctx.db, actor);
  const workerId = reader.raw("workerId");
  const worker = workers.find((w) => w.id === workerId);
  // No worker is allowed: the work then waits on the manager's team's unallocated queue.
  if (workerId && !worker) reader.fail("workerId", "Select a social worker from the list");
  reader.done();
  if (!decision || !decidedOn) throw new AppError("validation", "Check the decision");
  refuseIfBroken(decisionRules(contact.received_on, decidedOn, today), "Check the decision");
  if (contact.decision !== null || contact.version !== version) {
    throw new AppError(
      "conflict",
      "A decision has already been recorded on this contact. Nothing you entered has been saved: check the decision shown.",
    );
  }

  const events: ChronologyEvent[] = [];
  // The worker chosen holds the work; with none, the child's own social worker does, or
  // failing that it waits on the manager's team's unallocated queue (holderFor).
  const holder = worker ? { teamId: worker.team_id, workerId: worker.id } : undefined;
  const strategyDays = await strategyDiscussionWorkingDays(ctx.db, actor.laId);
  const work = (personId: string, kind: WorkKind, dueOn: string) =>
    createWork(ctx.db, actor, {
      personId,
      kind,
      dueOn,
      createdOn: decidedOn,
      source: { type: "contact", id: contact.id },
      ...(holder ? { holder } : {}),
    });
  const label = contactDecisions.find((d) => d.code === decision)?.label ?? decision;
  for (const child of contact.children) {
    const state = await lockChildState(ctx.db, child.id);
    events.push({
      personId: child.id,
      occurredOn: decidedOn,
      kind: "contact_decision",
      summary: `Contact decision: ${label}`,
      subject: { type: "contact", id: contact.id },
    });
    if (decision === "no_further_action") {
      await work(child.id, "feedback_to_referrer", referrerFeedbackDue(decidedOn));
      continue;
    }
    if (decision === "early_help") {
      if (state.openReferral) {
        refuseIfBroken(
          [
            {
              field: "decision",
              message: `${state.name} has an open case with children's social care, so early help cannot start from this contact. Choose assessment or strategy discussion, or no further action and add a case note.`,
            },
          ],
          "Check the decision",
        );
      }
      if (!state.openEarlyHelp) {
        const episode = await ctx.db
          .insertInto("early_help_episode")
          .values({
            la_id: actor.laId,
            person_id: child.id,
            contact_id: contact.id,
            start_date: decidedOn,
            recorded_by: actor.userId,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        events.push({
          personId: child.id,
          occurredOn: decidedOn,
          kind: "early_help_started",
          summary: "Early help started after a contact",
          subject: { type: "early_help_episode", id: episode.id },
        });
      }
      await work(child.id, "early_help", nextStepDue(decidedOn));
      continue;
    }
    if (!opensReferral(decision)) continue;
    refuseIfBroken(
      notInFuture(decidedOn, today, "decidedOn-day", "decision date"),
      "Check the decision",
    );
    let referralId = state.openReferral?.id;
    let referralDate = state.openReferral?.referralDate ?? contact.received_on;
    if (!referralId) {
      const referral = await ctx.db
        .insertInto("referral")
        .values({
          la_id: actor.laId,
          person_id: child.id,
          contact_id: contact.id,
          referral_date: contact.received_on,
          source: contact.source,
          opened_by: actor.userId,
        })
        .returning(["id", "referral_date"])
        .executeTakeFirstOrThrow();
      referralId = referral.id;
      referralDate = referral.referral_date;
      events.push({
        personId: child.id,
        occurredOn: contact.received_on,
        kind: "referral",
        summary: "Referral to children's social care accepted",
        subject: { type: "referral", id: referral.id },
      });
    }
    if (state.openEarlyHelp) {
      await ctx.db
        .updateTable("early_help_episode")
        .set({
          end_date: decidedOn,
          end_reason: "stepped_up",
          version: (eb) => eb("version", "+", 1),
        })
        .where("person_id", "=", child.id)
        .where("end_date", "is", null)
        .execute();
      events.push({
        personId: child.id,
        occurredOn: decidedOn,
        kind: "step_up",
        summary: "Stepped up from early help to children's social care",
      });
    }
    await ctx.db
      .updateTable("contact_child")
      .set({ referral_id: referralId })
      .where("contact_id", "=", contact.id)
      .where("person_id", "=", child.id)
      .execute();
    if (decision === "assessment" && !state.openAssessment) {
      const assessment = await ctx.db
        .insertInto("assessment")
        .values({
          la_id: actor.laId,
          referral_id: referralId,
          person_id: child.id,
          started_on: decidedOn,
          due_on: assessmentDue(referralDate),
          recorded_by: actor.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      events.push({
        personId: child.id,
        occurredOn: decidedOn,
        kind: "assessment_started",
        summary: "Child and family assessment started",
        subject: { type: "assessment", id: assessment.id },
      });
    }
    if (decision === "assessment") {
      await work(child.id, "assessment", assessmentDue(referralDate));
    } else {
      await work(child.id, "strategy_discussion", strategyDiscussionDue(decidedOn, strategyDays));
    }
    if (worker) await allocateIfNeeded(ctx.db, actor, child.id, worker, decidedOn);
  }

  const updated = await ctx.db
    .updateTable("contact")
    .set({
      decision,
      decision_reason: reason,
      decided_on: decidedOn,
      decided_by: actor.userId,
      version: version + 1,
    })
    .where("id", "=", contact.id)
    .where("version", "=", version)
    .where("decision", "is", null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw new AppError(
      "conflict",
      "Someone else recorded a decision on this contact while you were deciding. Nothing you entered has been saved: check the decision shown.",
    );
  }
  await recordEvents(ctx.db, actor, events);
  ctx.audit({ summary: { decision } });
}
