import { todayIn } from "../../domain/dates.ts";
import { allocationOpen } from "../../access/caseloads.ts";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { can } from "../../access/actor.ts";
import { personVisible } from "../../access/visibility.ts";
import { addRoute, type AppServices } from "../../platform/routes.ts";

export function registerHomeRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/health",
    permission: "public",
    audit: "none",
    handler: async (_request, _reply, ctx) => {
      await sql`select 1`.execute(ctx.db);
      return { json: { status: "ok" } };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/",
    permission: "signed_in",
    audit: "home.view",
    handler: async (_request, _reply, ctx) => {
      const actor = ctx.actor;
      if (!actor) return { redirect: "/sign-in" };
      // A practitioner's own caseload: the people allocated to them by name.
      const caseload = can(actor, "person.view")
        ? await ctx.db
            .selectFrom("allocation as a")
            .innerJoin("person", "person.id", "a.person_id")
            .select([
              "person.id",
              "person.given_name",
              "person.family_name",
              "person.date_of_birth",
              "a.start_date",
            ])
            .where("a.worker_id", "=", actor.userId)
            .where(allocationOpen("a", todayIn(ctx.now)))
            .where(personVisible(actor, ctx.now))
            .orderBy("person.family_name")
            .limit(200)
            .execute()
        : [];
      ctx.audit({ personIds: caseload.map((p) => p.id), summary: { caseload: caseload.length } });
      return {
        view: "home/views/home.njk",
        data: {
          title: "Home",
          caseload,
          canSearch: can(actor, "person.search"),
          canRefer: can(actor, "referral.make"),
          canManageUsers: can(actor, "user.manage"),
          canReviewBreakGlass: can(actor, "break_glass.review"),
          canManageCaseloads: can(actor, "caseload.manage"),
          canSeePerformance: can(actor, "kpi.view"),
        },
      };
    },
  });
}
