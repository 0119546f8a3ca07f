import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { notFound } from "../../platform/errors.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import { Id, text } from "../../platform/schemas.ts";
import { registerOversightRoutes } from "./oversight.ts";
import { registerReviewRoutes } from "./reviews.ts";
import { emergencySearch, grantEmergencyAccess, reasonProblem } from "./service.ts";

/**
 * Emergency ("break-glass") access: a practitioner who must see a record outside their
 * caseload, typically out of hours with a child at risk, gives a reason and gets time-limited
 * access. Every use is audited with its reason and listed for review (decision 0016).
 * Restricted records cannot be opened this way. The rules and records are ./service.ts's.
 */
export { BREAK_GLASS_HOURS } from "./service.ts";

/** Text of any length: the reason's own rule says how long it may be. */
const UNBOUNDED = { max: Number.MAX_SAFE_INTEGER };

/** The search: at least 2 letters of a name (the first 100 used), and the reason. */
const SearchForm = z.object({
  name: text("the person's name", UNBOUNDED)
    .transform((name) => name.slice(0, 100))
    .refine((name) => name.length >= 2, "Enter at least 2 letters of the person's name"),
  reason: text("the reason", UNBOUNDED).superRefine((reason, ctx) => {
    const problem = reasonProblem(reason);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

/**
 * The grant, sent from a search result: an id that is not one is "not found", and the reason
 * is checked by the service (a refusal shows an error page; the form was the search's).
 */
const GrantForm = z.object({
  personId: z
    .unknown()
    .optional()
    .transform((value) => Id.safeParse(value).data),
  reason: text("the reason", UNBOUNDED),
});

function searchPage(values: FormValues, more: Record<string, unknown> = {}): RouteResult {
  return {
    view: "break-glass/views/search.njk",
    data: { title: "Emergency access", values, ...more },
  };
}

export function registerBreakGlassRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/break-glass",
    permission: "break_glass.use",
    audit: "none",
    handler: () => Promise.resolve(searchPage({})),
  });

  addFormRoute(app, services, {
    url: "/break-glass/search",
    permission: "break_glass.use",
    audit: "break_glass.search",
    params: z.object({}),
    body: SearchForm,
    load: () => Promise.resolve(undefined),
    page: (_ctx, _loaded, values) => searchPage(values),
    save: async (ctx, _loaded, body) => {
      const { searchId, results } = await emergencySearch(ctx.db, actorOf(ctx), {
        ...body,
        now: ctx.now,
      });
      ctx.audit({
        personIds: results.map((r) => r.id),
        subjectType: "break_glass_search",
        subjectId: searchId,
        summary: { results: results.length, reasonLength: body.reason.length, search: searchId },
      });
      return searchPage(body, { results, searched: true });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/break-glass",
    permission: "break_glass.use",
    audit: "break_glass.grant",
    body: GrantForm,
    handler: async (_request, _reply, ctx, { body }) => {
      const actor = actorOf(ctx);
      const personId = body.personId;
      if (!personId) throw notFound("Person");
      ctx.audit({ personIds: [personId], subjectType: "person", subjectId: personId });
      const { grantId } = await grantEmergencyAccess(ctx.db, actor, {
        personId,
        reason: body.reason,
        now: ctx.now,
      });
      ctx.audit({ summary: { breakGlass: true, grant: grantId } });
      return { redirect: `/people/${personId}` };
    },
  });

  registerReviewRoutes(app, services);
  registerOversightRoutes(app, services);
}
