import type { Db } from "../../src/platform/database.ts";
import type { Role } from "../../src/access/permissions.ts";
import type { OrganisationKind, TeamKind } from "../../src/platform/schema.ts";

/**
 * A small, explicit world for access and module tests: one LA with two Family Safeguarding
 * teams, partner agencies, a second LA, users of every role, and two families. Every test can
 * see at a glance who should and should not see whom.
 */
export const PASSWORD = "correct horse battery staple";

// argon2id hash of PASSWORD, computed once so that test set-up stays fast.
let passwordHash: string | undefined;
async function hashOnce(): Promise<string> {
  const { hashPassword } = await import("../../src/modules/auth/passwords.ts");
  passwordHash ??= await hashPassword(PASSWORD);
  return passwordHash;
}

export interface World {
  laId: string;
  otherLaId: string;
  orgs: Record<"la" | "police" | "health" | "school" | "otherLa", string>;
  teams: Record<"fsA" | "fsB" | "otherLa", string>;
  users: Record<
    | "swA"
    | "tmA"
    | "adultSpecialistA"
    | "businessSupportA"
    | "swB"
    | "police"
    | "health"
    | "analyst"
    | "performanceOfficer"
    | "admin"
    | "otherLaSw",
    { id: string; email: string }
  >;
  people: Record<
    | "childA1"
    | "childA2"
    | "motherA"
    | "childB1"
    | "restrictedChildA"
    | "unallocated"
    | "otherLaChild",
    string
  >;
}

