import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { auditLabel } from "../../audit/kinds.ts";
import { notFound, type AppError } from "../../platform/errors.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { errorList, fieldErrors } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import type { ReviewOutcome } from "../../platform/schema.ts";
import { Id, text } from "../../platform/schemas.ts";
import {
  grantForReview,
  listedBySearches,
  openedUnderGrant,
  waitingGrants,
  waitingSearches,
} from "./queries.ts";
import { reviewGrant, reviewSearch } from "./service.ts";

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

const ReviewParams = z.object({ id: Id });

/** The outcome of a review and its note. */
const ReviewForm = z.object({
  outcome: text("the outcome").transform((value, ctx): ReviewOutcome => {
    const outcome = reviewOutcomes.find((o) => o.value === value)?.value;
    if (outcome) return outcome;
    ctx.addIssue({ code: "custom", message: "Select whether the emergency access was justified" });
    return z.NEVER;
  }),
  note: text("the note", { max: NOTE_MAX }),
});

async function grantPage(
  ctx: RouteContext,
  id: string,
  values: FormValues = {},
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const grant = await grantForReview(ctx.db, actor, id, ctx.now);
  if (!grant) throw notFound();
  const opened = await openedUnderGrant(ctx.db, grant);
  ctx.audit({ personIds: [grant.person_id], subjectType: "break_glass", subjectId: grant.id });
  return {
    view: "break-glass/views/review.njk",
    data: {
      title: "Review emergency access",
      grant: { ...grant, year_of_birth: grant.date_of_birth?.slice(0, 4) ?? "" },
      opened: opened.map((row) => ({ ...row, what: auditLabel(row.action) })),
      outcomeLabel: reviewOutcomes.find((o) => o.value === grant.review_outcome)?.text,
      outcomeItems: reviewOutcomes.map((o) => ({ ...o, checked: values.outcome === o.value })),
      values,
    },
  };
}

async function listPage(
  ctx: RouteContext,
  failed?: { searchId: string; error: AppError },
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
  const failedErrors = failed ? fieldErrors(failed.error) : {};
  if (failed) {
    // The list holds a form per search: the summary links to the failed search's fields.
    for (const problem of failed.error.fieldErrors) {
      problem.field = `${problem.field}-${failed.searchId}`;
    }
  }
  return {
    view: "break-glass/views/reviews.njk",
    data: {
      title: "Emergency access reviews",
      grants,
      searches: searches.map((s) => ({
        ...s,
        listed: listed.get(s.id) ?? [],
        fieldErrors: failed?.searchId === s.id ? failedErrors : {},
      })),
      outcomeItems: reviewOutcomes,
      errors: failed ? errorList(failed.error) : [],
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
    params: ReviewParams,
    handler: (_request, _reply, ctx, { params }) => grantPage(ctx, params.id),
  });

  addFormRoute(app, services, {
    url: "/break-glass/:id/review",
    permission: "break_glass.review",
    audit: "break_glass.review",
    params: ReviewParams,
    body: ReviewForm,
    load: (ctx, params) => {
      ctx.audit({ subjectType: "break_glass", subjectId: params.id });
      return Promise.resolve(params.id);
    },
    page: (ctx, id, values) => grantPage(ctx, id, values),
    save: async (ctx, grantId, body) => {
      const { personId } = await reviewGrant(ctx.db, actorOf(ctx), {
        ...body,
        grantId,
        now: ctx.now,
      });
      ctx.audit({ personIds: [personId], summary: { outcome: body.outcome } });
      return { redirect: "/break-glass/reviews" };
    },
  });

  addFormRoute(app, services, {
    url: "/break-glass/searches/:id/review",
    permission: "break_glass.review",
    audit: "break_glass.search_review",
    params: ReviewParams,
    body: ReviewForm,
    load: (ctx, params) => {
      ctx.audit({ subjectType: "break_glass_search", subjectId: params.id });
      return Promise.resolve(params.id);
    },
    page: (ctx, searchId, _values, error) => listPage(ctx, { searchId, error }),
    save: async (ctx, searchId, body) => {
      await reviewSearch(ctx.db, actorOf(ctx), { ...body, searchId, now: ctx.now });
      ctx.audit({ summary: { outcome: body.outcome } });
      return { redirect: "/break-glass/reviews" };
    },
  });
}
