import type { FastifyInstance } from "fastify";
import { breakGlassReachable } from "../../access/visibility.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { addRoute, isUuid, type AppServices } from "../../platform/routes.ts";
import { searchPeople } from "../people/queries.ts";
import { registerOversightRoutes } from "./oversight.ts";
import { registerReviewRoutes } from "./reviews.ts";

/**
 * Emergency ("break-glass") access: a practitioner who must see a record outside their
 * caseload, typically out of hours with a child at risk, gives a reason and gets time-limited
 * access. Every use is audited with its reason and listed for review (decision 0016).
 * Restricted records cannot be opened this way.
 */
export const BREAK_GLASS_HOURS = 8;
const MIN_REASON = 10;

function reasonError(reason: string): string | undefined {
  if (reason.length < MIN_REASON)
    return `Give the reason you need emergency access, in ${String(MIN_REASON)} characters or more`;
  if (reason.length > 1000) return "The reason must be 1000 characters or fewer";
  return undefined;
}

export function registerBreakGlassRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/break-glass",
    permission: "break_glass.use",
    audit: "none",
    handler: () =>
      Promise.resolve({
        view: "break-glass/views/search.njk",
        data: { title: "Emergency access", values: {} },
      }),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/break-glass/search",
    permission: "break_glass.use",
    audit: "break_glass.search",
    handler: async (request, _reply, ctx) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const name = typeof form.name === "string" ? form.name.trim().slice(0, 100) : "";
      const reason = typeof form.reason === "string" ? form.reason.trim() : "";
      const fieldErrors: Record<string, string> = {};
      if (name.length < 2) fieldErrors.name = "Enter at least 2 letters of the person's name";
      const problem = reasonError(reason);
      if (problem) fieldErrors.reason = problem;
      if (Object.keys(fieldErrors).length > 0 || !ctx.actor) {
        ctx.setOutcome("failed");
        return {
          view: "break-glass/views/search.njk",
          status: 400,
          data: {
            title: "Emergency access",
            values: { name, reason },
            fieldErrors,
            errors: Object.entries(fieldErrors).map(([field, text]) => ({
              text,
              href: `#${field}`,
            })),
          },
        };
      }
      const hits = await searchPeople(
        ctx.db,
        ctx.actor,
        { name, dateOfBirth: null },
        ctx.now,
        "break_glass",
      );
      // Only what is needed to pick the person: no address, no allocation, no full birth date.
      const results = hits.map((hit) => ({
        id: hit.id,
        given_name: hit.given_name,
        family_name: hit.family_name,
        year_of_birth: hit.date_of_birth?.slice(0, 4) ?? "",
      }));
      // The search and its reason are kept for review; the words searched for are not.
      const search = await ctx.db
        .insertInto("break_glass_search")
        .values({
          la_id: ctx.actor.laId,
          user_id: ctx.actor.userId,
          reason,
          results: results.length,
          searched_at: ctx.now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      ctx.audit({
        personIds: results.map((r) => r.id),
        subjectType: "break_glass_search",
        subjectId: search.id,
        summary: { results: results.length, reasonLength: reason.length, search: search.id },
      });
      return {
        view: "break-glass/views/search.njk",
        data: { title: "Emergency access", values: { name, reason }, results, searched: true },
      };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/break-glass",
    permission: "break_glass.use",
    audit: "break_glass.grant",
    handler: async (request, _reply, ctx) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const personId = typeof form.personId === "string" ? form.personId : "";
      const reason = typeof form.reason === "string" ? form.reason.trim() : "";
      const actor = ctx.actor;
      if (!actor || !isUuid(personId)) throw notFound("Person");
      ctx.audit({ personIds: [personId], subjectType: "person", subjectId: personId });
      const problem = reasonError(reason);
      if (problem) throw new AppError("validation", problem);
      const reachable = await ctx.db
        .selectFrom("person")
        .select("person.id")
        .where("person.id", "=", personId)
        .where(breakGlassReachable(actor))
        .executeTakeFirst();
      if (!reachable) throw notFound("Person");
      const grant = await ctx.db
        .insertInto("break_glass")
        .values({
          la_id: actor.laId,
          user_id: actor.userId,
          person_id: personId,
          reason,
          started_at: ctx.now,
          expires_at: new Date(ctx.now.getTime() + BREAK_GLASS_HOURS * 3_600_000),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      ctx.audit({ summary: { breakGlass: true, grant: grant.id } });
      return { redirect: `/people/${personId}` };
    },
  });

  registerReviewRoutes(app, services);
  registerOversightRoutes(app, services);
}
