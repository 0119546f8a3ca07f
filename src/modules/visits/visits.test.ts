import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { insertCinPlan, insertCpPlan } from "./test-plans.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const childA1 = { laId: world.laId, personId: world.people.childA1, userId: world.users.swA.id };
  await insertCinPlan(database.db, childA1, "2025-10-01", "2026-02-02");
  await insertCpPlan(database.db, childA1, "2026-02-02");
});

function visit(date: string, fields: Record<string, string> = {}): Record<string, string> {
  const [year = "", month = "", day = ""] = date.split("-");
  return {
    "visitedOn-day": day,
    "visitedOn-month": month,
    "visitedOn-year": year,
    seen: "yes",
    seenAlone: "yes",
    childViews: "",
    note: "",
    ...fields,
  };
}

async function visitsOf(personId: string) {
  return database.db
    .selectFrom("visit")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("recorded_at")
    .execute();
}

async function visitEvents(personId: string) {
  return database.db
    .selectFrom("chronology_entry")
    .selectAll()
    .where("person_id", "=", personId)
    .where("kind", "=", "visit")
    .execute();
}

describe("a child's statutory visits", () => {
  it("shows the plan and the next visit due, tagged overdue when it has passed", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${world.people.childA1}/visits`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Child protection plan (since 2 February 2026)");
    expect(page.body).toContain("10 working days");
    expect(page.body).toMatch(
      /16 February 2026<\/span>\s*<strong class="govuk-tag govuk-tag--red">Overdue/,
    );
    expect(page.body).toContain("No visits recorded.");
    expect(page.body).toContain(`href="/people/${world.people.childA1}/visits/new"`);
    expect(await latestAudit(database)).toMatchObject({
      action: "visit.view",
      outcome: "allowed",
      person_ids: [world.people.childA1],
    });
  });

  it("records a visit under the plan open that day, on the chronology without its free text", async () => {
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get(`/people/${world.people.childA1}/visits/new`)).statusCode).toBe(200);
    const saved = await sw.post(
      `/people/${world.people.childA1}/visits`,
      visit("2026-02-27", {
        childViews: "I like my new school & my teacher",
        note: "Bedroom tidy; food in the fridge",
      }),
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/people/${world.people.childA1}/visits`);
    const [row] = await visitsOf(world.people.childA1);
    expect(row).toMatchObject({
      visited_on: "2026-02-27",
      plan_type: "cp",
      seen: true,
      seen_alone: true,
      child_views: "I like my new school & my teacher",
      visitor_id: world.users.swA.id,
    });
    const events = await visitEvents(world.people.childA1);
    expect(events).toMatchObject([
      {
        occurred_on: "2026-02-27",
        summary: "Visited; seen alone",
        subject_type: "visit",
        subject_id: row?.id,
        organisation_id: world.orgs.la,
      },
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "visit.record",
      outcome: "allowed",
      person_ids: [world.people.childA1],
      subject_type: "visit",
      subject_id: row?.id,
    });
    expect(JSON.stringify((await latestAudit(database)).summary)).not.toContain("school");

    const page = await sw.get(`/people/${world.people.childA1}/visits`);
    expect(page.body).toContain("I like my new school &amp; my teacher");
    expect(page.body).toContain("Bedroom tidy; food in the fridge");
    expect(page.body).toContain("sw.a, <strong>Testshire Children&#39;s Services</strong>");
    // Seen on 27 February: the next visit is due 10 working days later, and is not overdue.
    expect(page.body).toContain('<span data-testid="next-visit-due">13 March 2026</span>');
    expect(page.body).not.toContain("govuk-tag--red");
  });

  it("takes the plan type from the date of the visit, not today", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    await tm.get(`/people/${world.people.childA1}/visits/new`);
    const before = await tm.post(
      `/people/${world.people.childA1}/visits`,
      visit("2025-09-30", { seen: "no", seenAlone: "no" }),
    );
    expect(before.statusCode).toBe(303);
    const underCin = await tm.post(`/people/${world.people.childA1}/visits`, visit("2026-01-12"));
    expect(underCin.statusCode).toBe(303);
    const rows = await visitsOf(world.people.childA1);
    expect(rows.map((r) => [r.visited_on, r.plan_type])).toEqual([
      ["2026-02-27", "cp"],
      ["2025-09-30", null],
      ["2026-01-12", "cin"],
    ]);
    const events = await visitEvents(world.people.childA1);
    expect(events.map((e) => e.summary)).toContain("Visited; child not seen");
    const page = await tm.get(`/people/${world.people.childA1}/visits`);
    expect(page.body).toContain("Not on a plan");
    expect(page.body).toContain("Child in need plan");
  });

  it("says no visit is due for a child on no plan", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${world.people.childA2}/visits`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("so no statutory visit is due");
    expect(page.body).not.toContain("next-visit-due");
  });
});

describe("the rules for recording a visit", () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ["a date in the future", visit("2026-03-03"), "visitedOn-day", "must be today or in the past"],
    [
      "a date before the child was born",
      visit("2018-11-01"),
      "visitedOn-day",
      "on or after the child&#39;s date of birth (2 November 2018)",
    ],
    ["a date that does not exist", visit("2026-02-30"), "visitedOn-day", "must be a real date"],
    ["no date", visit("--"), "visitedOn-day", "Enter the date of the visit"],
    [
      "seen alone but not seen",
      visit("2026-02-20", { seen: "no", seenAlone: "yes" }),
      "seenAlone",
      "cannot have been seen alone if they were not seen",
    ],
    [
      "no answer to whether the child was seen",
      visit("2026-02-20", { seen: "" }),
      "seen",
      "Select yes or no: was the child seen",
    ],
    [
      "no answer to seen alone",
      visit("2026-02-20", { seenAlone: "maybe" }),
      "seenAlone",
      "Select yes or no: was the child seen alone",
    ],
    [
      "the child's views too long",
      visit("2026-02-20", { childViews: "x".repeat(10_001) }),
      "childViews",
      "10000 characters or fewer",
    ],
    [
      "a note too long",
      visit("2026-02-20", { note: "x".repeat(20_001) }),
      "note",
      "20000 characters or fewer",
    ],
  ];

  it.each(cases)(
    "refuses %s, naming the field and saving nothing",
    async (rule, form, field, text) => {
      const sw = await signIn(app, world.users.swA.email);
      await sw.get(`/people/${world.people.childA2}/visits/new`);
      const response = await sw.post(`/people/${world.people.childA2}/visits`, {
        ...form,
        ...(field === "note" ? {} : { note: "Kept when the form comes back" }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(`href="#${field}"`);
      expect(response.body).toContain(text);
      if (field !== "note") expect(response.body).toContain("Kept when the form comes back");
      expect(await visitsOf(world.people.childA2)).toEqual([]);
      expect(await visitEvents(world.people.childA2)).toEqual([]);
      expect(await latestAudit(database)).toMatchObject({
        action: "visit.record",
        outcome: "failed",
        // The schema refuses as invalid input; the service refuses a date before the birth.
        summary: {
          reason: rule.includes("born") ? "validation" : "invalid_input",
          fields: [field],
        },
      });
    },
  );

  it("names every problem at once", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA2}/visits/new`);
    const response = await sw.post(`/people/${world.people.childA2}/visits`, {});
    expect(response.statusCode).toBe(400);
    for (const field of ["visitedOn-day", "seen", "seenAlone"]) {
      expect(response.body).toContain(`href="#${field}"`);
    }
    expect(await visitsOf(world.people.childA2)).toEqual([]);
  });
});

