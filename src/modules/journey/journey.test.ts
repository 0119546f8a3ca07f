import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { dateFields } from "../../../test/support/forms.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

// The test clock reads Monday 2 March 2026.
let database: Database;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
});

async function recordContact(sw: Client, personId: string, children: string[], on: string) {
  await sw.get(`/people/${personId}/contacts/new`);
  const response = await sw.post(`/people/${personId}/contacts`, {
    ...dateFields("receivedOn", on),
    source: "2A",
    referrer: "Head of year",
    reasons: "School reports bruising on both arms",
    children,
  });
  expect(response.statusCode).toBe(303);
  return String(response.headers.location).split("/").pop() ?? "";
}

async function decide(tm: Client, contactId: string, decision: string, on = "2026-03-02") {
  await tm.get(`/contacts/${contactId}`);
  return tm.post(`/contacts/${contactId}/decision`, {
    version: "1",
    decision,
    decisionReason: "Threshold met for an assessment",
    ...dateFields("decidedOn", on),
    workerId: world.users.swA.id,
  });
}

describe("contacts and decisions at the front door", () => {
  it("records a contact about two children, which a manager decides within a working day", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const contactId = await recordContact(
      sw,
      world.people.childA2,
      [world.people.childA2, world.people.motherA],
      "2026-02-27",
    );
    const tm = await signIn(app, world.users.tmA.email);
    const frontDoor = await tm.get("/front-door");
    expect(frontDoor.body).toContain(`/contacts/${contactId}`);
    // Received Friday 27 February: due the next working day, Monday 2 March; not overdue today.
    expect(frontDoor.body).toContain("2 March 2026");
    expect(frontDoor.body).not.toContain("Overdue");

    const page = await tm.get(`/contacts/${contactId}`);
    expect(page.body).toContain("Record decision");
    expect((await decide(tm, contactId, "assessment")).statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "contact.decide",
      outcome: "allowed",
      summary: { decision: "assessment" },
    });

    const referrals = await database.db
      .selectFrom("referral")
      .select(["person_id", "referral_date", "source"])
      .where("contact_id", "=", contactId)
      .execute();
    expect(referrals).toHaveLength(2);
    expect(referrals[0]).toMatchObject({ referral_date: "2026-02-27", source: "2A" });
    const assessments = await database.db
      .selectFrom("assessment")
      .select(["due_on", "started_on"])
      .where("person_id", "=", world.people.childA2)
      .execute();
    // 45 working days from Friday 27 Feb 2026: 22 in March, 20 in April (Good Friday and
    // Easter Monday excluded), then 1, 5 and 6 May (4 May is the early May bank holiday).
    expect(assessments).toEqual([{ due_on: "2026-05-06", started_on: "2026-03-02" }]);
    const journey = await sw.get(`/people/${world.people.childA2}/journey`);
    expect(journey.statusCode).toBe(200);
    expect(journey.body).toContain("Open case since 27 February 2026");
    expect((await tm.get("/front-door")).body).not.toContain(`/contacts/${contactId}`);
  });

  it("refuses a decision from a social worker, and a second decision on the same contact", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const contactId = await recordContact(
      sw,
      world.people.childA1,
      [world.people.childA1],
      "2026-03-02",
    );
    const page = await sw.get(`/contacts/${contactId}`);
    expect(page.body).not.toContain("Record decision");
    expect((await decide(sw, contactId, "no_further_action")).statusCode).toBe(404);

    const tm = await signIn(app, world.users.tmA.email);
    expect((await decide(tm, contactId, "no_further_action")).statusCode).toBe(303);
    const again = await decide(tm, contactId, "assessment");
    expect(again.statusCode).toBe(409);
    const referral = await database.db
      .selectFrom("referral")
      .select("id")
      .where("contact_id", "=", contactId)
      .execute();
    expect(referral).toEqual([]);
  });

  it("names every missing field and saves nothing", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA1}/contacts/new`);
    const before = await database.db.selectFrom("contact").select("id").execute();
    const response = await sw.post(`/people/${world.people.childA1}/contacts`, {
      ...dateFields("receivedOn", "2026-03-09"),
      source: "ZZ",
      reasons: "",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("must be today or in the past");
    expect(response.body).toContain("Select who made the contact from the list");
    expect(response.body).toContain("Enter the reasons for the contact");
    expect(response.body).toContain("Select the children the contact is about");
    expect(await database.db.selectFrom("contact").select("id").execute()).toHaveLength(
      before.length,
    );
  });

  it("refuses a contact dated before a child's birth", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA1}/contacts/new`);
    const response = await sw.post(`/people/${world.people.childA1}/contacts`, {
      ...dateFields("receivedOn", "2010-01-04"),
      source: "6",
      reasons: "Police notification",
      children: [world.people.childA1],
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("cannot be before Amelia Hartley&#39;s date of birth");
  });

  it("does not let anyone add children they may not see", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA1}/contacts/new`);
    const response = await sw.post(`/people/${world.people.childA1}/contacts`, {
      ...dateFields("receivedOn", "2026-03-02"),
      source: "6",
      reasons: "Police notification",
      children: [world.people.childA1, world.people.childB1],
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Select the children the contact is about");
  });
});

describe("who may see and add to the journey", () => {
  it("shows the journey to those who may see the child, and to nobody else", async () => {
    const url = `/people/${world.people.childA1}/journey`;
    for (const user of ["swA", "tmA", "adultSpecialistA", "businessSupportA", "police"] as const) {
      const client = await signIn(app, world.users[user].email);
      expect((await client.get(url)).statusCode, user).toBe(200);
    }
    for (const user of ["swB", "health", "analyst", "admin", "otherLaSw"] as const) {
      const client = await signIn(app, world.users[user].email);
      expect((await client.get(url)).statusCode, user).toBe(404);
    }
  });

  it("lets only social workers and managers record, and never on emergency access", async () => {
    const url = `/people/${world.people.childA1}/contacts`;
    const form = {
      ...dateFields("receivedOn", "2026-03-02"),
      source: "6",
      reasons: "Police notification",
      children: [world.people.childA1],
    };
    for (const user of ["adultSpecialistA", "businessSupportA", "police"] as const) {
      const client = await signIn(app, world.users[user].email);
      await client.get(`/people/${world.people.childA1}/journey`);
      expect((await client.post(url, form)).statusCode, user).toBe(404);
    }
    const journey = await (
      await signIn(app, world.users.police.email)
    ).get(`/people/${world.people.childA1}/journey`);
    expect(journey.body).not.toContain("Record a contact");

    const swB = await signIn(app, world.users.swB.email);
    await swB.get("/people");
    await swB.post("/break-glass", {
      personId: world.people.childA1,
      reason: "Out of hours call from the police about this child",
    });
    const viaGlass = await swB.get(`/people/${world.people.childA1}/journey`);
    expect(viaGlass.statusCode).toBe(200);
    expect(viaGlass.body).toContain("emergency access");
    expect((await swB.post(url, form)).statusCode).toBe(403);
  });
});
