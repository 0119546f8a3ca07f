import type { FastifyInstance } from "fastify";
import { actorOf, addRoute, type AppServices } from "../../platform/routes.ts";
import { caseRoleGrants, GRANT_LIMIT } from "./service.ts";

/**
 * The head of service's oversight of administrators: every account an administrator created
 * with a case role (one that sees records), read from the audit log, so no grant can be left
 * off the list without breaking the audit chain (decision 0016).
 */
export function registerOversightRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/oversight/case-roles",
    permission: "access.oversee",
    audit: "oversight.case_roles",
    handler: async (_request, _reply, ctx) => {
      const grants = await caseRoleGrants(ctx.db, actorOf(ctx));
      ctx.audit({ subjectType: "user", summary: { grants: grants.length } });
      return {
        view: "break-glass/views/case-roles.njk",
        data: { title: "Case roles granted by administrators", grants, limit: GRANT_LIMIT },
      };
    },
  });
}
