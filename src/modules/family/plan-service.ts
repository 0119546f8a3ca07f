/**
 * Changes to the whole-family plan. The plan row is made on the first save of anything; the
 * views and consent, and each action's progress, carry a version so that a stale edit is
 * refused (409) with nothing saved. Each function validates the whole form before writing.
 */
import { todayIn } from "../../domain/dates.ts";
import {
  consentLabels,
  consentStates,
  planProgress,
  planProgressLabels,
} from "../../domain/family-safeguarding.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { actorOf, type RouteContext } from "../../platform/routes.ts";
import { memberOf, recordOnChildren, type VisibleFamily, type Workbook } from "./family.ts";
import { ownerChoices, planOf, type PlanAction } from "./plan-queries.ts";

type Form = Record<string, unknown>;

const VIEWS_MAX = 10_000;
const TEXT_MAX = 2_000;

export const consentItems = consentStates.map((code) => ({ code, label: consentLabels[code] }));
export const progressItems = planProgress.map((code) => ({
  code,
  label: planProgressLabels[code],
}));

/** The plan's id, making the plan row if this is the first thing saved on it. */
async function ensurePlan(ctx: RouteContext, workbook: Workbook): Promise<string> {
  const actor = actorOf(ctx);
  await ctx.db
    .insertInto("family_plan")
    .values({ la_id: actor.laId, workbook_id: workbook.id, updated_by: actor.userId })
    .onConflict((oc) => oc.column("workbook_id").doNothing())
    .execute();
  const plan = await ctx.db
    .selectFrom("family_plan")
    .select("id")
    .where("workbook_id", "=", workbook.id)
    .executeTakeFirstOrThrow();
  return plan.id;
}

function stalePlan(): AppError {
  return new AppError(
    "conflict",
    "Someone else changed the views or consent while you were editing. Nothing you entered has been saved: check the plan and make your change again.",
  );
}

