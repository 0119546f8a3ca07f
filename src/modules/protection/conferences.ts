/**
 * Child protection conferences. An initial conference (after a section 47 enquiry that found
 * one is needed) may start a plan; a review conference continues the plan (its category may
 * change) or ends it. The conference and what it does to the plan are saved together.
 */
import type { Actor } from "../../access/actor.ts";
import { categoriesOfAbuse, isCode, labelFor } from "../../domain/code-lists.ts";
import { formatDate } from "../../domain/dates.ts";
import {
  applyReview,
  categoryLabel,
  cpPlanEndReasons,
  firstCoreGroupDue,
  icpcDecisions,
  icpcProblems,
  ProtectionRuleError,
  reviewDecisions,
  reviewProblems,
  startCpPlan,
} from "../../domain/protection-rules.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { recordEvents, type ChronologyEvent } from "../chronology/record.ts";
import { nextStepDue } from "../../domain/timescales.ts";
import { completeWork, createWork } from "../work/service.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { failOn, fieldFor, orderErrors, staleEdit, type Form } from "./form-support.ts";
import { openPlanOf, planToRecordOn, s47ToRecordOn } from "./queries.ts";

export const PLAN_WHAT = "child protection plan";
const CONFERENCE_FIELDS = ["heldOn-day", "decision", "category", "endReason"];

function asRuleRefusal(error: unknown): unknown {
  if (!(error instanceof ProtectionRuleError)) return error;
  return new AppError("validation", error.message, [
    { field: fieldFor(error.about), message: error.message },
  ]);
}

const readHeldOn = (reader: FormReader) =>
  reader.date("heldOn", "the date of the conference", { required: true });

export interface SavedConference {
  id: string;
  kind: "initial" | "review";
  decision: string;
  planId: string | null;
}

