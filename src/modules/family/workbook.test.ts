import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import { addStaff } from "../caseloads/test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
});

const section = (familyId: string, personId: string, discipline: string) =>
  `/families/${familyId}/workbook/sections/${personId}/${discipline}`;

async function sectionRows(personId: string) {
  return database.db
    .selectFrom("workbook_section")
    .select(["id", "discipline", "body", "version", "updated_by"])
    .where("person_id", "=", personId)
    .orderBy("discipline")
    .execute();
}

async function revisionsOf(sectionId: string) {
  return database.db
    .selectFrom("workbook_section_revision")
    .select(["version", "body", "written_by"])
    .where("section_id", "=", sectionId)
    .orderBy("version")
    .execute();
}

async function shareWith(personId: string, organisationId: string, includesHealth: boolean) {
  await database.db
    .insertInto("record_share")
    .values({
      la_id: world.laId,
      person_id: personId,
      organisation_id: organisationId,
      lawful_basis: "ca1989_s17",
      purpose: "Family Safeguarding plan",
      shared_by: world.users.swA.id,
      includes_health: includesHealth,
    })
    .execute();
}

describe("the team around the family", () => {
  it("shows the social worker every member and the practitioners working with each", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/families/${world.families.hartley}`);
    expect(page.statusCode).toBe(200);
    for (const name of ["Amelia Hartley", "Oliver Hartley", "Joanne Hartley", "Mark Hartley"]) {
      expect(page.body).toContain(name);
    }
    expect(page.body).toContain("as.a, Mental health practitioner");
    expect(page.body).toContain("recovery.a, Recovery worker (substance misuse)");
    expect(page.body).toContain("da.a, Domestic abuse practitioner");
    expect(page.body).toContain("sw.a, Child and family social worker");
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "family.view", outcome: "allowed" });
    expect([...audit.person_ids].sort()).toEqual(
      [world.people.childA1, world.people.childA2, world.people.motherA, world.fatherA].sort(),
    );
  });

  it("shows a partner only the members shared with it, and no health workers without a health share", async () => {
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(`/families/${world.families.hartley}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Amelia Hartley");
    expect(page.body).not.toContain("Oliver Hartley");
    expect(page.body).not.toContain("Joanne Hartley");
    expect(page.body).not.toContain("Open the family Workbook");
  });

  it("is not shown to the other team, the analyst, the administrator or another LA", async () => {
    for (const user of [
      world.users.swB,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      const page = await client.get(`/families/${world.families.hartley}`);
      expect(page.statusCode, user.email).toBe(404);
      expect(page.body).not.toContain("Joanne Hartley");
    }
  });

  it("shows an adult specialist only the families of the adults they are allocated to", async () => {
    const specialist = await signIn(app, world.users.adultSpecialistA.email);
    expect((await specialist.get(`/families/${world.families.hartley}`)).statusCode).toBe(200);
    expect((await specialist.get(`/families/${world.families.brennan}`)).statusCode).toBe(404);
    // A specialist in the same team with no allocation sees neither family.
    const unallocated = await addStaff(
      database.db,
      world,
      "mh.new@test.example",
      "adult_specialist",
      [world.teams.fsA],
    );
    const newcomer = await signIn(app, unallocated.email);
    expect((await newcomer.get(`/families/${world.families.hartley}`)).statusCode).toBe(404);
    expect((await newcomer.get(`/people/${world.people.childA1}`)).statusCode).toBe(404);
  });
});

