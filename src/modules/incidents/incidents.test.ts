import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn } from "../../../test/support/http.ts";
import { testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let placeId: string;
let pocId: string;

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const db = database.db;
  // Amelia (childA1) is shared with the police by the world, and here with health too.
  await db
    .insertInto("record_share")
    .values({
      la_id: world.laId,
      person_id: world.people.childA1,
      organisation_id: world.orgs.health,
      lawful_basis: "ca1989_s47",
      purpose: "Health input to the section 47 enquiry",
      shared_by: world.users.swA.id,
    })
    .execute();
  placeId = (
    await db
      .insertInto("location")
      .values({
        la_id: world.laId,
        name: "Eastfield Park",
        kind: "park",
        ward: "Eastfield",
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  pocId = (
    await db
      .insertInto("person_of_concern")
      .values({
        la_id: world.laId,
        name: "Dean Marsh",
        age_band: "25_plus",
        source_organisation_id: world.orgs.la,
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});

function incident(overrides: Record<string, string | string[]> = {}) {
  return {
    kind: "knife_crime",
    "occurred-day": "14",
    "occurred-month": "2",
    "occurred-year": "2026",
    locationId: placeId,
    description: "Knife found on a bench after a fight",
    sourceOrganisationId: world.orgs.police,
    shareWithPartners: "no",
    childIds: [world.people.childA1, world.people.childA2],
    personOfConcernIds: [pocId],
    ...overrides,
  };
}

const counts = async () => ({
  incidents: (await database.db.selectFrom("incident").select("id").execute()).length,
  subjects: (await database.db.selectFrom("incident_subject").select("id").execute()).length,
});

describe("recording an incident", () => {
  it("records an incident with two children, a place and a person of concern, passed on by the police", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const form = await sw.get(`/incidents/new?child=${world.people.childA1}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Found while missing");
    expect(form.body).not.toMatch(/undefined|\[object|NaN/);
    expect(form.body).toContain("Eastfield Park");
    expect(form.body).toContain("Dean Marsh");
    expect(form.body).toMatch(new RegExp(`value="${world.people.childA1}" checked`));
    expect(form.body).not.toMatch(new RegExp(`value="${world.people.childA2}" checked`));
    // Kai is not in swA's sight, so cannot be named.
    expect(form.body).not.toContain("Kai Brennan");
    const saved = await sw.post("/incidents", incident());
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/people/${world.people.childA1}/incidents`);
    const row = await database.db.selectFrom("incident").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      la_id: world.laId,
      kind: "knife_crime",
      occurred_on: "2026-02-14",
      location_id: placeId,
      description: "Knife found on a bench after a fight",
      source_organisation_id: world.orgs.police,
      share_with_partners: false,
      recorded_by: world.users.swA.id,
    });
    const subjects = await database.db
      .selectFrom("incident_subject")
      .select(["person_id", "person_of_concern_id"])
      .where("incident_id", "=", row.id)
      .execute();
    expect(subjects).toHaveLength(3);
    expect(subjects).toEqual(
      expect.arrayContaining([
        { person_id: world.people.childA1, person_of_concern_id: null },
        { person_id: world.people.childA2, person_of_concern_id: null },
        { person_id: null, person_of_concern_id: pocId },
      ]),
    );
    expect(await latestAudit(database)).toMatchObject({
      action: "incident.record",
      outcome: "allowed",
      person_ids: [world.people.childA1, world.people.childA2],
      subject_type: "incident",
      subject_id: row.id,
    });
    // Intelligence is not put on the chronology (partners read it): only the world's entry.
    const events = await database.db
      .selectFrom("chronology_entry")
      .select("id")
      .where("person_id", "=", world.people.childA1)
      .execute();
    expect(events).toHaveLength(1);
  });

  it("records one at a place alone, shared with partners, and lists the child's incidents newest first", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const placeOnly = await sw.post(
      "/incidents",
      incident({ kind: "asb", childIds: [], personOfConcernIds: [], shareWithPartners: "yes" }),
    );
    expect(placeOnly.statusCode).toBe(303);
    expect(placeOnly.headers.location).toBe("/hotspots");
    const later = await sw.post(
      "/incidents",
      incident({
        kind: "found_missing",
        "occurred-day": "1",
        "occurred-month": "3",
        locationId: "",
        description: "Found at the bus station at 2am",
        sourceOrganisationId: world.orgs.la,
        shareWithPartners: "yes",
        childIds: [world.people.childA1],
        personOfConcernIds: [],
      }),
    );
    expect(later.statusCode).toBe(303);
    const page = await sw.get(`/people/${world.people.childA1}/incidents`);
    expect(page.statusCode).toBe(200);
    const rows = page.body.split('data-testid="incident"').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain("1 March 2026");
    expect(rows[0]).toContain("Found while missing");
    expect(rows[0]).toContain("Not recorded");
    expect(rows[1]).toContain("14 February 2026");
    expect(rows[1]).toContain("Knife crime");
    expect(rows[1]).toContain("Eastfield Park");
    expect(rows[1]).toContain("Oliver Hartley");
    expect(rows[1]).toContain("Dean Marsh");
    expect(rows[1]).toContain("Testshire Police");
    expect(rows[1]).toContain("Not shared with other partners");
    expect(page.body).toContain(`href="/incidents/new?child=${world.people.childA1}"`);
    expect(page.body).toContain('href="/hotspots"');
    expect(await latestAudit(database)).toMatchObject({
      action: "incident.view",
      outcome: "allowed",
      summary: { incidents: 2 },
    });
  });

  // Each case changes the good form in one way; `world` is built in beforeAll, hence functions.
  const refusals: [string, () => Record<string, string | string[]>, string, string][] = [
    [
      "a date in the future",
      () => ({ "occurred-day": "3", "occurred-month": "3" }),
      "occurred-day",
      "The date it happened must be today or in the past",
    ],
    [
      "no child and no place",
      () => ({ childIds: [], locationId: "" }),
      "childIds",
      "Select at least one child involved, or choose the place where it happened",
    ],
    [
      "an unknown kind",
      () => ({ kind: "burglary" }),
      "kind",
      "Select what kind of incident it was from the list",
    ],
    [
      "a child outside the worker's sight",
      () => ({ childIds: [world.people.childB1] }),
      "childIds",
      "Select the children involved from the list",
    ],
  ];
  it.each(refusals)(
    "refuses %s, naming the field, and saves nothing",
    async (_what, change, field, message) => {
      const sw = await signIn(app, world.users.swA.email);
      const before = await counts();
      const refused = await sw.post("/incidents", incident(change()));
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain(`href="#${field}"`);
      expect(refused.body).toContain(message);
      expect(await counts()).toEqual(before);
      expect(await latestAudit(database)).toMatchObject({
        action: "incident.record",
        outcome: "failed",
      });
    },
  );
});

describe("who must not see or record incidents", () => {
  it("hides Amelia's incidents from the other team's worker, who cannot name her either", async () => {
    const swB = await signIn(app, world.users.swB.email);
    expect((await swB.get(`/people/${world.people.childA1}/incidents`)).statusCode).toBe(404);
    await swB.get("/incidents/new");
    const before = await counts();
    const refused = await swB.post("/incidents", incident({ sourceOrganisationId: world.orgs.la }));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("Select the children involved from the list");
    expect(await counts()).toEqual(before);
  });

  it("keeps police incidents not shared with partners from health, even though Amelia is shared with it", async () => {
    const health = await signIn(app, world.users.health.email);
    const page = await health.get(`/people/${world.people.childA1}/incidents`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Found while missing");
    expect(page.body).not.toContain("Knife crime");
    expect(page.body).not.toContain("Dean Marsh");
    // The knife crime also names Oliver, who is not shared with the police: it is left out
    // of Amelia's page for them, though they are its source.
    const police = await signIn(app, world.users.police.email);
    const theirs = await police.get(`/people/${world.people.childA1}/incidents`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).toContain("Found while missing");
    expect(theirs.body).not.toContain("Knife crime");
    expect(theirs.body).not.toContain("Oliver");
    // Not shared with the police: Kai's page stays closed.
    expect((await police.get(`/people/${world.people.childB1}/incidents`)).statusCode).toBe(404);
  });

  it("shows another LA's social worker none of this LA's incidents and lets them name none of its children", async () => {
    const other = await signIn(app, world.users.otherLaSw.email);
    expect((await other.get(`/people/${world.people.childA1}/incidents`)).statusCode).toBe(404);
    const hotspots = await other.get("/hotspots");
    expect(hotspots.statusCode).toBe(200);
    expect(hotspots.body).toContain("0 incidents from Apr 2025 to Mar 2026");
    expect(hotspots.body).not.toContain("Eastfield");
    const form = await other.get("/incidents/new");
    expect(form.body).not.toContain("Amelia");
    expect(form.body).not.toContain("Eastfield Park");
    const before = await counts();
    const refused = await other.post(
      "/incidents",
      incident({ sourceOrganisationId: world.orgs.otherLa }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("Select the children involved from the list");
    expect(refused.body).toContain("Select the place from the list");
    expect(await counts()).toEqual(before);
  });

  it.each(["analyst", "admin", "adultSpecialistA"] as const)(
    "refuses the pages to %s and saves nothing",
    async (key) => {
      const user = await signIn(app, world.users[key].email);
      expect((await user.get(`/people/${world.people.childA1}/incidents`)).statusCode).toBe(404);
      expect((await user.get("/incidents/new")).statusCode).toBe(404);
      expect((await user.get("/hotspots")).statusCode).toBe(404);
      const before = await counts();
      const refused = await user.post("/incidents", incident());
      expect(refused.statusCode).toBe(404);
      expect(await counts()).toEqual(before);
      expect(await latestAudit(database)).toMatchObject({
        action: "incident.record",
        outcome: "denied",
      });
    },
  );
});
