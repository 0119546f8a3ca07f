import type { World } from "../../../test/support/world.ts";
import type { Role } from "../../access/permissions.ts";
import type { Db } from "../../platform/database.ts";

/**
 * Extra staff, teams and children for the caseload tests, on top of the shared test world.
 * Staff get the world's password, so tests can sign in as them.
 */
export async function addStaff(
  db: Db,
  world: World,
  email: string,
  role: Role,
  teamIds: readonly string[],
  options: { organisationId?: string; active?: boolean } = {},
): Promise<{ id: string; email: string }> {
  const { password_hash } = await db
    .selectFrom("app_user")
    .select("password_hash")
    .where("id", "=", world.users.swA.id)
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto("app_user")
    .values({
      la_id: world.laId,
      organisation_id: options.organisationId ?? world.orgs.la,
      email,
      display_name: email.split("@")[0] ?? email,
      role,
      job_title: role === "social_worker" ? "Social worker" : "",
      password_hash,
      active: options.active ?? true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const teamId of teamIds) await joinTeam(db, teamId, row.id);
  return { id: row.id, email };
}

export async function joinTeam(db: Db, teamId: string, userId: string): Promise<void> {
  await db.insertInto("team_member").values({ team_id: teamId, user_id: userId }).execute();
}

export async function addTeam(db: Db, world: World, name: string): Promise<string> {
  const row = await db
    .insertInto("team")
    .values({
      la_id: world.laId,
      organisation_id: world.orgs.la,
      name,
      kind: "family_safeguarding",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addPerson(
  db: Db,
  world: World,
  givenName: string,
  familyName: string,
  dateOfBirth: string,
): Promise<string> {
  const row = await db
    .insertInto("person")
    .values({
      la_id: world.laId,
      given_name: givenName,
      family_name: familyName,
      date_of_birth: dateOfBirth,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addAllocation(
  db: Db,
  world: World,
  allocation: {
    personId: string;
    workerId: string;
    teamId: string;
    startDate?: string;
    endDate?: string | null;
    endReason?: string | null;
    allocatedBy?: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto("allocation")
    .values({
      la_id: world.laId,
      person_id: allocation.personId,
      worker_id: allocation.workerId,
      team_id: allocation.teamId,
      start_date: allocation.startDate ?? "2025-01-06",
      end_date: allocation.endDate ?? null,
      end_reason: allocation.endReason ?? null,
      allocated_by: allocation.allocatedBy ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The person's allocations, oldest first, for asserting what a request saved. */
export function allocationsOf(db: Db, personId: string) {
  return db
    .selectFrom("allocation")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("start_date")
    .orderBy("end_date", (ob) => ob.asc().nullsLast())
    .execute();
}
