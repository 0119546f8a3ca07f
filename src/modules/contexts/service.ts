/**
 * Writing a context's record: the referral, the assessment, the plan's actions and their
 * progress, reviews and closure. Each reads and checks the whole form before writing anything;
 * a change to what someone else may have changed meanwhile (the assessment, closure, an
 * action's progress) carries the version it was read at and is refused as a conflict if stale.
 * Contexts are not put on any child's chronology: they are about a place or a group.
 */
import type { Actor } from "../../access/actor.ts";
import { todayIn } from "../../domain/dates.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import type { RouteContext } from "../../platform/routes.ts";
import { groupChoices, placeChoices } from "../network/queries.ts";
import { chosen } from "../network/input.ts";
import {
  agencyChoices,
  contextKinds,
  progressCodes,
  schoolChoices,
  type ActionView,
  type ContextKind,
  type ContextView,
} from "./queries.ts";

type Form = Record<string, unknown>;

const lost = (): never => {
  throw new Error("validated form lost a value");
};

export function contextKindOf(value: unknown): ContextKind | null {
  return contextKinds.find((k) => k.code === value)?.code ?? null;
}

/** The field naming the group, place or school, by kind. */
export const subjectFields: Record<ContextKind, { name: string; label: string }> = {
  peer_group: { name: "peerGroupId", label: "the peer group" },
  location: { name: "locationId", label: "the place" },
  school: { name: "schoolId", label: "the school" },
};

export async function subjectChoices(ctx: RouteContext, actor: Actor, kind: ContextKind) {
  if (kind === "peer_group") return groupChoices(ctx.db, actor, ctx.now);
  if (kind === "location") return placeChoices(ctx.db, actor);
  return schoolChoices(ctx.db, actor);
}

