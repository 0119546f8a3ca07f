import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { roleLabels, roles } from "../../access/permissions.ts";
import { practiceRoleLabels, practiceRoles } from "../../domain/family-safeguarding.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { Id } from "../../platform/schemas.ts";
import {
  createUser,
  deactivateUser,
  NewUser,
  organisationsAndTeams,
  setHeadOfService,
  unlockUser,
  usersOf,
} from "./service.ts";

/**
 * User administration. An administrator manages accounts in their own local authority; the
 * role grants no sight of case records (see src/access/permissions.ts). The rules and the
 * records are ./service.ts's.
 */
const UserParams = z.object({ id: Id });

const HeadOfServiceForm = z.object({
  headOfService: z
    .unknown()
    .optional()
    .transform((value) => value === "yes"),
});

async function newUserPage(ctx: RouteContext, values: FormValues): Promise<RouteResult> {
  const { organisations, teams } = await organisationsAndTeams(ctx.db, actorOf(ctx).laId);
  return {
    view: "admin/views/new-user.njk",
    data: {
      title: "Add a user",
      // A password is never sent back to the browser.
      values: { ...values, ...("password" in values ? { password: "" } : {}) },
      roleItems: roles.map((r) => ({ value: r, text: roleLabels[r] })),
      organisationItems: organisations.map((o) => ({ value: o.id, text: o.name })),
      teamItems: [
        { value: "", text: "No team" },
        ...teams.map((t) => ({ value: t.id, text: t.name })),
      ],
      practiceRoleItems: [
        { value: "", text: "None" },
        ...practiceRoles.map((p) => ({ value: p, text: practiceRoleLabels[p] })),
      ],
    },
  };
}

export function registerAdminRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/admin/users",
    permission: "user.manage",
    audit: "user.list",
    handler: async (_request, _reply, ctx) => {
      const users = await usersOf(ctx.db, actorOf(ctx), ctx.now);
      ctx.audit({ subjectType: "user", summary: { users: users.length } });
      return { view: "admin/views/users.njk", data: { title: "Users", users } };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/admin/users/new",
    permission: "user.manage",
    audit: "none",
    handler: (_request, _reply, ctx) => newUserPage(ctx, {}),
  });

  addFormRoute(app, services, {
    url: "/admin/users",
    permission: "user.manage",
    audit: "user.create",
    params: z.object({}),
    body: NewUser,
    load: (ctx) => {
      ctx.audit({ subjectType: "user" });
      return Promise.resolve(undefined);
    },
    page: (ctx, _loaded, values) => newUserPage(ctx, values),
    save: async (ctx, _loaded, body) => {
      const { userId } = await createUser(ctx.db, actorOf(ctx), body);
      ctx.audit({ subjectType: "user", subjectId: userId, summary: { role: body.role } });
      return { redirect: "/admin/users" };
    },
  });

  // The head of service reviews emergency access and sees every grant of a case role
  // (decision 0016). Only an active team manager can be one.
  addRoute(app, services, {
    method: "POST",
    url: "/admin/users/:id/head-of-service",
    permission: "user.manage",
    audit: "user.head_of_service",
    params: UserParams,
    body: HeadOfServiceForm,
    handler: async (_request, _reply, ctx, { params, body }) => {
      const make = body.headOfService;
      ctx.audit({ subjectType: "user", subjectId: params.id, summary: { headOfService: make } });
      await setHeadOfService(ctx.db, actorOf(ctx), { userId: params.id, headOfService: make });
      return { redirect: "/admin/users" };
    },
  });

  for (const action of ["unlock", "deactivate"] as const) {
    addRoute(app, services, {
      method: "POST",
      url: `/admin/users/:id/${action}`,
      permission: "user.manage",
      audit: `user.${action}`,
      params: UserParams,
      body: z.object({}),
      handler: async (_request, _reply, ctx, { params }) => {
        ctx.audit({ subjectType: "user", subjectId: params.id });
        if (action === "unlock") await unlockUser(ctx.db, actorOf(ctx), params.id);
        else await deactivateUser(ctx.db, actorOf(ctx), { userId: params.id, now: ctx.now });
        return { redirect: "/admin/users" };
      },
    });
  }
}