describe("opening a family's Workbook", () => {
  it("opens it once, on today's date, with an event on each child's chronology", async () => {
    const family = await database.db
      .insertInto("family")
      .values({ la_id: world.laId, name: "Marsden family" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const child = world.people.childA2;
    await database.db
      .insertInto("family_member")
      .values({ family_id: family.id, person_id: child, la_id: world.laId })
      .execute();
    for (const user of [world.users.police, world.users.businessSupportA]) {
      const client = await signIn(app, user.email);
      await client.get(`/families/${family.id}`);
      const refused = await client.post(`/families/${family.id}/workbook`, {});
      expect(refused.statusCode, user.email).toBe(404);
    }
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/families/${family.id}`);
    expect(page.body).toContain("Open the family Workbook");
    const opened = await sw.post(`/families/${family.id}/workbook`, {});
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`/families/${family.id}/workbook`);
    const workbook = await database.db
      .selectFrom("workbook")
      .selectAll()
      .where("family_id", "=", family.id)
      .executeTakeFirstOrThrow();
    expect(workbook).toMatchObject({ opened_on: "2026-03-02", opened_by: world.users.swA.id });
    const events = await database.db
      .selectFrom("chronology_entry")
      .select(["person_id", "summary"])
      .where("kind", "=", "workbook_opened")
      .execute();
    expect(events).toEqual([{ person_id: child, summary: "Family Workbook opened by sw.a" }]);
    const again = await sw.post(`/families/${family.id}/workbook`, {});
    expect(again.statusCode).toBe(409);
  });
});

describe("Workbook sections", () => {
  it("lets the social worker write a child's section and keeps each version", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const url = section(world.families.hartley, world.people.childA1, "child");
    const form = await sw.get(url);
    expect(form.statusCode).toBe(200);
    expect(
      (await sw.post(url, { version: "new", body: "Amelia is settled at school." })).statusCode,
    ).toBe(303);
    await sw.get(url);
    expect(
      (await sw.post(url, { version: "1", body: "Amelia says she feels safer." })).statusCode,
    ).toBe(303);
    const [row] = await sectionRows(world.people.childA1);
    expect(row).toMatchObject({
      discipline: "child",
      body: "Amelia says she feels safer.",
      version: 2,
    });
    expect(await revisionsOf(row?.id ?? "")).toEqual([
      { version: 1, body: "Amelia is settled at school.", written_by: world.users.swA.id },
      { version: 2, body: "Amelia says she feels safer.", written_by: world.users.swA.id },
    ]);
    const workbook = await sw.get(`/families/${world.families.hartley}/workbook`);
    expect(workbook.body).toContain("Amelia says she feels safer.");
    expect(workbook.body).not.toContain("Amelia is settled at school.");
  });

  it("refuses a stale edit and an empty section, saving nothing", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const url = section(world.families.hartley, world.people.childA2, "child");
    await sw.get(url);
    await sw.post(url, { version: "new", body: "First text" });
    const stale = await sw.post(url, { version: "new", body: "Written at the same time" });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone else changed this section");
    const staleVersion = await sw.post(url, { version: "1", body: "Second" });
    expect(staleVersion.statusCode).toBe(303);
    const old = await sw.post(url, { version: "1", body: "Based on the first" });
    expect(old.statusCode).toBe(409);
    const empty = await sw.post(url, { version: "2", body: "  " });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#body"');
    const [row] = await sectionRows(world.people.childA2);
    expect(row).toMatchObject({ body: "Second", version: 2 });
    expect(await revisionsOf(row?.id ?? "")).toHaveLength(2);
  });

  it("lets each discipline write only its own sections", async () => {
    const mother = world.people.motherA;
    const hartley = world.families.hartley;
    const cases: [string, string, number][] = [
      [world.users.adultSpecialistA.email, "mental_health", 303],
      [world.staff.recoveryA.email, "substance_misuse", 303],
      [world.staff.daA.email, "domestic_abuse", 303],
      [world.users.swA.email, "parent", 303],
      [world.users.swA.email, "mental_health", 403],
      [world.staff.recoveryA.email, "mental_health", 403],
      [world.users.adultSpecialistA.email, "parent", 403],
      [world.users.businessSupportA.email, "parent", 404],
    ];
    for (const [email, discipline, status] of cases) {
      const client = await signIn(app, email);
      await client.get(`/families/${hartley}/workbook`);
      const saved = await client.post(section(hartley, mother, discipline), {
        version: "new",
        body: `Written by ${email}`,
      });
      expect(saved.statusCode, `${email} ${discipline}`).toBe(status);
    }
    const rows = await sectionRows(mother);
    expect(rows.map((r) => [r.discipline, r.body])).toEqual([
      ["domestic_abuse", `Written by ${world.staff.daA.email}`],
      ["mental_health", `Written by ${world.users.adultSpecialistA.email}`],
      ["parent", `Written by ${world.users.swA.email}`],
      ["substance_misuse", `Written by ${world.staff.recoveryA.email}`],
    ]);
    // A child has no adult sections, and an adult has no child section.
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get(section(hartley, world.people.childA1, "parent"))).statusCode).toBe(404);
    expect((await sw.get(section(hartley, mother, "child"))).statusCode).toBe(404);
  });

  it("shows mental health and substance misuse sections to a partner only on a health share", async () => {
    const health = await signIn(app, world.users.health.email);
    expect((await health.get(`/families/${world.families.hartley}/workbook`)).statusCode).toBe(404);
    await shareWith(world.people.motherA, world.orgs.health, false);
    const withoutHealth = await health.get(`/families/${world.families.hartley}/workbook`);
    expect(withoutHealth.statusCode).toBe(200);
    expect(withoutHealth.body).toContain(`Written by ${world.staff.daA.email}`);
    expect(withoutHealth.body).toContain(`Written by ${world.users.swA.email}`);
    expect(withoutHealth.body).not.toContain(`Written by ${world.users.adultSpecialistA.email}`);
    expect(withoutHealth.body).not.toContain(`Written by ${world.staff.recoveryA.email}`);
    expect(withoutHealth.body).not.toContain("Amelia says she feels safer.");
    const familyPage = await health.get(`/families/${world.families.hartley}`);
    expect(familyPage.body).toContain("da.a, Domestic abuse practitioner");
    expect(familyPage.body).not.toContain("Mental health practitioner");
    expect(familyPage.body).not.toContain("Recovery worker");

    await database.db
      .updateTable("record_share")
      .set({ includes_health: true })
      .where("organisation_id", "=", world.orgs.health)
      .execute();
    const withHealth = await health.get(`/families/${world.families.hartley}/workbook`);
    expect(withHealth.body).toContain(`Written by ${world.users.adultSpecialistA.email}`);
    expect(withHealth.body).toContain(`Written by ${world.staff.recoveryA.email}`);
    // A partner reads; it never writes the Workbook.
    const refused = await health.post(
      section(world.families.hartley, world.people.motherA, "parent"),
      {
        version: "1",
        body: "Changed by a partner",
      },
    );
    expect(refused.statusCode).toBe(404);
  });

  it("is not shown to the other team, the analyst, the administrator or another LA", async () => {
    for (const user of [
      world.users.swB,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get(`/families/${world.families.hartley}/workbook`)).statusCode).toBe(
        404,
      );
    }
  });
});

describe("allocating an adult specialist", () => {
  it("lets the team manager allocate a specialist in their team to an adult of the family", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const form = await tm.get(`/families/${world.families.hartley}/specialists/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("da.a, Domestic abuse practitioner");
    expect(form.body).not.toContain("sw.a");
    const specialist = `${world.staff.daA.id}:${world.teams.fsA}`;
    const future = await tm.post(`/families/${world.families.hartley}/specialists`, {
      personId: world.fatherA,
      specialist,
      "startDate-day": "3",
      "startDate-month": "3",
      "startDate-year": "2026",
    });
    expect(future.statusCode).toBe(400);
    const duplicate = await tm.post(`/families/${world.families.hartley}/specialists`, {
      personId: world.people.motherA,
      specialist,
      "startDate-day": "2",
      "startDate-month": "3",
      "startDate-year": "2026",
    });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.body).toContain("da.a already works with Joanne Hartley");
    const notSpecialist = await tm.post(`/families/${world.families.hartley}/specialists`, {
      personId: world.fatherA,
      specialist: `${world.users.swA.id}:${world.teams.fsA}`,
      "startDate-day": "2",
      "startDate-month": "3",
      "startDate-year": "2026",
    });
    expect(notSpecialist.statusCode).toBe(400);
    const saved = await tm.post(`/families/${world.families.hartley}/specialists`, {
      personId: world.fatherA,
      specialist,
      "startDate-day": "2",
      "startDate-month": "3",
      "startDate-year": "2026",
    });
    expect(saved.statusCode).toBe(303);
    const allocations = await database.db
      .selectFrom("allocation")
      .select(["worker_id", "team_id", "allocated_by"])
      .where("person_id", "=", world.fatherA)
      .execute();
    expect(allocations).toEqual([
      { worker_id: world.staff.daA.id, team_id: world.teams.fsA, allocated_by: world.users.tmA.id },
    ]);
  });

  it("is refused to everyone but a team manager", async () => {
    for (const user of [
      world.users.swA,
      world.users.adultSpecialistA,
      world.users.businessSupportA,
      world.users.police,
    ]) {
      const client = await signIn(app, user.email);
      await client.get(`/families/${world.families.hartley}`);
      const refused = await client.post(`/families/${world.families.hartley}/specialists`, {
        personId: world.fatherA,
        specialist: `${world.staff.recoveryA.id}:${world.teams.fsA}`,
        "startDate-day": "2",
        "startDate-month": "3",
        "startDate-year": "2026",
      });
      expect(refused.statusCode, user.email).toBe(404);
    }
    const recovery = await database.db
      .selectFrom("allocation")
      .select("id")
      .where("person_id", "=", world.fatherA)
      .where("worker_id", "=", world.staff.recoveryA.id)
      .execute();
    expect(recovery).toEqual([]);
  });
});