async function insertOrg(
  db: Db,
  laId: string,
  name: string,
  kind: OrganisationKind,
): Promise<string> {
  const row = await db
    .insertInto("organisation")
    .values({ la_id: laId, name, kind })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function insertTeam(
  db: Db,
  laId: string,
  organisationId: string,
  name: string,
  kind: TeamKind,
): Promise<string> {
  const row = await db
    .insertInto("team")
    .values({ la_id: laId, organisation_id: organisationId, name, kind })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function insertUser(
  db: Db,
  laId: string,
  organisationId: string,
  role: Role,
  email: string,
  teamId: string | undefined,
): Promise<{ id: string; email: string }> {
  const row = await db
    .insertInto("app_user")
    .values({
      la_id: laId,
      organisation_id: organisationId,
      email,
      display_name: email.split("@")[0] ?? email,
      role,
      password_hash: await hashOnce(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (teamId)
    await db.insertInto("team_member").values({ team_id: teamId, user_id: row.id }).execute();
  return { id: row.id, email };
}

async function insertPerson(
  db: Db,
  laId: string,
  givenName: string,
  familyName: string,
  dateOfBirth: string,
  restricted = false,
): Promise<string> {
  const row = await db
    .insertInto("person")
    .values({
      la_id: laId,
      given_name: givenName,
      family_name: familyName,
      date_of_birth: dateOfBirth,
      sex: "2",
      ethnicity: "WBRI",
      restricted,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function buildWorld(db: Db): Promise<World> {
  const la = await db
    .insertInto("local_authority")
    .values({ code: "901", name: "Testshire" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const otherLa = await db
    .insertInto("local_authority")
    .values({ code: "902", name: "Elsewhere" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const laId = la.id;
  const orgs = {
    la: await insertOrg(db, laId, "Testshire Children's Services", "la_childrens_services"),
    police: await insertOrg(db, laId, "Testshire Police", "police"),
    health: await insertOrg(db, laId, "Testshire NHS Trust", "health"),
    school: await insertOrg(db, laId, "Testshire Academy", "education"),
    otherLa: await insertOrg(
      db,
      otherLa.id,
      "Elsewhere Children's Services",
      "la_childrens_services",
    ),
  };
  const teams = {
    fsA: await insertTeam(db, laId, orgs.la, "Family Safeguarding A", "family_safeguarding"),
    fsB: await insertTeam(db, laId, orgs.la, "Family Safeguarding B", "family_safeguarding"),
    otherLa: await insertTeam(
      db,
      otherLa.id,
      orgs.otherLa,
      "Elsewhere Team",
      "family_safeguarding",
    ),
  };
  const users = {
    swA: await insertUser(db, laId, orgs.la, "social_worker", "sw.a@test.example", teams.fsA),
    tmA: await insertUser(db, laId, orgs.la, "team_manager", "tm.a@test.example", teams.fsA),
    adultSpecialistA: await insertUser(
      db,
      laId,
      orgs.la,
      "adult_specialist",
      "as.a@test.example",
      teams.fsA,
    ),
    businessSupportA: await insertUser(
      db,
      laId,
      orgs.la,
      "business_support",
      "bs.a@test.example",
      teams.fsA,
    ),
    swB: await insertUser(db, laId, orgs.la, "social_worker", "sw.b@test.example", teams.fsB),
    police: await insertUser(
      db,
      laId,
      orgs.police,
      "partner_practitioner",
      "police@test.example",
      undefined,
    ),
    health: await insertUser(
      db,
      laId,
      orgs.health,
      "partner_practitioner",
      "health@test.example",
      undefined,
    ),
    analyst: await insertUser(
      db,
      laId,
      orgs.la,
      "performance_analyst",
      "analyst@test.example",
      undefined,
    ),
    performanceOfficer: await insertUser(
      db,
      laId,
      orgs.la,
      "performance_officer",
      "performance.officer@test.example",
      undefined,
    ),
    admin: await insertUser(db, laId, orgs.la, "system_admin", "admin@test.example", undefined),
    otherLaSw: await insertUser(
      db,
      otherLa.id,
      orgs.otherLa,
      "social_worker",
      "sw@elsewhere.example",
      teams.otherLa,
    ),
  };
  const people = {
    childA1: await insertPerson(db, laId, "Amelia", "Hartley", "2015-03-27"),
    childA2: await insertPerson(db, laId, "Oliver", "Hartley", "2018-11-02"),
    motherA: await insertPerson(db, laId, "Joanne", "Hartley", "1988-06-15"),
    childB1: await insertPerson(db, laId, "Kai", "Brennan", "2012-01-09"),
    restrictedChildA: await insertPerson(db, laId, "Rosa", "Quinlan", "2016-07-30", true),
    unallocated: await insertPerson(db, laId, "Theo", "Marsden", "2014-05-05"),
    otherLaChild: await insertPerson(db, otherLa.id, "Ava", "Hartley", "2015-03-27"),
  };
  const family = await db
    .insertInto("family")
    .values({ la_id: laId, name: "Hartley family" })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const personId of [people.childA1, people.childA2, people.motherA]) {
    await db
      .insertInto("family_member")
      .values({ family_id: family.id, person_id: personId, la_id: laId })
      .execute();
  }
  await db
    .insertInto("relationship")
    .values([
      {
        la_id: laId,
        person_id: people.motherA,
        related_person_id: people.childA1,
        kind: "parent",
        parental_responsibility: true,
      },
      {
        la_id: laId,
        person_id: people.motherA,
        related_person_id: people.childA2,
        kind: "parent",
        parental_responsibility: true,
      },
      {
        la_id: laId,
        person_id: people.childA1,
        related_person_id: people.childA2,
        kind: "sibling",
      },
    ])
    .execute();
  const allocate = (personId: string, workerId: string, teamId: string, worldLa = laId) =>
    db
      .insertInto("allocation")
      .values({
        la_id: worldLa,
        person_id: personId,
        worker_id: workerId,
        team_id: teamId,
        start_date: "2025-01-06",
      })
      .execute();
  await allocate(people.childA1, users.swA.id, teams.fsA);
  await allocate(people.childA2, users.swA.id, teams.fsA);
  await allocate(people.restrictedChildA, users.swA.id, teams.fsA);
  await allocate(people.childB1, users.swB.id, teams.fsB);
  // The adult specialist works with the mother, and so sees her family (decision 0013).
  await allocate(people.motherA, users.adultSpecialistA.id, teams.fsA);
  await db
    .updateTable("team_member")
    .set({ practice_role: "mental_health_practitioner" })
    .where("user_id", "=", users.adultSpecialistA.id)
    .execute();
  await allocate(people.otherLaChild, users.otherLaSw.id, teams.otherLa, otherLa.id);
  await db
    .insertInto("restricted_access")
    .values({
      person_id: people.restrictedChildA,
      user_id: users.tmA.id,
      la_id: laId,
      granted_by: users.tmA.id,
    })
    .execute();
  await db
    .insertInto("record_share")
    .values({
      la_id: laId,
      person_id: people.childA1,
      organisation_id: orgs.police,
      lawful_basis: "ca1989_s47",
      purpose: "Strategy discussion and section 47 enquiry",
      shared_by: users.swA.id,
    })
    .execute();
  const address = await db
    .insertInto("address")
    .values({
      la_id: laId,
      line1: "1 Refuge Row",
      town: "Testtown",
      postcode: "TS1 1AA",
      confidential: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const personId of [people.childA1, people.motherA]) {
    await db
      .insertInto("person_address")
      .values({
        person_id: personId,
        address_id: address.id,
        la_id: laId,
        start_date: "2024-01-01",
      })
      .execute();
  }
  await db
    .insertInto("chronology_entry")
    .values({
      la_id: laId,
      person_id: people.childA1,
      occurred_on: "2025-01-06",
      kind: "referral",
      summary: "Referral from school about bruising",
      organisation_id: orgs.school,
      recorded_by: users.swA.id,
    })
    .execute();
  return { laId, otherLaId: otherLa.id, orgs, teams, users, people };
}