/** The children's and parents' views and the family's consent; a chronology entry per child. */
export async function saveViewsAndConsent(
  ctx: RouteContext,
  family: VisibleFamily,
  workbook: Workbook,
  form: Form,
): Promise<void> {
  const actor = actorOf(ctx);
  const today = todayIn(ctx.now);
  const reader = new FormReader(form);
  const baseText = reader.raw("version");
  if (!/^\d+$/.test(baseText)) {
    throw new AppError(
      "validation",
      "The form is missing its version. Reload the page and try again.",
    );
  }
  const base = Number(baseText);
  const childViews = reader.text("childViews", "the children's views", { max: VIEWS_MAX });
  const parentViews = reader.text("parentViews", "the parents' views", { max: VIEWS_MAX });
  const consent = reader.code("consent", consentItems, "whether the family consented", {
    required: true,
  });
  const asked = consent === "given" || consent === "declined";
  const givenBy = reader.text("consentGivenBy", "who gave or declined consent", {
    required: asked,
    max: 200,
  });
  const recordedOn = reader.date("consentOn", "the date of consent", {
    required: asked,
    notAfter: today,
  });
  if (consent === "not_asked") {
    if (givenBy) reader.fail("consentGivenBy", "Leave who consented blank: consent was not asked");
    if (recordedOn) reader.fail("consentOn-day", "Leave the date blank: consent was not asked");
  }
  reader.done();
  if (!consent) throw new Error("validated form lost a value");
  const values = {
    child_views: childViews,
    parent_views: parentViews,
    consent,
    consent_given_by: asked ? givenBy : null,
    consent_recorded_on: asked ? recordedOn : null,
    updated_by: actor.userId,
    updated_at: ctx.now,
  };
  const current = await planOf(ctx.db, workbook.id);
  if ((current?.version ?? 0) !== base) throw stalePlan();
  let planId: string;
  if (!current) {
    const made = await ctx.db
      .insertInto("family_plan")
      .values({ la_id: actor.laId, workbook_id: workbook.id, ...values })
      .onConflict((oc) => oc.column("workbook_id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!made) throw stalePlan();
    planId = made.id;
  } else {
    const updated = await ctx.db
      .updateTable("family_plan")
      .set({ ...values, version: base + 1 })
      .where("id", "=", current.id)
      .where("version", "=", base)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw stalePlan();
    planId = current.id;
  }
  await recordOnChildren(ctx.db, actor, family, {
    occurredOn: today,
    kind: "family_plan",
    summary: `Whole-family plan: views and consent recorded (consent ${consentLabels[consent].toLowerCase()})`,
    subject: { type: "family_plan", id: planId },
  });
  ctx.audit({ subjectType: "family_plan", subjectId: planId, summary: { consent } });
}

/** A goal for one member the actor sees (an unseen or unknown member is a 404). */
export async function addGoal(
  ctx: RouteContext,
  family: VisibleFamily,
  workbook: Workbook,
  form: Form,
): Promise<void> {
  const actor = actorOf(ctx);
  const reader = new FormReader(form);
  const personId = reader.raw("personId");
  if (!personId) reader.fail("personId", "Select who the goal is for");
  const goal = reader.text("goal", "the goal", { required: true, max: TEXT_MAX });
  const member = personId ? memberOf(family, personId) : undefined;
  reader.done();
  if (!member) throw new Error("validated form lost a value");
  const planId = await ensurePlan(ctx, workbook);
  const saved = await ctx.db
    .insertInto("family_plan_goal")
    .values({
      la_id: actor.laId,
      plan_id: planId,
      person_id: member.id,
      goal,
      created_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ctx.audit({
    subjectType: "family_plan_goal",
    subjectId: saved.id,
    summary: { person: member.id },
  });
}

/** An action on a goal, owned by exactly one of: an allocated practitioner, an agency. */
export async function addAction(
  ctx: RouteContext,
  family: VisibleFamily,
  goal: { id: string; personId: string },
  form: Form,
): Promise<void> {
  const actor = actorOf(ctx);
  const today = todayIn(ctx.now);
  const choices = await ownerChoices(ctx.db, actor, family, today);
  const reader = new FormReader(form);
  const action = reader.text("action", "the action", { required: true, max: TEXT_MAX });
  const userId = reader.raw("ownerUserId");
  const organisationId = reader.raw("ownerOrganisationId");
  if (!userId && !organisationId) {
    reader.fail("ownerUserId", "Select who owns the action: a practitioner or an agency");
  } else if (userId && organisationId) {
    reader.fail(
      "ownerUserId",
      "Select either a practitioner or an agency to own the action, not both",
    );
  } else if (userId && !choices.users.some((u) => u.id === userId)) {
    reader.fail("ownerUserId", "Select a practitioner from the list");
  } else if (organisationId && !choices.organisations.some((o) => o.id === organisationId)) {
    reader.fail("ownerOrganisationId", "Select an agency from the list");
  }
  const dueOn = reader.date("dueOn", "the due date", {
    required: true,
    notBefore: { date: today, what: "today" },
  });
  reader.done();
  if (!dueOn) throw new Error("validated form lost a value");
  const saved = await ctx.db
    .insertInto("family_plan_action")
    .values({
      la_id: actor.laId,
      goal_id: goal.id,
      action,
      owner_user_id: userId || null,
      owner_organisation_id: organisationId || null,
      due_on: dueOn,
      updated_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ctx.audit({
    subjectType: "family_plan_action",
    subjectId: saved.id,
    summary: { person: goal.personId },
  });
}

/** An action's progress and note, refused as stale when the action changed meanwhile. */
export async function updateProgress(
  ctx: RouteContext,
  action: PlanAction,
  form: Form,
): Promise<void> {
  const actor = actorOf(ctx);
  const reader = new FormReader(form);
  const version = reader.version();
  const progress = reader.code("progress", progressItems, "the progress", { required: true });
  const note = reader.text("progressNote", "the note", { max: TEXT_MAX });
  if (progress === "stopped" && !note) reader.fail("progressNote", "Enter why the action stopped");
  reader.done();
  if (!progress) throw new Error("validated form lost a value");
  const updated = await ctx.db
    .updateTable("family_plan_action")
    .set({
      progress,
      progress_note: note,
      version: version + 1,
      updated_by: actor.userId,
      updated_at: ctx.now,
    })
    .where("id", "=", action.id)
    .where("version", "=", version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw new AppError(
      "conflict",
      "Someone else updated this action while you were editing. Nothing you entered has been saved: check its progress and make your change again.",
    );
  }
  ctx.audit({
    subjectType: "family_plan_action",
    subjectId: action.id,
    summary: { person: action.personId, progress },
  });
}
