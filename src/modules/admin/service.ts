/**
 * User administration as plain functions `(db, actor, input)` in the caller's transaction
 * (decision 0029). An administrator manages accounts in their own local authority; the role
 * grants no sight of case records (src/access/permissions.ts). API clients are src/api/clients.ts's.
 */
import { sql } from "kysely";
import { z } from "zod";
import type { Actor } from "../../access/actor.ts";
import { mayGrantRole } from "../../access/administration.ts";
import { roleLabels, roles } from "../../access/permissions.ts";
import {
  practiceRoleAccountRole,
  practiceRoleLabels,
  practiceRoles,
} from "../../domain/family-safeguarding.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound, type FieldError } from "../../platform/errors.ts";
import { MAX_LENGTH, MIN_LENGTH, passwordProblem } from "../auth/password-policy.ts";
import { hashPassword } from "../auth/passwords.ts";
import { endUserSessions } from "../auth/sessions.ts";
import { accountKey } from "../auth/sign-in.ts";
import { ACCOUNT_POLICY, secondsToWait } from "../auth/throttle.ts";

export const NewUser = z.object({
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
export type NewUser = z.infer<typeof NewUser>;

/** The council's users, by organisation then name, each marked if its sign-in is held back. */
export async function usersOf(db: Db, actor: Actor, now: Date) {
  const users = await db
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
    .where("u.la_id", "=", actor.laId)
    .orderBy("o.name")
    .orderBy("u.display_name")
    .execute();
  const keys = new Map(users.map((u) => [u.id, accountKey(u.email)]));
  const counts =
    users.length === 0
      ? []
      : await db
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
            now,
          ) > 0,
      )
      .map((c) => c.key),
  );
  return users.map((u) => ({ ...u, throttled: waiting.has(keys.get(u.id) ?? "") }));
}

/** The council's organisations and teams, for the forms. */
export async function organisationsAndTeams(db: Db, laId: string) {
  const [organisations, teams] = await Promise.all([
    db
      .selectFrom("organisation")
      .select(["id", "name", "kind"])
      .where("la_id", "=", laId)
      .orderBy("name")
      .execute(),
    db
      .selectFrom("team")
      .select(["id", "name"])
      .where("la_id", "=", laId)
      .orderBy("name")
      .execute(),
  ]);
  return { organisations, teams };
}

/**
 * Creates an account in the actor's council, or refuses naming every problem at once: an
 * organisation not the council's, an email already used, a weak password, a case role for the
 * administrator's own account, a practice role without its team or account role.
 */
export async function createUser(
  db: Db,
  actor: Actor,
  input: NewUser,
): Promise<{ userId: string }> {
  const laId = actor.laId;
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => {
    if (!errors.some((e) => e.field === field)) errors.push({ field, message });
  };
  const org = await db
    .selectFrom("organisation")
    .select("id")
    .where("id", "=", input.organisationId)
    .where("la_id", "=", laId)
    .executeTakeFirst();
  if (!org) fail("organisationId", "Select an organisation");
  const clash = await db
    .selectFrom("app_user")
    .select("id")
    .where(sql`lower(email)`, "=", input.email)
    .executeTakeFirst();
  if (clash) fail("email", "There is already a user with this email address");
  const weak = passwordProblem(input.password, { name: input.displayName, email: input.email });
  if (weak) fail("password", weak);
  // An administrator may not give their own account a case role (src/access/administration.ts).
  const self = await db
    .selectFrom("app_user")
    .select(["email", "display_name"])
    .where("id", "=", actor.userId)
    .executeTakeFirstOrThrow();
  if (!mayGrantRole({ email: self.email, displayName: self.display_name }, input, input.role)) {
    fail(
      "role",
      "You cannot give your own account a case role. Ask another administrator; the head of service sees every grant of a case role",
    );
  }
  const { practiceRole, role, teamId } = input;
  if (practiceRole && !teamId) {
    fail("practiceRole", "Select the team this role is in, or no role in a team");
  } else if (practiceRole && practiceRoleAccountRole[practiceRole] !== role) {
    fail(
      "practiceRole",
      `A ${practiceRoleLabels[practiceRole].toLowerCase()} needs the role "${roleLabels[practiceRoleAccountRole[practiceRole]]}"`,
    );
  }
  if (errors.length > 0) throw new AppError("validation", "Check the details you entered", errors);
  const user = await db
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
    const team = await db
      .selectFrom("team")
      .select("id")
      .where("id", "=", input.teamId)
      .where("la_id", "=", laId)
      .executeTakeFirst();
    if (!team) throw new AppError("validation", "Select a team");
    await db
      .insertInto("team_member")
      .values({
        team_id: input.teamId,
        user_id: user.id,
        practice_role: input.practiceRole || null,
      })
      .execute();
  }
  return { userId: user.id };
}

async function councilUser(db: Db, actor: Actor, userId: string) {
  const user = await db
    .selectFrom("app_user")
    .select(["id", "email", "role", "active"])
    .where("id", "=", userId)
    .where("la_id", "=", actor.laId)
    .executeTakeFirst();
  if (!user) throw notFound("User");
  return user;
}

/**
 * Makes a user head of service or not (decision 0016). Only an active team manager can be
 * one; an administrator holds no case role, so this gives the administrator nothing.
 */
export async function setHeadOfService(
  db: Db,
  actor: Actor,
  input: { userId: string; headOfService: boolean },
): Promise<void> {
  const user = await councilUser(db, actor, input.userId);
  if (input.headOfService && (user.role !== "team_manager" || !user.active)) {
    throw new AppError("validation", "Only an active team manager can be head of service");
  }
  await db
    .updateTable("app_user")
    .set({ head_of_service: input.headOfService })
    .where("id", "=", user.id)
    .execute();
}

/** Clears the failures counted against the account, so its sign-in waits end. */
export async function unlockUser(db: Db, actor: Actor, userId: string): Promise<void> {
  const user = await councilUser(db, actor, userId);
  await db.deleteFrom("sign_in_throttle").where("key", "=", accountKey(user.email)).execute();
}

/** Deactivates the account and ends its sessions. */
export async function deactivateUser(
  db: Db,
  actor: Actor,
  input: { userId: string; now: Date },
): Promise<void> {
  const user = await councilUser(db, actor, input.userId);
  await db.updateTable("app_user").set({ active: false }).where("id", "=", user.id).execute();
  await endUserSessions(db, user.id, input.now);
}
