import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { mayGrantRole } from "../../access/administration.ts";
import { roleLabels, roles, type Role } from "../../access/permissions.ts";
import {
  practiceRoleAccountRole,
  practiceRoleLabels,
  practiceRoles,
} from "../../domain/family-safeguarding.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { addRoute, isUuid, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { MAX_LENGTH, MIN_LENGTH, passwordProblem } from "../auth/password-policy.ts";
import { hashPassword } from "../auth/passwords.ts";
import { endUserSessions } from "../auth/sessions.ts";
import { accountKey } from "../auth/sign-in.ts";
import { ACCOUNT_POLICY, secondsToWait } from "../auth/throttle.ts";

/**
 * User administration. An administrator manages accounts in their own local authority; the
 * role grants no sight of case records (see src/access/permissions.ts).
 */
const NewUser = z.object({
  displayName: z.string().trim().min(1, "Enter the person's name").max(200),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.email({ message: "Enter an email address in the correct format, like name@example.org" }),
    ),
  role: z.enum(roles, { message: "Select a role" }),
  organisationId: z.uuid({ message: "Select an organisation" }),
  teamId: z.union([z.uuid(), z.literal("")]),
  practiceRole: z.union([z.enum(practiceRoles), z.literal("")]).default(""),
  jobTitle: z.string().trim().max(200),
  // Length here; the rest of the password policy needs the name and email (passwordProblem).
  password: z
    .string()
    .min(MIN_LENGTH, `The password must be ${String(MIN_LENGTH)} characters or more`)
    .max(MAX_LENGTH, `The password must be ${String(MAX_LENGTH)} characters or fewer`),
});

async function formOptions(ctx: RouteContext, laId: string) {
  const [organisations, teams] = await Promise.all([
    ctx.db
      .selectFrom("organisation")
      .select(["id", "name"])
      .where("la_id", "=", laId)
      .orderBy("name")
      .execute(),
    ctx.db
      .selectFrom("team")
      .select(["id", "name"])
      .where("la_id", "=", laId)
      .orderBy("name")
      .execute(),
  ]);
  return {
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
  };
}

/** An administrator may not give their own account a case role (src/access/administration.ts). */
async function mayCreate(
  ctx: RouteContext,
  account: { email: string; displayName: string; role: Role },
): Promise<boolean> {
  const self = await ctx.db
    .selectFrom("app_user")
    .select(["email", "display_name"])
    .where("id", "=", ctx.actor?.userId ?? "")
    .executeTakeFirstOrThrow();
  return mayGrantRole({ email: self.email, displayName: self.display_name }, account, account.role);
}