/** Refers a context; the group, place or school must be one the actor may choose. */
export async function referContext(ctx: RouteContext, actor: Actor, form: Form): Promise<string> {
  const f = new FormReader(form);
  const kind = contextKindOf(f.raw("kind"));
  if (!kind) f.fail("kind", "Select what kind of context this is");
  const field = kind ? subjectFields[kind] : null;
  const subjectId =
    kind && field
      ? chosen(f, field.name, await subjectChoices(ctx, actor, kind), field.label)
      : null;
  const referredOn = f.date("referredOn", "the date referred", {
    required: true,
    notAfter: todayIn(ctx.now),
  });
  const reason = f.text("reason", "the reason for the referral", { required: true, max: 5000 });
  f.done();
  if (!kind || !subjectId || !referredOn) return lost();
  const row = await ctx.db
    .insertInto("context_case")
    .values({
      la_id: actor.laId,
      kind,
      peer_group_id: kind === "peer_group" ? subjectId : null,
      location_id: kind === "location" ? subjectId : null,
      school_organisation_id: kind === "school" ? subjectId : null,
      referred_on: referredOn,
      referral_reason: reason,
      referred_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ctx.audit({ subjectType: "context_case", subjectId: row.id, summary: { kind } });
  return row.id;
}

function refuseIfClosed(context: ContextView): void {
  if (context.closedOn) {
    throw new AppError(
      "conflict",
      "This context has been closed, so it can no longer be changed. Nothing has been saved.",
    );
  }
}

const staleContext = () =>
  new AppError(
    "conflict",
    "Someone changed this context while you were looking at it. Nothing has been saved: read the page again, then make your change.",
  );

export async function recordAssessment(
  ctx: RouteContext,
  actor: Actor,
  context: ContextView,
  form: Form,
): Promise<void> {
  const f = new FormReader(form);
  const version = f.version();
  const assessedOn = f.date("assessedOn", "the date of the assessment", {
    required: true,
    notAfter: todayIn(ctx.now),
    notBefore: { date: context.referredOn, what: "the date referred" },
  });
  const assessment = f.text("assessment", "the assessment", { required: true, max: 20_000 });
  f.done();
  if (!assessedOn) return lost();
  refuseIfClosed(context);
  const updated = await ctx.db
    .updateTable("context_case")
    .set((eb) => ({
      assessment,
      assessed_on: assessedOn,
      assessed_by: actor.userId,
      version: eb("version", "+", 1),
    }))
    .where("id", "=", context.id)
    .where("version", "=", version)
    .where("closed_on", "is", null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleContext();
  ctx.audit({ subjectType: "context_case", subjectId: context.id, summary: { assessment: true } });
}

export async function addAction(
  ctx: RouteContext,
  actor: Actor,
  context: ContextView,
  form: Form,
): Promise<string> {
  const f = new FormReader(form);
  const action = f.text("action", "the action", { required: true, max: 2000 });
  const owner = chosen(f, "ownerOrganisationId", await agencyChoices(ctx.db, actor), "the agency");
  const today = todayIn(ctx.now);
  const dueOn = f.date("dueOn", "the due date", {
    required: true,
    notBefore: { date: today, what: "today" },
  });
  f.done();
  if (!owner || !dueOn) return lost();
  refuseIfClosed(context);
  const row = await ctx.db
    .insertInto("context_action")
    .values({
      la_id: context.laId,
      context_id: context.id,
      action,
      owner_organisation_id: owner,
      due_on: dueOn,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ctx.audit({
    subjectType: "context_case",
    subjectId: context.id,
    summary: { action: row.id, owner },
  });
  return row.id;
}

export async function updateProgress(
  ctx: RouteContext,
  context: ContextView,
  action: ActionView,
  form: Form,
): Promise<void> {
  const f = new FormReader(form);
  const version = f.version();
  const progress = f.code("progress", progressCodes, "the progress", { required: true });
  const note = f.text("progressNote", "the progress note", { max: 2000 });
  f.done();
  if (!progress) return lost();
  refuseIfClosed(context);
  const updated = await ctx.db
    .updateTable("context_action")
    .set((eb) => ({ progress, progress_note: note, version: eb("version", "+", 1) }))
    .where("id", "=", action.id)
    .where("version", "=", version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw new AppError(
      "conflict",
      "Someone updated this action while you were looking at it. Nothing has been saved: read the page again, then make your change.",
    );
  }
  ctx.audit({
    subjectType: "context_case",
    subjectId: context.id,
    summary: { action: action.id, progress },
  });
}

export async function addReview(
  ctx: RouteContext,
  actor: Actor,
  context: ContextView,
  form: Form,
): Promise<string> {
  const f = new FormReader(form);
  const reviewedOn = f.date("reviewedOn", "the date of the review", {
    required: true,
    notAfter: todayIn(ctx.now),
    notBefore: { date: context.referredOn, what: "the date referred" },
  });
  const summary = f.text("summary", "the summary of the review", { required: true, max: 10_000 });
  const nextReviewOn = f.date("nextReviewOn", "the next review date", { required: true });
  if (reviewedOn && nextReviewOn && nextReviewOn <= reviewedOn) {
    f.fail("nextReviewOn-day", "The next review date must be after the date of the review");
  }
  f.done();
  if (!reviewedOn || !nextReviewOn) return lost();
  refuseIfClosed(context);
  const row = await ctx.db
    .insertInto("context_review")
    .values({
      la_id: context.laId,
      context_id: context.id,
      reviewed_on: reviewedOn,
      summary,
      next_review_on: nextReviewOn,
      reviewed_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ctx.audit({ subjectType: "context_case", subjectId: context.id, summary: { review: row.id } });
  return row.id;
}

export async function closeContext(
  ctx: RouteContext,
  context: ContextView,
  form: Form,
): Promise<void> {
  const f = new FormReader(form);
  const version = f.version();
  const closedOn = f.date("closedOn", "the date closed", {
    required: true,
    notAfter: todayIn(ctx.now),
    notBefore: { date: context.referredOn, what: "the date referred" },
  });
  f.done();
  if (!closedOn) return lost();
  refuseIfClosed(context);
  const updated = await ctx.db
    .updateTable("context_case")
    .set((eb) => ({ closed_on: closedOn, version: eb("version", "+", 1) }))
    .where("id", "=", context.id)
    .where("version", "=", version)
    .where("closed_on", "is", null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleContext();
  ctx.audit({ subjectType: "context_case", subjectId: context.id, summary: { closedOn } });
}