describe("who may see a child's visits", () => {
  it("is refused (404) to those who cannot see the child, and audited", async () => {
    for (const user of [
      world.users.swB,
      world.users.police,
      world.users.health,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      const page = await client.get(`/people/${world.people.childA2}/visits`);
      expect(page.statusCode, user.email).toBe(404);
      expect(page.body).not.toContain("Statutory visits");
      expect(await latestAudit(database)).toMatchObject({
        action: "visit.view",
        outcome: "denied",
        person_ids: [world.people.childA2],
      });
    }
  });

  it("is open to a partner agency the record is shared with, but not to others", async () => {
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(`/people/${world.people.childA1}/visits`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("I like my new school");
    expect(page.body).not.toContain("/visits/new");
    const health = await signIn(app, world.users.health.email);
    expect((await health.get(`/people/${world.people.childA1}/visits`)).statusCode).toBe(404);
  });

  it("keeps a restricted child's visits to the users named on it", async () => {
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get(`/people/${world.people.restrictedChildA}/visits`)).statusCode).toBe(404);
    const tm = await signIn(app, world.users.tmA.email);
    expect((await tm.get(`/people/${world.people.restrictedChildA}/visits`)).statusCode).toBe(200);
  });
});

describe("who may record a visit", () => {
  it("is not adult specialists, business support, partners, analysts or administrators", async () => {
    const before = (await visitsOf(world.people.childA1)).length;
    for (const user of [
      world.users.adultSpecialistA,
      world.users.businessSupportA,
      world.users.police,
      world.users.health,
      world.users.analyst,
      world.users.admin,
    ]) {
      const client = await signIn(app, user.email);
      expect(
        (await client.get(`/people/${world.people.childA1}/visits/new`)).statusCode,
        user.email,
      ).toBe(404);
      const attempt = await client.post(
        `/people/${world.people.childA1}/visits`,
        visit("2026-02-20"),
      );
      expect(attempt.statusCode, user.email).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        action: "visit.record",
        outcome: "denied",
        person_ids: [world.people.childA1],
      });
    }
    expect((await visitsOf(world.people.childA1)).length).toBe(before);
  });

  it("shows adult specialists and business support the visits without the record button", async () => {
    for (const user of [world.users.adultSpecialistA, world.users.businessSupportA]) {
      const client = await signIn(app, user.email);
      const page = await client.get(`/people/${world.people.childA1}/visits`);
      expect(page.statusCode, user.email).toBe(200);
      expect(page.body, user.email).not.toContain("Record a visit");
    }
  });

  it("is not a social worker of another team, even with emergency access", async () => {
    const swB = await signIn(app, world.users.swB.email);
    expect((await swB.get(`/people/${world.people.childA1}/visits/new`)).statusCode).toBe(404);
    await swB.get("/break-glass");
    const grant = await swB.post("/break-glass", {
      personId: world.people.childA1,
      reason: "Police called out of hours: need to check the recent visits",
    });
    expect(grant.statusCode).toBe(303);
    const page = await swB.get(`/people/${world.people.childA1}/visits`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("emergency access, which is for reading only");
    expect(page.body).not.toContain("Record a visit");
    expect(await latestAudit(database)).toMatchObject({
      action: "visit.view",
      summary: { breakGlass: true },
    });

    const before = (await visitsOf(world.people.childA1)).length;
    expect((await swB.get(`/people/${world.people.childA1}/visits/new`)).statusCode).toBe(403);
    const attempt = await swB.post(`/people/${world.people.childA1}/visits`, visit("2026-02-20"));
    expect(attempt.statusCode).toBe(403);
    expect(await latestAudit(database)).toMatchObject({
      action: "visit.record",
      outcome: "denied",
    });
    expect((await visitsOf(world.people.childA1)).length).toBe(before);
  });
});