export function registerAdminRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/admin/users",
    permission: "user.manage",
    audit: "user.list",
    handler: async (_request, _reply, ctx) => {
      const laId = ctx.actor?.laId ?? "";
      const users = await ctx.db
        .selectFrom("app_user as u")
        .innerJoin("organisation as o", "o.id", "u.organisation_id")
        .select([
          "u.id",
          "u.display_name",
          "u.email",
          "u.role",
          "u.job_title",
          "u.active",
          "u.head_of_service",
          "o.name as organisation_name",
          sql<string>`coalesce((select string_agg(t.name, ', ' order by t.name) from team_member tm join team t on t.id = tm.team_id where tm.user_id = u.id), '')`.as(
            "teams",
          ),
        ])
        .where("u.la_id", "=", laId)
        .orderBy("o.name")
        .orderBy("u.display_name")
        .execute();
      const keys = new Map(users.map((u) => [u.id, accountKey(u.email)]));
      const counts =
        users.length === 0
          ? []
          : await ctx.db
              .selectFrom("sign_in_throttle")
              .select(["key", "failures", "last_failed_at"])
              .where("key", "in", [...keys.values()])
              .execute();
      const waiting = new Set(
        counts
          .filter(
            (c) =>
              secondsToWait(
                { failures: c.failures, lastFailedAt: c.last_failed_at },
                ACCOUNT_POLICY,
                ctx.now,
              ) > 0,
          )
          .map((c) => c.key),
      );
      ctx.audit({ subjectType: "user", summary: { users: users.length } });
      return {
        view: "admin/views/users.njk",
        data: {
          title: "Users",
          users: users.map((u) => ({
            ...u,
            throttled: waiting.has(keys.get(u.id) ?? ""),
          })),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/admin/users/new",
    permission: "user.manage",
    audit: "none",
    handler: async (_request, _reply, ctx) => ({
      view: "admin/views/new-user.njk",
      data: { title: "Add a user", values: {}, ...(await formOptions(ctx, ctx.actor?.laId ?? "")) },
    }),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/admin/users",
    permission: "user.manage",
    audit: "user.create",
    handler: async (request, _reply, ctx) => {
      const laId = ctx.actor?.laId ?? "";
      const form = (request.body ?? {}) as Record<string, unknown>;
      const parsed = NewUser.safeParse(form);
      const fieldErrors: Record<string, string> = {};
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          fieldErrors[String(issue.path[0])] ??= issue.message;
      } else {
        const org = await ctx.db
          .selectFrom("organisation")
          .select("id")
          .where("id", "=", parsed.data.organisationId)
          .where("la_id", "=", laId)
          .executeTakeFirst();
        if (!org) fieldErrors.organisationId = "Select an organisation";
        const clash = await ctx.db
          .selectFrom("app_user")
          .select("id")
          .where(sql`lower(email)`, "=", parsed.data.email)
          .executeTakeFirst();
        if (clash) fieldErrors.email = "There is already a user with this email address";
        const weak = passwordProblem(parsed.data.password, {
          name: parsed.data.displayName,
          email: parsed.data.email,
        });
        if (weak) fieldErrors.password = weak;
        const { practiceRole, role, teamId } = parsed.data;
        if (!(await mayCreate(ctx, parsed.data))) {
          fieldErrors.role =
            "You cannot give your own account a case role. Ask another administrator; the head of service sees every grant of a case role";
        }
        if (practiceRole && !teamId) {
          fieldErrors.practiceRole = "Select the team this role is in, or no role in a team";
        } else if (practiceRole && practiceRoleAccountRole[practiceRole] !== role) {
          fieldErrors.practiceRole = `A ${practiceRoleLabels[practiceRole].toLowerCase()} needs the role "${roleLabels[practiceRoleAccountRole[practiceRole]]}"`;
        }
      }
      if (!parsed.success || Object.keys(fieldErrors).length > 0) {
        ctx.setOutcome("failed");
        ctx.audit({
          subjectType: "user",
          summary: { reason: "validation", fields: Object.keys(fieldErrors) },
        });
        return {
          view: "admin/views/new-user.njk",
          status: 400,
          data: {
            title: "Add a user",
            values: { ...form, password: "" },
            fieldErrors,
            errors: Object.entries(fieldErrors).map(([field, text]) => ({
              text,
              href: `#${field}`,
            })),
            ...(await formOptions(ctx, laId)),
          },
        };
      }
      const input = parsed.data;
      const user = await ctx.db
        .insertInto("app_user")
        .values({
          la_id: laId,
          organisation_id: input.organisationId,
          email: input.email,
          display_name: input.displayName,
          role: input.role,
          job_title: input.jobTitle,
          password_hash: await hashPassword(input.password),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (input.teamId) {
        const team = await ctx.db
          .selectFrom("team")
          .select("id")
          .where("id", "=", input.teamId)
          .where("la_id", "=", laId)
          .executeTakeFirst();
        if (!team) throw new AppError("validation", "Select a team");
        await ctx.db
          .insertInto("team_member")
          .values({
            team_id: input.teamId,
            user_id: user.id,
            practice_role: input.practiceRole || null,
          })
          .execute();
      }
      ctx.audit({ subjectType: "user", subjectId: user.id, summary: { role: input.role } });
      return { redirect: "/admin/users" };
    },
  });

  // The head of service reviews emergency access and sees every grant of a case role
  // (decision 0016). Only an active team manager can be one; an administrator holds no case
  // role, so this gives the administrator nothing.
  addRoute(app, services, {
    method: "POST",
    url: "/admin/users/:id/head-of-service",
    permission: "user.manage",
    audit: "user.head_of_service",
    handler: async (request, _reply, ctx) => {
      const { id } = request.params as { id: string };
      const form = (request.body ?? {}) as Record<string, unknown>;
      const make = form.headOfService === "yes";
      ctx.audit({ subjectType: "user", subjectId: id, summary: { headOfService: make } });
      if (!isUuid(id)) throw notFound("User");
      const user = await ctx.db
        .selectFrom("app_user")
        .select(["id", "role", "active"])
        .where("id", "=", id)
        .where("la_id", "=", ctx.actor?.laId ?? "")
        .executeTakeFirst();
      if (!user) throw notFound("User");
      if (make && (user.role !== "team_manager" || !user.active)) {
        throw new AppError("validation", "Only an active team manager can be head of service");
      }
      await ctx.db
        .updateTable("app_user")
        .set({ head_of_service: make })
        .where("id", "=", id)
        .execute();
      return { redirect: "/admin/users" };
    },
  });

  for (const action of ["unlock", "deactivate"] as const) {
    addRoute(app, services, {
      method: "POST",
      url: `/admin/users/:id/${action}`,
      permission: "user.manage",
      audit: `user.${action}`,
      handler: async (request, _reply, ctx) => {
        const { id } = request.params as { id: string };
        ctx.audit({ subjectType: "user", subjectId: id });
        if (!isUuid(id)) throw notFound("User");
        const user = await ctx.db
          .selectFrom("app_user")
          .select(["id", "email"])
          .where("id", "=", id)
          .where("la_id", "=", ctx.actor?.laId ?? "")
          .executeTakeFirst();
        if (!user) throw notFound("User");
        if (action === "unlock") {
          // Clears the failures counted against the account, so its sign-in waits end.
          await ctx.db
            .deleteFrom("sign_in_throttle")
            .where("key", "=", accountKey(user.email))
            .execute();
        } else {
          await ctx.db
            .updateTable("app_user")
            .set({ active: false })
            .where("id", "=", id)
            .execute();
          await endUserSessions(ctx.db, id, ctx.now);
        }
        return { redirect: "/admin/users" };
      },
    });
  }
}
