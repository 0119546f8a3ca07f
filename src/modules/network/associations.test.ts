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

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
});

function details(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    "firstSeen-day": "10",
    "firstSeen-month": "2",
    "firstSeen-year": "2026",
    "lastSeen-day": "27",
    "lastSeen-month": "2",
    "lastSeen-year": "2026",
    sourceGrading: "2",
    informationGrading: "C",
    corroborated: "no",
    shareWithPartners: "no",
    notes: "Seen getting into a car outside school",
    ...overrides,
  };
}

const counts = async () => ({
  associations: (await database.db.selectFrom("association").select("id").execute()).length,
  persons: (await database.db.selectFrom("person_of_concern").select("id").execute()).length,
  places: (await database.db.selectFrom("location").select("id").execute()).length,
  groups: (await database.db.selectFrom("peer_group").select("id").execute()).length,
  alerts: (await database.db.selectFrom("network_alert").select("id").execute()).length,
});

describe("recording an association", () => {
  it("lets the social worker record intelligence passed on by the police, as a new person of concern", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const choose = await sw.get(`/people/${world.people.childA1}/associations/new`);
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain("A new person of concern");
    const form = await sw.get(`/people/${world.people.childA1}/associations/new?kind=new_person`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Testshire Police");
    for (const kind of [
      "child",
      "person",
      "new_person",
      "place",
      "new_place",
      "group",
      "new_group",
    ]) {
      const page = await sw.get(`/people/${world.people.childA1}/associations/new?kind=${kind}`);
      expect(page.statusCode, kind).toBe(200);
      expect(page.body, kind).not.toMatch(/undefined|\[object/);
    }
    const saved = await sw.post(`/people/${world.people.childA1}/associations`, {
      kind: "new_person",
      pocName: "Dean Marsh",
      pocAliases: "D-Man",
      pocAgeBand: "25_plus",
      pocDescription: "Drives a grey hatchback",
      pocRiskLevel: "medium",
      sourceOrganisationId: world.orgs.police,
      ...details(),
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/people/${world.people.childA1}/network`);
    const poc = await database.db
      .selectFrom("person_of_concern")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(poc).toMatchObject({
      name: "Dean Marsh",
      aliases: "D-Man",
      age_band: "25_plus",
      risk_level: "medium",
      source_organisation_id: world.orgs.police,
      share_with_partners: false,
    });
    const association = await database.db
      .selectFrom("association")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(association).toMatchObject({
      child_id: world.people.childA1,
      person_of_concern_id: poc.id,
      first_seen_on: "2026-02-10",
      last_seen_on: "2026-02-27",
      source_organisation_id: world.orgs.police,
      source_grading: "2",
      information_grading: "C",
      corroborated: false,
      share_with_partners: false,
      recorded_by: world.users.swA.id,
    });
    // Not high risk: no alert. Intelligence is not put on the chronology.
    expect((await counts()).alerts).toBe(0);
    const events = await database.db
      .selectFrom("chronology_entry")
      .select("id")
      .where("person_id", "=", world.people.childA1)
      .execute();
    expect(events).toHaveLength(1);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({
      action: "intelligence.record",
      outcome: "allowed",
      person_ids: [world.people.childA1],
      subject_type: "association",
      subject_id: association.id,
    });
    expect(JSON.stringify(audit.summary)).not.toContain("Dean");
  });

  it("shows the network as intelligence: source, grading in words and corroboration", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${world.people.childA1}/network`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("They are intelligence, not established facts");
    expect(page.body).toContain("Dean Marsh");
    expect(page.body).toMatch(/href="\/network\/persons\/[0-9a-f-]+">Dean Marsh/);
    expect(page.body).toContain("10 February 2026");
    expect(page.body).toContain("27 February 2026");
    expect(page.body).toContain("Testshire Police");
    expect(page.body).toContain("2: untested source");
    expect(page.body).toContain("C: known indirectly");
    expect(page.body).toContain("No, not corroborated");
    expect(await latestAudit(database)).toMatchObject({
      action: "network.view",
      outcome: "allowed",
      person_ids: [world.people.childA1],
      summary: { associations: 1 },
    });
  });

  it("lets the police record on a child shared with them, always as the police", async () => {
    const police = await signIn(app, world.users.police.email);
    const form = await police.get(
      `/people/${world.people.childA1}/associations/new?kind=new_group`,
    );
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Source agency: <strong>Testshire Police</strong>");
    const saved = await police.post(`/people/${world.people.childA1}/associations`, {
      kind: "new_group",
      groupName: "Eastfield Boys",
      groupDescription: "Group seen around the precinct",
      ...details({ shareWithPartners: "yes", corroborated: "yes", informationGrading: "A" }),
    });
    expect(saved.statusCode).toBe(303);
    const row = await database.db
      .selectFrom("association")
      .innerJoin("peer_group", "peer_group.id", "association.peer_group_id")
      .select(["association.source_organisation_id", "association.share_with_partners"])
      .where("peer_group.name", "=", "Eastfield Boys")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ source_organisation_id: world.orgs.police, share_with_partners: true });
  });

  it("refuses the police naming another agency as the source, saving nothing", async () => {
    const police = await signIn(app, world.users.police.email);
    const before = await counts();
    const refused = await police.post(`/people/${world.people.childA1}/associations`, {
      kind: "new_group",
      groupName: "Westfield Girls",
      sourceOrganisationId: world.orgs.la,
      ...details(),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("Select the source agency from the list");
    expect(await counts()).toEqual(before);
  });

  it("refuses partners recording on a child not shared with them, saving nothing", async () => {
    const before = await counts();
    for (const email of [world.users.police.email, world.users.health.email]) {
      const partner = await signIn(app, email);
      expect(
        (await partner.get(`/people/${world.people.childA2}/associations/new`)).statusCode,
      ).toBe(404);
      const refused = await partner.post(`/people/${world.people.childA2}/associations`, {
        kind: "new_group",
        groupName: "Should not be saved",
        ...details(),
      });
      expect(refused.statusCode).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        action: "intelligence.record",
        outcome: "denied",
        person_ids: [world.people.childA2],
      });
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses swB, the analyst, the administrator, business support and another LA", async () => {
    const before = await counts();
    for (const email of [
      world.users.swB.email,
      world.users.analyst.email,
      world.users.admin.email,
      world.users.businessSupportA.email,
      world.users.otherLaSw.email,
    ]) {
      const user = await signIn(app, email);
      expect(
        (await user.get(`/people/${world.people.childA1}/associations/new`)).statusCode,
        email,
      ).toBe(404);
      const refused = await user.post(`/people/${world.people.childA1}/associations`, {
        kind: "new_group",
        groupName: "Should not be saved",
        ...details(),
      });
      expect(refused.statusCode, email).toBe(404);
    }
    expect(await counts()).toEqual(before);
  });

  it("offers only the children the actor may see, and refuses any other", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const form = await sw.get(`/people/${world.people.childA1}/associations/new?kind=child`);
    expect(form.body).toContain("Oliver Hartley");
    expect(form.body).not.toContain("Kai Brennan");
    expect(form.body).not.toContain("Joanne Hartley"); // an adult
    const before = await counts();
    const refused = await sw.post(`/people/${world.people.childA1}/associations`, {
      kind: "child",
      otherChildId: world.people.childB1,
      ...details(),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("Select the child from the list");
    expect(refused.body).not.toContain("Kai");
    expect(await counts()).toEqual(before);
  });
});

describe("the rules for an association", () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ["no kind chosen", details(), "kind", "Select what the association is with"],
    [
      "a latitude without a longitude",
      {
        kind: "new_place",
        placeName: "Rec ground",
        placeKind: "park",
        latitude: "52.6",
        ...details(),
      },
      "longitude",
      "Enter both a latitude and a longitude, or neither",
    ],
    [
      "a longitude without a latitude",
      {
        kind: "new_place",
        placeName: "Rec ground",
        placeKind: "park",
        longitude: "-1.1",
        ...details(),
      },
      "latitude",
      "Enter both a latitude and a longitude, or neither",
    ],
    [
      "a latitude out of range",
      {
        kind: "new_place",
        placeName: "Rec ground",
        placeKind: "park",
        latitude: "91",
        longitude: "-1.1",
        ...details(),
      },
      "latitude",
      "between -90 and 90",
    ],
    [
      "coordinates for an online platform",
      {
        kind: "new_place",
        placeName: "A chat app",
        placeKind: "online_platform",
        latitude: "52.6",
        longitude: "-1.1",
        ...details(),
      },
      "latitude",
      "An online platform has no latitude or longitude",
    ],
    [
      "last seen before first seen",
      { kind: "new_group", groupName: "G", ...details({ "lastSeen-day": "9" }) },
      "lastSeen-day",
      "on or after the date first seen (10 February 2026)",
    ],
    [
      "a source grading not in the list",
      { kind: "new_group", groupName: "G", ...details({ sourceGrading: "4" }) },
      "sourceGrading",
      "Select how reliable the source is from the list",
    ],
    [
      "an information grading not in the list",
      { kind: "new_group", groupName: "G", ...details({ informationGrading: "F" }) },
      "informationGrading",
      "Select how the source knows the information from the list",
    ],
    [
      "a first seen date in the future",
      {
        kind: "new_group",
        groupName: "G",
        ...details({
          "firstSeen-day": "3",
          "firstSeen-month": "3",
          "lastSeen-day": "",
          "lastSeen-month": "",
          "lastSeen-year": "",
        }),
      },
      "firstSeen-day",
      "today or in the past",
    ],
    [
      "a new person of concern without a name",
      { kind: "new_person", pocAgeBand: "unknown", pocRiskLevel: "unknown", ...details() },
      "pocName",
      "Enter their name",
    ],
  ];

  it.each(cases)(
    "refuses %s, naming the field and saving nothing",
    async (_name, form, field, message) => {
      const sw = await signIn(app, world.users.swA.email);
      const before = await counts();
      const refused = await sw.post(`/people/${world.people.childA1}/associations`, form);
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain(`href="#${field}"`);
      expect(refused.body).toContain(message);
      expect(await counts()).toEqual(before);
      expect(await latestAudit(database)).toMatchObject({
        action: "intelligence.record",
        outcome: "failed",
      });
    },
  );

  it("saves a place with both coordinates, and an online platform with none", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const park = await sw.post(`/people/${world.people.childA1}/associations`, {
      kind: "new_place",
      placeName: "Victoria Park",
      placeKind: "park",
      placeWard: "Castle",
      latitude: "52.62870",
      longitude: "-1.13140",
      ...details(),
    });
    expect(park.statusCode).toBe(303);
    const online = await sw.post(`/people/${world.people.childA1}/associations`, {
      kind: "new_place",
      placeName: "A messaging app",
      placeKind: "online_platform",
      ...details(),
    });
    expect(online.statusCode).toBe(303);
    const places = await database.db
      .selectFrom("location")
      .select(["name", "latitude", "longitude", "ward"])
      .orderBy("name")
      .execute();
    expect(places).toEqual([
      { name: "A messaging app", latitude: null, longitude: null, ward: "" },
      { name: "Victoria Park", latitude: "52.62870", longitude: "-1.13140", ward: "Castle" },
    ]);
  });
});
