import type { FastifyInstance, FastifyRequest } from "fastify";
import { breakGlassReviewable } from "../../access/visibility.ts";
import { auditLabel } from "../../audit/kinds.ts";
import { notFound } from "../../platform/errors.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import type { ReviewOutcome } from "../../platform/schema.ts";
import {
  grantForReview,
  listedBySearches,
  openedUnderGrant,
  waitingGrants,
  waitingSearches,
} from "./queries.ts";

/**
 * Reviewing emergency access: the list of grants and searches waiting for this reviewer, one
 * grant's page (the record, the reason, what was opened under it), and the outcome recorded
 * with a note. Who reviews whose access is decided in src/access/visibility.ts (0016).
 */
export const reviewOutcomes: readonly { value: ReviewOutcome; text: string }[] = [
  { value: "justified", text: "Justified" },
  { value: "not_justified", text: "Not justified" },
  { value: "referred_to_ig", text: "Referred to information governance" },
];
const NOTE_MAX = 1000;

interface Review {
  outcome: ReviewOutcome;
  note: string;
}

/** The outcome and note of a review, or what is wrong with them. */
function parseReview(request: FastifyRequest): { review?: Review; errors: Record<string, string> } {
  const form = (request.body ?? {}) as Record<string, unknown>;
  const outcome = reviewOutcomes.find((o) => o.value === form.outcome)?.value;
  const note = typeof form.note === "string" ? form.note.trim() : "";
  const errors: Record<string, string> = {};
  if (!outcome) errors.outcome = "Select whether the emergency access was justified";
  if (note.length > NOTE_MAX)
    errors.note = `The note must be ${String(NOTE_MAX)} characters or fewer`;
  // PostgreSQL text cannot hold a NUL: say so rather than fail.
  else if (note.includes("\u0000"))
    errors.note = "The note contains a character that is not allowed";
  if (!outcome || Object.keys(errors).length > 0) return { errors };
  return { review: { outcome, note }, errors };
}

function errorList(fieldErrors: Record<string, string>) {
  return Object.entries(fieldErrors).map(([field, text]) => ({ text, href: `#${field}` }));
}

function idParam(request: FastifyRequest): string {
  const { id } = request.params as { id: unknown };
  if (!isUuid(id)) throw notFound();
  return id;
}

async function grantPage(
  ctx: RouteContext,
  id: string,
  values: Record<string, unknown> = {},
  fieldErrors: Record<string, string> = {},
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const grant = await grantForReview(ctx.db, actor, id, ctx.now);
  if (!grant) throw notFound();
  const opened = await openedUnderGrant(ctx.db, grant);
  ctx.audit({ personIds: [grant.person_id], subjectType: "break_glass", subjectId: grant.id });
  return {
    view: "break-glass/views/review.njk",
    status: Object.keys(fieldErrors).length > 0 ? 400 : 200,
    data: {
      title: "Review emergency access",
      grant: { ...grant, year_of_birth: grant.date_of_birth?.slice(0, 4) ?? "" },
      opened: opened.map((row) => ({ ...row, what: auditLabel(row.action) })),
      outcomeLabel: reviewOutcomes.find((o) => o.value === grant.review_outcome)?.text,
      outcomeItems: reviewOutcomes.map((o) => ({ ...o, checked: values.outcome === o.value })),
      values,
      fieldErrors,
      errors: errorList(fieldErrors),
    },
  };
}

async function listPage(
  ctx: RouteContext,
  failed?: { searchId: string; errors: Record<string, string> },
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const [grants, searches] = await Promise.all([
    waitingGrants(ctx.db, actor),
    waitingSearches(ctx.db, actor),
  ]);
  const listed = await listedBySearches(
    ctx.db,
    actor.laId,
    searches.map((s) => s.id),
  );
  ctx.audit({
    personIds: [...grants.map((g) => g.person_id), ...[...listed.values()].flat().map((p) => p.id)],
    summary: { unreviewed: grants.length, searches: searches.length },
  });
  return {
    view: "break-glass/views/reviews.njk",
    status: failed ? 400 : 200,
    data: {
      title: "Emergency access reviews",
      grants,
      searches: searches.map((s) => ({
        ...s,
        listed: listed.get(s.id) ?? [],
        fieldErrors: failed?.searchId === s.id ? failed.errors : {},
      })),
      outcomeItems: reviewOutcomes,
      errors: failed
        ? errorList(failed.errors).map((e) => ({ ...e, href: `${e.href}-${failed.searchId}` }))
        : [],
    },
  };
}

export function registerReviewRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/break-glass/reviews",
    permission: "break_glass.review",
    audit: "break_glass.list",
    handler: (_request, _reply, ctx) => listPage(ctx),
  });

  addRoute(app, services, {
    method: "GET",
    url: "/break-glass/:id",
    permission: "break_glass.review",
    audit: "break_glass.view_review",
    handler: (request, _reply, ctx) => grantPage(ctx, idParam(request)),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/break-glass/:id/review",
    permission: "break_glass.review",
    audit: "break_glass.review",
    handler: async (request, _reply, ctx) => {
      const id = idParam(request);
      const actor = actorOf(ctx);
      ctx.audit({ subjectType: "break_glass", subjectId: id });
      const { review, errors } = parseReview(request);
      if (!review) {
        ctx.setOutcome("failed");
        ctx.audit({ summary: { reason: "validation", fields: Object.keys(errors) } });
        return grantPage(ctx, id, (request.body ?? {}) as Record<string, unknown>, errors);
      }
      const updated = await ctx.db
        .updateTable("break_glass")
        .set({
          reviewed_by: actor.userId,
          reviewed_at: ctx.now,
          review_outcome: review.outcome,
          review_note: review.note,
        })
        .where("id", "=", id)
        .where(breakGlassReviewable(actor, "break_glass"))
        .returning("person_id")
        .executeTakeFirst();
      if (!updated) throw notFound();
      ctx.audit({ personIds: [updated.person_id], summary: { outcome: review.outcome } });
      return { redirect: "/break-glass/reviews" };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/break-glass/searches/:id/review",
    permission: "break_glass.review",
    audit: "break_glass.search_review",
    handler: async (request, _reply, ctx) => {
      const id = idParam(request);
      const actor = actorOf(ctx);
      ctx.audit({ subjectType: "break_glass_search", subjectId: id });
      const { review, errors } = parseReview(request);
      if (!review) {
        ctx.setOutcome("failed");
        ctx.audit({ summary: { reason: "validation", fields: Object.keys(errors) } });
        return listPage(ctx, { searchId: id, errors });
      }
      const updated = await ctx.db
        .updateTable("break_glass_search")
        .set({
          reviewed_by: actor.userId,
          reviewed_at: ctx.now,
          review_outcome: review.outcome,
          review_note: review.note,
        })
        .where("id", "=", id)
        .where(breakGlassReviewable(actor, "break_glass_search"))
        .returning("id")
        .executeTakeFirst();
      if (!updated) throw notFound();
      ctx.audit({ summary: { outcome: review.outcome } });
      return { redirect: "/break-glass/reviews" };
    },
  });
}
