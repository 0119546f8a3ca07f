import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { insertCpPlan, referralFor } from "../visits/test-plans.ts";

// The test clock reads Monday 2 March 2026.
let database: Database;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const who = (personId: string, userId: string) => ({ laId: world.laId, personId, userId });
  // childA1 (swA): an assessment due 45 working days after a referral on 1 Dec 2025: overdue.
  const referralA1 = await referralFor(
    database.db,
    who(world.people.childA1, world.users.swA.id),
    "2025-12-01",
  );
  await database.db
    .insertInto("assessment")
    .values({
      la_id: world.laId,
      referral_id: referralA1,
      person_id: world.people.childA1,
      started_on: "2025-12-02",
      due_on: "2026-02-04",
      recorded_by: world.users.swA.id,
    })
    .execute();
  // childA2 (swA): on a CP plan since 16 Feb 2026 with no visit yet: a visit due 2 March.
  await insertCpPlan(database.db, who(world.people.childA2, world.users.swA.id), "2026-02-16");
  // childB1 (swB, team B): an assessment due next week.
  const referralB1 = await referralFor(
    database.db,
    who(world.people.childB1, world.users.swB.id),
    "2026-01-12",
  );
  await database.db
    .insertInto("assessment")
    .values({
      la_id: world.laId,
      referral_id: referralB1,
      person_id: world.people.childB1,
      started_on: "2026-01-13",
      due_on: "2026-03-16",
      recorded_by: world.users.swB.id,
    })
    .execute();
});

describe("my work", () => {
  it("lists what is due and overdue on the worker's own children, soonest first", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get("/my-work");
    expect(page.statusCode).toBe(200);
    const tray = page.body.slice(page.body.indexOf('data-testid="tray"'));
    const assessment = tray.indexOf("Assessment to complete");
    const visit = tray.indexOf("Statutory visit (child protection plan)");
    expect(assessment).toBeGreaterThan(0);
    expect(visit).toBeGreaterThan(assessment);
    expect(tray).toContain("4 February 2026");
    expect(tray).toContain("Overdue");
    expect(tray).toContain("Amelia Hartley");
    // Another team's child is not in it.
    expect(tray).not.toContain("16 March 2026");
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "worktray.view", outcome: "allowed" });
    expect([...audit.person_ids].sort()).toEqual(
      [world.people.childA1, world.people.childA2].sort(),
    );
  });

  it("shows another worker only their own children", async () => {
    const swB = await signIn(app, world.users.swB.email);
    const page = await swB.get("/my-work");
    expect(page.body).toContain("16 March 2026");
    expect(page.body).not.toContain("Amelia Hartley");
  });

  it("is not open to partners, analysts or administrators", async () => {
    for (const user of ["police", "health", "analyst", "admin"] as const) {
      const client = await signIn(app, world.users[user].email);
      expect((await client.get("/my-work")).statusCode, user).toBe(404);
    }
  });
});

describe("my team's work", () => {
  it("shows a manager every child allocated in their teams, with the worker", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const page = await tm.get("/my-team");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Amelia Hartley");
    expect(page.body).toContain("Assessment to complete");
    // Team B's work is not team A's manager's.
    expect(page.body).not.toContain("16 March 2026");
  });

  it("includes contacts awaiting the manager's decision", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA2}/contacts/new`);
    await sw.post(`/people/${world.people.childA2}/contacts`, {
      "receivedOn-day": "2",
      "receivedOn-month": "3",
      "receivedOn-year": "2026",
      source: "3B",
      reasons: "Health visitor worried about the baby's weight",
      children: [world.people.childA2],
    });
    const tm = await signIn(app, world.users.tmA.email);
    expect((await tm.get("/my-work")).body).toContain("Decision on a contact");
    expect((await sw.get("/my-work")).body).not.toContain("Decision on a contact");
  });

  it("is for managers only", async () => {
    for (const user of ["swA", "adultSpecialistA", "businessSupportA", "police"] as const) {
      const client = await signIn(app, world.users[user].email);
      expect((await client.get("/my-team")).statusCode, user).toBe(404);
    }
  });
});
