import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let deanId: string; // a police-sourced person of concern, high risk
let parkId: string;
let groupId: string; // recorded by the police

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const db = database.db;
  deanId = (
    await db
      .insertInto("person_of_concern")
      .values({
        la_id: world.laId,
        name: "Dean Marsh",
        age_band: "25_plus",
        risk_level: "high",
        source_organisation_id: world.orgs.police,
        recorded_by: world.users.police.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  parkId = (
    await db
      .insertInto("location")
      .values({
        la_id: world.laId,
        name: "Victoria Park",
        kind: "park",
        ward: "Castle",
        latitude: 52.6287,
        longitude: -1.1314,
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  groupId = (
    await db
      .insertInto("peer_group")
      .values({ la_id: world.laId, name: "Eastfield Boys", recorded_by: world.users.police.id })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  // Kai (childB1, swB's) and Amelia (childA1) were seen together: neither worker sees both.
  await db
    .insertInto("association")
    .values([
      {
        la_id: world.laId,
        child_id: world.people.childA1,
        other_child_id: world.people.childB1,
        first_seen_on: "2026-01-05",
        source_organisation_id: world.orgs.police,
        source_grading: "1",
        information_grading: "B",
        share_with_partners: true,
        recorded_by: world.users.police.id,
      },
      {
        la_id: world.laId,
        child_id: world.people.childA1,
        location_id: parkId,
        first_seen_on: "2026-01-20",
        source_organisation_id: world.orgs.la,
        source_grading: "1",
        information_grading: "A",
        corroborated: true,
        recorded_by: world.users.swA.id,
      },
      {
        la_id: world.laId,
        child_id: world.people.childA1,
        peer_group_id: groupId,
        first_seen_on: "2026-01-21",
        source_organisation_id: world.orgs.police,
        source_grading: "2",
        information_grading: "C",
        recorded_by: world.users.police.id,
      },
    ])
    .execute();
});

function details(): Record<string, string> {
  return {
    "firstSeen-day": "1",
    "firstSeen-month": "3",
    "firstSeen-year": "2026",
    sourceGrading: "1",
    informationGrading: "B",
    corroborated: "yes",
    shareWithPartners: "no",
  };
}

const openAlerts = () =>
  database.db
    .selectFrom("network_alert")
    .select(["person_id", "message", "association_id"])
    .where("acknowledged_at", "is", null)
    .orderBy("person_id")
    .execute();

describe("the child's network page", () => {
  it("leaves out an association with a child the actor may not see, not even counting it", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${world.people.childA1}/network`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Victoria Park");
    expect(page.body).toContain("Eastfield Boys");
    expect(page.body).not.toContain("Kai");
    expect(page.body).not.toContain("Brennan");
    expect(page.body.match(/data-testid="association"/g)).toHaveLength(2);
    expect(await latestAudit(database)).toMatchObject({
      action: "network.view",
      summary: { associations: 2 },
    });
  });

  it("shows the police their own unshared intelligence and what was shared", async () => {
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(`/people/${world.people.childA1}/network`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Eastfield Boys");
    // The park was recorded by the LA and not shared with partners.
    expect(page.body).not.toContain("Victoria Park");
    expect(page.body).not.toContain("Kai");
  });

  it("is not found for swB, the analyst, the administrator, another LA, and health without a share", async () => {
    for (const email of [
      world.users.swB.email,
      world.users.adultSpecialistA.email,
      world.users.analyst.email,
      world.users.admin.email,
      world.users.otherLaSw.email,
      world.users.health.email,
    ]) {
      const user = await signIn(app, email);
      const page = await user.get(`/people/${world.people.childA1}/network`);
      expect(page.statusCode, email).toBe(404);
      expect(page.body).not.toContain("Victoria Park");
      expect(await latestAudit(database)).toMatchObject({
        action: "network.view",
        outcome: "denied",
        person_ids: [world.people.childA1],
      });
    }
  });
});

describe("persons of concern, places and peer groups", () => {
  it("shows a person of concern through a visible association, audited as intelligence viewed", async () => {
    const sw = await signIn(app, world.users.swA.email);
    // Not yet associated with any child swA sees, and not swA's agency's record.
    expect((await sw.get(`/network/persons/${deanId}`)).statusCode).toBe(404);
    const police = await signIn(app, world.users.police.email);
    const own = await police.get(`/network/persons/${deanId}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain("Dean Marsh");
    expect(own.body).toContain("25 or over");
    expect(own.body).toContain("High");
    expect(await latestAudit(database)).toMatchObject({
      action: "intelligence.view",
      outcome: "allowed",
      subject_type: "person_of_concern",
      subject_id: deanId,
    });
  });

  it("raises a network alert when a child is linked to a high-risk person of concern", async () => {
    const police = await signIn(app, world.users.police.email);
    const saved = await police.post(`/people/${world.people.childA1}/associations`, {
      kind: "person",
      personOfConcernId: deanId,
      ...details(),
    });
    expect(saved.statusCode).toBe(303);
    const alerts = await openAlerts();
    expect(alerts).toMatchObject([
      {
        person_id: world.people.childA1,
        message: "A new association with a person assessed as high risk has been recorded.",
      },
    ]);
    expect(alerts[0]?.message).not.toContain("Dean");
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${world.people.childA1}/network`);
    expect(page.body).toContain("Network alert");
    expect(page.body).toContain("Acknowledge alert");
    const work = await sw.get("/my-work");
    expect(work.body).toContain("Network alert");
    expect(work.body).toContain(`/people/${world.people.childA1}/network`);
    const other = await signIn(app, world.users.swB.email);
    expect((await other.get("/my-work")).body).not.toContain("Network alert");
  });

  it("shows the person of concern to the LA team now, but not to swB, health, analyst, admin or another LA", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/network/persons/${deanId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Amelia Hartley");
    expect(await latestAudit(database)).toMatchObject({
      action: "intelligence.view",
      person_ids: [world.people.childA1],
    });
    for (const email of [
      world.users.swB.email,
      world.users.health.email,
      world.users.analyst.email,
      world.users.admin.email,
      world.users.otherLaSw.email,
    ]) {
      const user = await signIn(app, email);
      const refused = await user.get(`/network/persons/${deanId}`);
      expect(refused.statusCode, email).toBe(404);
      expect(refused.body).not.toContain("Dean");
    }
  });

  it("changes the risk level with a version check: a stale change is refused with 409", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/network/persons/${deanId}`);
    const changed = await sw.post(`/network/persons/${deanId}/risk`, {
      riskLevel: "medium",
      version: "1",
    });
    expect(changed.statusCode).toBe(303);
    const stale = await sw.post(`/network/persons/${deanId}/risk`, {
      riskLevel: "low",
      version: "1",
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone changed this person");
    const bad = await sw.post(`/network/persons/${deanId}/risk`, {
      riskLevel: "extreme",
      version: "2",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#riskLevel"');
    const swB = await signIn(app, world.users.swB.email);
    expect(
      (await swB.post(`/network/persons/${deanId}/risk`, { riskLevel: "low", version: "2" }))
        .statusCode,
    ).toBe(404);
    const bs = await signIn(app, world.users.businessSupportA.email);
    expect(
      (await bs.post(`/network/persons/${deanId}/risk`, { riskLevel: "low", version: "2" }))
        .statusCode,
    ).toBe(404);
    const row = await database.db
      .selectFrom("person_of_concern")
      .select(["risk_level", "version"])
      .where("id", "=", deanId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ risk_level: "medium", version: 2 });
  });

  it("lets only the child's practitioners acknowledge an alert", async () => {
    const [alert] = await database.db
      .selectFrom("network_alert")
      .select("id")
      .where("acknowledged_at", "is", null)
      .execute();
    const url = `/people/${world.people.childA1}/network/alerts/${alert?.id ?? ""}/acknowledge`;
    for (const email of [
      world.users.police.email,
      world.users.businessSupportA.email,
      world.users.swB.email,
    ]) {
      const user = await signIn(app, email);
      await user.get("/");
      expect((await user.post(url, {})).statusCode, email).toBe(404);
    }
    expect(await openAlerts()).toHaveLength(1);
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA1}/network`);
    const done = await sw.post(url, {});
    expect(done.statusCode).toBe(303);
    expect(await openAlerts()).toHaveLength(0);
    expect((await sw.get("/my-work")).body).not.toContain("Network alert");
    expect((await sw.get(`/people/${world.people.childA1}/network`)).body).not.toContain(
      "Acknowledge alert",
    );
  });

  it("alerts each child whose newly associated child was last screened as high", async () => {
    await database.db
      .insertInto("exploitation_screening")
      .values([
        {
          la_id: world.laId,
          person_id: world.people.childA2,
          screened_on: "2026-01-10",
          indicators: ["missing"],
          harm_types: [],
          computed_level: "low",
          judged_level: "low",
          recorded_by: world.users.swA.id,
          organisation_id: world.orgs.la,
        },
        {
          la_id: world.laId,
          person_id: world.people.childA2,
          screened_on: "2026-02-10",
          indicators: ["weapons", "arrest", "out_of_area"],
          harm_types: ["cce"],
          computed_level: "high",
          judged_level: "high",
          recorded_by: world.users.swA.id,
          organisation_id: world.orgs.la,
        },
      ])
      .execute();
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA1}/associations/new?kind=child`);
    const saved = await sw.post(`/people/${world.people.childA1}/associations`, {
      kind: "child",
      otherChildId: world.people.childA2,
      ...details(),
    });
    expect(saved.statusCode).toBe(303);
    // Oliver (childA2) was judged high, so Amelia is alerted; Amelia has no screening.
    expect((await openAlerts()).map((a) => a.person_id)).toEqual([world.people.childA1]);
    const page = await sw.get(`/people/${world.people.childA2}/network`);
    expect(page.body).toContain("Amelia Hartley");
    // The police may not see Oliver: the association is left out for them.
    const police = await signIn(app, world.users.police.email);
    const theirs = await police.get(`/people/${world.people.childA1}/network`);
    expect(theirs.body).not.toContain("Oliver");
    expect(theirs.body).not.toContain("Network alert");
  });

  it("shows a place to the LA, with only the associations each may see", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/network/places/${parkId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Park or open space");
    expect(page.body).toContain("Castle");
    expect(page.body).toContain("52.62870, -1.13140");
    expect(page.body).toContain("Amelia Hartley");
    expect(await latestAudit(database)).toMatchObject({
      action: "intelligence.view",
      subject_type: "location",
      person_ids: [world.people.childA1],
    });
    // A park is not personal data; who was seen there is.
    const swB = await signIn(app, world.users.swB.email);
    const theirs = await swB.get(`/network/places/${parkId}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain("Amelia");
    for (const email of [
      world.users.analyst.email,
      world.users.admin.email,
      world.users.otherLaSw.email,
    ]) {
      const user = await signIn(app, email);
      expect((await user.get(`/network/places/${parkId}`)).statusCode, email).toBe(404);
    }
  });

  it("shows a peer group through a visible association or to its recording agency only", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/network/groups/${groupId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Eastfield Boys");
    expect(page.body).toContain("Amelia Hartley");
    for (const email of [
      world.users.swB.email,
      world.users.health.email,
      world.users.analyst.email,
      world.users.admin.email,
      world.users.otherLaSw.email,
    ]) {
      const user = await signIn(app, email);
      expect((await user.get(`/network/groups/${groupId}`)).statusCode, email).toBe(404);
    }
  });
});
