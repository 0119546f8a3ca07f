import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
});

function note(date: string, text: string): Record<string, string> {
  const [year = "", month = "", day = ""] = date.split("-");
  return {
    "occurredOn-day": day,
    "occurredOn-month": month,
    "occurredOn-year": year,
    note: text,
  };
}

async function notesOf(personId: string) {
  return database.db
    .selectFrom("case_note")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("recorded_at")
    .execute();
}

async function noteEvents(personId: string) {
  return database.db
    .selectFrom("chronology_entry")
    .select(["summary", "organisation_id", "subject_id", "occurred_on"])
    .where("person_id", "=", personId)
    .where("kind", "=", "case_note")
    .orderBy("recorded_at")
    .execute();
}

describe("writing a case note", () => {
  it("lets the allocated social worker write one, shown with their agency", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const form = await sw.get(`/people/${world.people.childA1}/notes/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("your agency, Testshire Children&#39;s Services");
    const saved = await sw.post(
      `/people/${world.people.childA1}/notes`,
      note("2026-02-25", "Spoke to the school nurse about attendance"),
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/people/${world.people.childA1}/notes`);
    const [row] = await notesOf(world.people.childA1);
    expect(row).toMatchObject({
      occurred_on: "2026-02-25",
      note: "Spoke to the school nurse about attendance",
      author_id: world.users.swA.id,
      organisation_id: world.orgs.la,
    });
    expect(await noteEvents(world.people.childA1)).toEqual([
      {
        summary: "Case note from Testshire Children's Services",
        organisation_id: world.orgs.la,
        subject_id: row?.id,
        occurred_on: "2026-02-25",
      },
    ]);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({
      action: "case_note.write",
      outcome: "allowed",
      person_ids: [world.people.childA1],
      subject_type: "case_note",
      subject_id: row?.id,
    });
    expect(JSON.stringify(audit.summary)).not.toContain("nurse");
  });

  it("lets the police write on a record shared with them, shown as from the police", async () => {
    const police = await signIn(app, world.users.police.email);
    expect((await police.get(`/people/${world.people.childA1}/notes/new`)).statusCode).toBe(200);
    const saved = await police.post(
      `/people/${world.people.childA1}/notes`,
      note("2026-02-28", "Officers attended the address after a 999 call"),
    );
    expect(saved.statusCode).toBe(303);
    const events = await noteEvents(world.people.childA1);
    expect(events[1]).toMatchObject({
      summary: "Case note from Testshire Police",
      organisation_id: world.orgs.police,
    });
    const page = await police.get(`/people/${world.people.childA1}/notes`);
    expect(page.statusCode).toBe(200);
    // Newest first, each with the author's agency.
    const policeAt = page.body.indexOf("Officers attended the address");
    const laAt = page.body.indexOf("Spoke to the school nurse");
    expect(policeAt).toBeGreaterThan(0);
    expect(laAt).toBeGreaterThan(policeAt);
    expect(page.body).toContain("<strong>Testshire Police</strong>");
    expect(page.body).toContain("<strong>Testshire Children&#39;s Services</strong>");
    expect(page.body).toMatch(/police, on \d/);
    expect(await latestAudit(database)).toMatchObject({
      action: "case_note.view",
      outcome: "allowed",
      person_ids: [world.people.childA1],
      summary: { notes: 2 },
    });
  });

  it("lets an adult specialist write on a family member's record", async () => {
    const specialist = await signIn(app, world.users.adultSpecialistA.email);
    const saved = await specialist.post(
      `/people/${world.people.motherA}/notes`,
      note("2026-03-02", "First session on the recovery programme"),
    );
    expect(saved.statusCode).toBe(303);
    expect(await notesOf(world.people.motherA)).toMatchObject([
      { author_id: world.users.adultSpecialistA.id, organisation_id: world.orgs.la },
    ]);
  });
});

