import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { openProtection, protectionDue } from "./due.ts";
import { dateFields, openEpisode, strategyForm } from "./test-support.ts";

// What the work tray and case closure read. Today is Monday 2 March 2026.
const today = "2026-03-02";
let database: Database;
let world: World;
let app: FastifyInstance;
let swA: Client;
let swB: Client;
let childB1: string;
let childA2: string;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  swA = await signIn(app, world.users.swA.email);
  swB = await signIn(app, world.users.swB.email);
  childB1 = world.people.childB1;
  childA2 = world.people.childA2;
  await openEpisode(database.db, world, childB1, "2026-02-02");
  await openEpisode(database.db, world, childA2, "2026-02-02");
});

const due = (personIds: readonly string[], on = today) =>
  protectionDue(database.db, world.laId, personIds, on);

async function s47Of(personId: string) {
  return database.db
    .selectFrom("s47_enquiry")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("started_on", "desc")
    .executeTakeFirstOrThrow();
}

async function planOf(personId: string) {
  return database.db
    .selectFrom("cp_plan")
    .selectAll()
    .where("person_id", "=", personId)
    .executeTakeFirstOrThrow();
}

describe("protectionDue and openProtection", () => {
  it("have nothing for children with no protection work", async () => {
    expect(await due([])).toEqual([]);
    expect(await due([childB1, childA2])).toEqual([]);
    expect(await openProtection(database.db, childB1)).toEqual({
      openPlan: false,
      openS47: false,
    });
  });

  it("show an ICPC due while an S47 awaits its outcome or its conference", async () => {
    expect(
      (await swB.post(`/people/${childB1}/strategy-discussions`, strategyForm("2026-02-02")))
        .statusCode,
    ).toBe(303);
    const icpc = { personId: childB1, kind: "icpc", dueOn: "2026-02-23", overdue: true };
    expect(await due([childB1])).toEqual([icpc]);
    expect(await due([childB1], "2026-02-23")).toEqual([{ ...icpc, overdue: false }]);
    expect(await openProtection(database.db, childB1)).toEqual({
      openPlan: false,
      openS47: true,
    });
    // Another LA's work tray sees none of it.
    expect(await protectionDue(database.db, world.otherLaId, [childB1], today)).toEqual([]);

    const s47 = await s47Of(childB1);
    const done = await swB.post(`/people/${childB1}/s47/${s47.id}/complete`, {
      ...dateFields("completedOn", "2026-02-13"),
      outcome: "icpc",
      findings: "Synthetic findings",
      version: "1",
    });
    expect(done.statusCode).toBe(303);
    expect(await due([childB1])).toEqual([icpc]);
    expect((await openProtection(database.db, childB1)).openS47).toBe(true);
  });

  it("drop an S47 that needs no conference", async () => {
    await swA.post(`/people/${childA2}/strategy-discussions`, strategyForm("2026-02-03"));
    const s47 = await s47Of(childA2);
    await swA.post(`/people/${childA2}/s47/${s47.id}/complete`, {
      ...dateFields("completedOn", "2026-02-13"),
      outcome: "no_icpc",
      findings: "Synthetic findings",
      version: "1",
    });
    expect(await due([childA2])).toEqual([]);
    expect(await openProtection(database.db, childA2)).toEqual({
      openPlan: false,
      openS47: false,
    });
  });

  it("show the plan's review and first core group, soonest first, for many children", async () => {
    const s47 = await s47Of(childB1);
    const icpc = await swB.post(`/people/${childB1}/conferences`, {
      s47Id: s47.id,
      ...dateFields("heldOn", "2026-02-20"),
      decision: "plan",
      category: "PHY",
    });
    expect(icpc.statusCode).toBe(303);
    await swA.post(`/people/${childA2}/strategy-discussions`, strategyForm("2026-02-24"));
    expect(await due([childB1, childA2])).toEqual([
      { personId: childB1, kind: "core_group", dueOn: "2026-03-06", overdue: false },
      { personId: childA2, kind: "icpc", dueOn: "2026-03-17", overdue: false },
      { personId: childB1, kind: "cp_review", dueOn: "2026-05-20", overdue: false },
    ]);
    expect((await due([childB1, childA2], "2026-06-01")).every((d) => d.overdue)).toBe(true);
    expect(await openProtection(database.db, childB1)).toEqual({
      openPlan: true,
      openS47: false,
    });
  });

  it("drop the core group once one has met, and everything once the plan ends", async () => {
    const plan = await planOf(childB1);
    await swB.post(
      `/people/${childB1}/cp-plans/${plan.id}/core-groups`,
      dateFields("heldOn", "2026-03-02"),
    );
    expect(await due([childB1])).toEqual([
      { personId: childB1, kind: "cp_review", dueOn: "2026-05-20", overdue: false },
    ]);
    const ended = await swB.post(`/people/${childB1}/conferences`, {
      planId: plan.id,
      version: "1",
      ...dateFields("heldOn", "2026-03-02"),
      decision: "end",
      endReason: "looked_after",
    });
    expect(ended.statusCode).toBe(303);
    expect(await due([childB1])).toEqual([]);
    expect(await openProtection(database.db, childB1)).toEqual({
      openPlan: false,
      openS47: false,
    });
  });
});