export async function saveInitialConference(
  db: Db,
  actor: Actor,
  person: VisiblePerson,
  s47Id: string,
  form: Form,
  today: string,
): Promise<SavedConference> {
  const s47 = await s47ToRecordOn(db, person.id, s47Id);
  if (!s47) throw notFound("Section 47 enquiry");
  const reader = new FormReader(form);
  const heldOn = readHeldOn(reader);
  const decision = reader.code("decision", icpcDecisions, "the conference's decision", {
    required: true,
  });
  const category =
    decision === "plan"
      ? reader.code("category", categoriesOfAbuse, "the category of abuse", { required: true })
      : null;
  const openPlan = await openPlanOf(db, person.id);
  failOn(
    reader,
    icpcProblems({
      s47: { startedOn: s47.started_on, outcome: s47.outcome, hasIcpc: s47.has_icpc },
      heldOn,
      today,
      decision,
      openPlanSince: openPlan?.start_date ?? null,
    }),
  );
  orderErrors(reader, CONFERENCE_FIELDS);
  reader.done();
  if (!heldOn || !decision) throw new Error("unreachable: the form was checked");

  const conference = await db
    .insertInto("cp_conference")
    .values({
      la_id: person.la_id,
      referral_id: s47.referral_id,
      person_id: person.id,
      kind: "initial",
      s47_enquiry_id: s47.id,
      held_on: heldOn,
      due_on: s47.icpc_due_on,
      decision,
      category,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const timing =
    heldOn <= s47.icpc_due_on
      ? "held within 15 working days"
      : `held after the due date (${formatDate(s47.icpc_due_on)})`;
  const events: ChronologyEvent[] = [
    {
      personId: person.id,
      occurredOn: heldOn,
      kind: "icpc",
      summary: `Initial child protection conference: ${
        category ? `child protection plan (${categoryLabel(category)})` : "no child protection plan"
      }; ${timing}`,
      subject: { type: "cp_conference", id: conference.id },
    },
  ];
  let planId: string | null = null;
  if (decision === "plan") {
    let start;
    try {
      start = startCpPlan({ kind: "initial", decision, heldOn, category });
    } catch (error) {
      throw asRuleRefusal(error);
    }
    const plan = await db
      .insertInto("cp_plan")
      .values({
        la_id: person.la_id,
        referral_id: s47.referral_id,
        person_id: person.id,
        icpc_id: conference.id,
        start_date: start.startDate,
        initial_category: start.initialCategory,
        latest_category: start.latestCategory,
        next_review_due: start.nextReviewDue,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    planId = plan.id;
    await db
      .updateTable("cp_conference")
      .set({ cp_plan_id: plan.id })
      .where("id", "=", conference.id)
      .execute();
    events.push({
      personId: person.id,
      occurredOn: start.startDate,
      kind: "cp_plan_started",
      summary: `Child protection plan started (${categoryLabel(start.initialCategory)}); first review conference due by ${formatDate(start.nextReviewDue)}; first core group due by ${formatDate(firstCoreGroupDue(start.startDate))}`,
      subject: { type: "cp_plan", id: plan.id },
    });
  }
  await recordEvents(db, actor, events);
  await completeWork(db, actor, {
    personId: person.id,
    kinds: ["icpc"],
    subject: { type: "cp_conference", id: conference.id },
    doneOn: heldOn,
  });
  // What the conference's decision asks for next (decision 0020).
  await createWork(db, actor, {
    personId: person.id,
    kind: planId ? "core_group" : "plan_or_close",
    dueOn: planId ? firstCoreGroupDue(heldOn) : nextStepDue(heldOn),
    createdOn: heldOn,
    source: { type: "cp_conference", id: conference.id },
  });
  return { id: conference.id, kind: "initial", decision, planId };
}

export async function saveReviewConference(
  db: Db,
  actor: Actor,
  person: VisiblePerson,
  planId: string,
  form: Form,
  today: string,
): Promise<SavedConference> {
  const reader = new FormReader(form);
  const version = reader.version();
  const plan = await planToRecordOn(db, person.id, planId);
  if (!plan) throw notFound("Child protection plan");
  if (plan.version !== version) throw staleEdit(PLAN_WHAT);
  const heldOn = readHeldOn(reader);
  const decision = reader.code("decision", reviewDecisions, "the conference's decision", {
    required: true,
  });
  const category =
    decision === "continue"
      ? reader.code("category", categoriesOfAbuse, "the category of abuse", { required: true })
      : null;
  const endReason =
    decision === "end"
      ? reader.code("endReason", cpPlanEndReasons, "why the plan is ending", { required: true })
      : null;
  failOn(
    reader,
    reviewProblems({
      plan: {
        startDate: plan.start_date,
        endDate: plan.end_date,
        lastReviewOn: plan.last_review_on,
      },
      heldOn,
      today,
    }),
  );
  orderErrors(reader, CONFERENCE_FIELDS);
  reader.done();
  if (!heldOn || !decision) throw new Error("unreachable: the form was checked");
  const latestCategory = isCode(categoriesOfAbuse, plan.latest_category)
    ? plan.latest_category
    : null;
  if (!latestCategory) throw new Error(`Plan ${plan.id} has an unknown category`);

  let after;
  try {
    after = applyReview({ latestCategory }, { heldOn, decision, category, endReason });
  } catch (error) {
    throw asRuleRefusal(error);
  }
  const conference = await db
    .insertInto("cp_conference")
    .values({
      la_id: person.la_id,
      referral_id: plan.referral_id,
      person_id: person.id,
      kind: "review",
      cp_plan_id: plan.id,
      held_on: heldOn,
      due_on: plan.next_review_due ?? heldOn,
      decision,
      category: decision === "continue" ? after.latestCategory : null,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const updated = await db
    .updateTable("cp_plan")
    .set({
      latest_category: after.latestCategory,
      next_review_due: after.nextReviewDue,
      end_date: after.endDate,
      end_reason: after.endReason,
      version: version + 1,
    })
    .where("id", "=", plan.id)
    .where("version", "=", version)
    .returning("id")
    .executeTakeFirst();
  if (!updated) throw staleEdit(PLAN_WHAT);

  const events: ChronologyEvent[] = [
    {
      personId: person.id,
      occurredOn: heldOn,
      kind: "cp_review",
      summary: after.nextReviewDue
        ? `Child protection review conference: the plan continues (${categoryLabel(after.latestCategory)}); next review due by ${formatDate(after.nextReviewDue)}`
        : "Child protection review conference: the plan ends",
      subject: { type: "cp_conference", id: conference.id },
    },
  ];
  if (after.endDate && after.endReason) {
    events.push({
      personId: person.id,
      occurredOn: after.endDate,
      kind: "cp_plan_ended",
      summary: `Child protection plan ended: ${labelFor(cpPlanEndReasons, after.endReason)}`,
      subject: { type: "cp_plan", id: plan.id },
    });
  }
  await recordEvents(db, actor, events);
  if (after.endDate) {
    await createWork(db, actor, {
      personId: person.id,
      kind: "plan_or_close",
      dueOn: nextStepDue(after.endDate),
      createdOn: heldOn,
      source: { type: "cp_conference", id: conference.id },
    });
  }
  return { id: conference.id, kind: "review", decision, planId: plan.id };
}
