import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import {
  dateFields,
  openEpisode,
  protectionCounts,
  putOnPlan,
  strategyForm,
} from "./test-support.ts";

// Who may see and who may record a child's protection records. childA1 is allocated to swA's
// team and shared with the police; it has an open plan from 10 February 2026.
let database: Database;
let world: World;
let app: FastifyInstance;
let childA1: string;
let s47Id: string;
let planId: string;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  childA1 = world.people.childA1;
  await openEpisode(database.db, world, childA1, "2026-02-02");
  const sw = await signIn(app, world.users.swA.email);
  ({ s47Id, planId } = await putOnPlan(sw, database.db, childA1, "2026-02-10"));
});

const db = () => database.db;
const openPlan = () =>
  db().selectFrom("cp_plan").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();

describe("who may see and record child protection", () => {
  it("hides the protection pages from those who cannot see the child", async () => {
    for (const user of [
      world.users.swB,
      world.users.health,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get(`/people/${childA1}/protection`)).statusCode, user.email).toBe(404);
      expect(
        (await client.get(`/people/${childA1}/s47/${s47Id}/complete`)).statusCode,
        user.email,
      ).toBe(404);
      const attempt = await client.post(
        `/people/${childA1}/strategy-discussions`,
        strategyForm("2026-03-02"),
      );
      expect(attempt.statusCode, user.email).toBe(404);
    }
    expect(await latestAudit(database)).toMatchObject({
      action: "protection.record",
      outcome: "denied",
      person_ids: [childA1],
    });
  });

  it("hides a restricted child's protection page even from the allocated worker", async () => {
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get(`/people/${world.people.restrictedChildA}/protection`)).statusCode).toBe(
      404,
    );
  });

  it("lets the police see a child shared with them, but not record", async () => {
    const before = await protectionCounts(db(), childA1);
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(`/people/${childA1}/protection`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Strategy discussion on 10 February 2026");
    expect(page.body).not.toContain("Record a strategy discussion");
    expect(page.body).not.toContain("Record review conference");
    expect((await police.get(`/people/${childA1}/strategy-discussions/new`)).statusCode).toBe(404);
    const attempt = await police.post(
      `/people/${childA1}/strategy-discussions`,
      strategyForm("2026-03-02", { outcome: "no_s47" }),
    );
    expect(attempt.statusCode).toBe(404);
    expect(await latestAudit(database)).toMatchObject({
      action: "protection.record",
      outcome: "denied",
    });
    expect(await protectionCounts(db(), childA1)).toEqual(before);
  });

  it("lets adult specialists and business support view but not record", async () => {
    const plan = await openPlan();
    const before = await protectionCounts(db(), childA1);
    for (const user of [world.users.adultSpecialistA, world.users.businessSupportA]) {
      const client = await signIn(app, user.email);
      const page = await client.get(`/people/${childA1}/protection`);
      expect(page.statusCode, user.email).toBe(200);
      expect(page.body).not.toContain("Record a strategy discussion");
      expect(page.body).not.toContain("/core-groups/new");
      expect(
        (await client.get(`/people/${childA1}/conferences/new?plan=${plan.id}`)).statusCode,
        user.email,
      ).toBe(404);
      const attempts = [
        await client.post(
          `/people/${childA1}/strategy-discussions`,
          strategyForm("2026-03-02", { outcome: "no_s47" }),
        ),
        await client.post(
          `/people/${childA1}/cp-plans/${plan.id}/core-groups`,
          dateFields("heldOn", "2026-03-02"),
        ),
        await client.post(`/people/${childA1}/conferences`, {
          planId: plan.id,
          version: String(plan.version),
          ...dateFields("heldOn", "2026-03-02"),
          decision: "end",
          endReason: "other",
        }),
      ];
      for (const attempt of attempts) expect(attempt.statusCode, user.email).toBe(404);
    }
    expect(await protectionCounts(db(), childA1)).toEqual(before);
  });

  it("keeps emergency access read-only", async () => {
    const plan = await openPlan();
    const before = await protectionCounts(db(), childA1);
    const swB = await signIn(app, world.users.swB.email);
    const grant = await swB.post("/break-glass", {
      personId: childA1,
      reason: "Out of hours: police asked about the child's protection plan",
    });
    expect(grant.statusCode).toBe(303);
    const page = await swB.get(`/people/${childA1}/protection`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("emergency access");
    expect(page.body).not.toContain("Record a strategy discussion");
    expect((await swB.get(`/people/${childA1}/strategy-discussions/new`)).statusCode).toBe(403);
    const attempts = [
      await swB.post(
        `/people/${childA1}/strategy-discussions`,
        strategyForm("2026-03-02", { outcome: "no_s47" }),
      ),
      await swB.post(
        `/people/${childA1}/cp-plans/${plan.id}/core-groups`,
        dateFields("heldOn", "2026-03-02"),
      ),
    ];
    for (const attempt of attempts) expect(attempt.statusCode).toBe(403);
    expect(await latestAudit(database)).toMatchObject({
      action: "protection.record",
      outcome: "denied",
      person_ids: [childA1],
    });
    expect(await protectionCounts(db(), childA1)).toEqual(before);
  });
});
