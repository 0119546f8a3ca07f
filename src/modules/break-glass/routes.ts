import type { FastifyInstance } from "fastify";
import { breakGlassReachable, breakGlassReviewable } from "../../access/visibility.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { addRoute, isUuid, type AppServices } from "../../platform/routes.ts";
import { searchPeople } from "../people/queries.ts";

/**
 * Emergency ("break-glass") access: a practitioner who must see a record outside their
 * caseload, typically out of hours with a child at risk, gives a reason and gets time-limited
 * access. Every use is audited with its reason and listed for their team manager to review.
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
      const results = await searchPeople(
        ctx.db,
        ctx.actor,
        { name, dateOfBirth: null },
        ctx.now,
        "break_glass",
      );
      ctx.audit({
        personIds: results.map((r) => r.id),
        summary: { results: results.length, reasonLength: reason.length },
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

  addRoute(app, services, {
    method: "GET",
    url: "/break-glass/reviews",
    permission: "break_glass.review",
    audit: "break_glass.list",
    handler: async (_request, _reply, ctx) => {
      const actor = ctx.actor;
      if (!actor) throw notFound();
      // A manager reviews emergency access by members of the teams they belong to.
      const grants = await ctx.db
        .selectFrom("break_glass as b")
        .innerJoin("app_user as u", "u.id", "b.user_id")
        .innerJoin("person as p", "p.id", "b.person_id")
        .select([
          "b.id",
          "b.reason",
          "b.started_at",
          "b.expires_at",
          "b.person_id",
          "u.display_name",
          "p.given_name",
          "p.family_name",
        ])
        .where(breakGlassReviewable(actor, "b"))
        .orderBy("b.started_at")
        .execute();
      ctx.audit({
        personIds: grants.map((g) => g.person_id),
        summary: { unreviewed: grants.length },
      });
      return {
        view: "break-glass/views/reviews.njk",
        data: { title: "Emergency access reviews", grants },
      };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/break-glass/:id/review",
    permission: "break_glass.review",
    audit: "break_glass.review",
    handler: async (request, _reply, ctx) => {
      const { id } = request.params as { id: string };
      const actor = ctx.actor;
      if (!actor || !isUuid(id)) throw notFound();
      const note =
        typeof (request.body as { note?: unknown } | undefined)?.note === "string"
          ? (request.body as { note: string }).note.trim().slice(0, 1000)
          : "";
      const updated = await ctx.db
        .updateTable("break_glass")
        .set({ reviewed_by: actor.userId, reviewed_at: ctx.now, review_note: note })
        .where("id", "=", id)
        .where(breakGlassReviewable(actor, "break_glass"))
        .returning("person_id")
        .executeTakeFirst();
      if (!updated) throw notFound();
      ctx.audit({ personIds: [updated.person_id], subjectType: "break_glass", subjectId: id });
      return { redirect: "/break-glass/reviews" };
    },
  });
}