describe("the rules for a case note", () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ["an empty note", note("2026-02-20", "   "), "note", "Enter the case note"],
    [
      "a note too long",
      note("2026-02-20", "x".repeat(20_001)),
      "note",
      "20000 characters or fewer",
    ],
    ["a date in the future", note("2026-03-03", "Text"), "occurredOn-day", "today or in the past"],
    [
      "a date before the child was born",
      note("2018-11-01", "Text"),
      "occurredOn-day",
      "on or after the child&#39;s date of birth (2 November 2018)",
    ],
    ["no date", note("--", "Text"), "occurredOn-day", "Enter the date it happened"],
  ];

  it.each(cases)(
    "refuses %s, naming the field and saving nothing",
    async (rule, form, field, text) => {
      const sw = await signIn(app, world.users.swA.email);
      await sw.get(`/people/${world.people.childA2}/notes/new`);
      const response = await sw.post(`/people/${world.people.childA2}/notes`, form);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(`href="#${field}"`);
      expect(response.body).toContain(text);
      expect(await notesOf(world.people.childA2)).toEqual([]);
      expect(await noteEvents(world.people.childA2)).toEqual([]);
      expect(await latestAudit(database)).toMatchObject({
        action: "case_note.write",
        outcome: "failed",
        // The schema refuses as invalid input; the service refuses a date before the birth.
        summary: {
          reason: rule.includes("born") ? "validation" : "invalid_input",
          fields: [field],
        },
      });
    },
  );
});

describe("who may see and write case notes", () => {
  it("is refused (404) to those who cannot see the child, and nothing is saved", async () => {
    for (const user of [
      world.users.swB,
      world.users.police,
      world.users.health,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      expect(
        (await client.get(`/people/${world.people.childA2}/notes`)).statusCode,
        user.email,
      ).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        action: "case_note.view",
        outcome: "denied",
        person_ids: [world.people.childA2],
      });
      const attempt = await client.post(
        `/people/${world.people.childA2}/notes`,
        note("2026-02-20", "Should not be saved"),
      );
      expect(attempt.statusCode, user.email).toBe(404);
    }
    expect(await notesOf(world.people.childA2)).toEqual([]);
  });

  it("lets business support read notes but not write them", async () => {
    const support = await signIn(app, world.users.businessSupportA.email);
    const page = await support.get(`/people/${world.people.childA1}/notes`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Officers attended the address");
    expect(page.body).not.toContain("Add a case note");
    expect((await support.get(`/people/${world.people.childA1}/notes/new`)).statusCode).toBe(404);
    const before = (await notesOf(world.people.childA1)).length;
    const attempt = await support.post(
      `/people/${world.people.childA1}/notes`,
      note("2026-02-20", "Should not be saved"),
    );
    expect(attempt.statusCode).toBe(404);
    expect((await notesOf(world.people.childA1)).length).toBe(before);
  });

  it("lets someone on emergency access read notes but not write them", async () => {
    const swB = await signIn(app, world.users.swB.email);
    await swB.get("/break-glass");
    const grant = await swB.post("/break-glass", {
      personId: world.people.childA1,
      reason: "Police called out of hours: need to check recent contact",
    });
    expect(grant.statusCode).toBe(303);
    const page = await swB.get(`/people/${world.people.childA1}/notes`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("Add a case note");
    expect((await swB.get(`/people/${world.people.childA1}/notes/new`)).statusCode).toBe(403);
    const before = (await notesOf(world.people.childA1)).length;
    const attempt = await swB.post(
      `/people/${world.people.childA1}/notes`,
      note("2026-02-20", "Should not be saved"),
    );
    expect(attempt.statusCode).toBe(403);
    expect(await latestAudit(database)).toMatchObject({
      action: "case_note.write",
      outcome: "denied",
      person_ids: [world.people.childA1],
    });
    expect((await notesOf(world.people.childA1)).length).toBe(before);
  });
});
