import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { caseRoles } from "../../access/permissions.ts";
import { actorOf, addRoute, type AppServices } from "../../platform/routes.ts";

/**
 * The head of service's oversight of administrators: every account an administrator created
 * with a case role (one that sees records), read from the audit log, so no grant can be left
 * off the list without breaking the audit chain (decision 0016).
 */
const GRANT_LIMIT = 500;

export function registerOversightRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/oversight/case-roles",
    permission: "access.oversee",
    audit: "oversight.case_roles",
    handler: async (_request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const grants = await ctx.db
        .selectFrom("audit_log as l")
        .leftJoin("app_user as granter", "granter.id", "l.actor_user_id")
        .leftJoin("app_user as account", (join) =>
          join.on(sql<boolean>`account.id::text = l.subject_id`),
        )
        .select([
          "l.seq",
          "l.occurred_at",
          sql<string>`l.summary->>'role'`.as("role"),
          "granter.display_name as granted_by",
          "granter.role as granter_role",
          "account.display_name as account_name",
          "account.email as account_email",
          "account.active as account_active",
        ])
        .where("l.la_id", "=", actor.laId)
        .where("l.action", "=", "user.create")
        .where("l.outcome", "=", "allowed")
        .where(sql<boolean>`l.summary->>'role' = any(${[...caseRoles]}::text[])`)
        .orderBy("l.seq", "desc")
        .limit(GRANT_LIMIT)
        .execute();
      ctx.audit({ subjectType: "user", summary: { grants: grants.length } });
      return {
        view: "break-glass/views/case-roles.njk",
        data: { title: "Case roles granted by administrators", grants, limit: GRANT_LIMIT },
      };
    },
  });
}
