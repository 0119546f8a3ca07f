import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { startFeedRig, type FeedRig } from "../../../test/support/dfe-feed.ts";
import { signIn, testApp, TestClock } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { buildApp } from "../../app.ts";
import { loadConfig } from "../../platform/config.ts";
import type { Database } from "../../platform/database.ts";
import { insertCinPlan } from "../visits/test-plans.ts";

let database: Database;
let world: World;
let rig: FeedRig;
/** The app with the feed configured to the test receiver, and one without it. */
let app: FastifyInstance;
let unconfigured: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  rig = await startFeedRig();
  const clock = new TestClock();
  app = await buildApp({
    database,
    config: {
      ...loadConfig({}),
      cookieSecret: "test-cookie-secret-test-cookie-secret",
      dfeFeed: rig.settings,
    },
    clock: clock.now,
  });
  await app.ready();
  ({ app: unconfigured } = await testApp(database, { clock }));
  const who = (personId: string) => ({ laId: world.laId, personId, userId: world.users.swA.id });
  await insertCinPlan(database.db, who(world.people.childA1), "2025-09-01");
  await insertCinPlan(database.db, who(world.people.childB1), "2025-10-01");
  // Another council's performance officer.
  await database.db
    .updateTable("app_user")
    .set({ role: "performance_officer" })
    .where("id", "=", world.users.otherLaSw.id)
    .execute();
});

afterAll(async () => {
  await app.close();
  await unconfigured.close();
  await rig.close();
});

beforeEach(() => {
  rig.receiver.reset();
});

const runCount = async () =>
  (await database.db.selectFrom("dfe_feed_run").select("id").execute()).length;

describe("the DfE feed's page", () => {
  it("is found by the performance officer from the returns page", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    expect((await officer.get("/returns")).body).toContain('href="/returns/dfe-feed"');
    const page = await officer.get("/returns/dfe-feed");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("The feed has not run yet.");
    expect(page.body).toContain("Send changes now");
    expect(page.body).not.toContain(rig.settings.clientSecret);
  });

  it("sends the changes now, as one council-wide audit row with the counts", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    await officer.get("/returns/dfe-feed");
    const response = await officer.post("/returns/dfe-feed/send", {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/returns/dfe-feed");
    expect(rig.receiver.accepted).toHaveLength(2);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({
      action: "returns.feed.send",
      outcome: "allowed",
      actor_user_id: world.users.performanceOfficer.id,
      subject_type: "dfe_feed_run",
    });
    expect(audit.summary).toMatchObject({ scope: "council-wide", sent: 2, rejected: 0, failed: 0 });
    const page = await officer.get("/returns/dfe-feed");
    expect(page.body).toMatch(/data-testid="feed-runs"/);
    expect(page.body).toMatch(/performance[^<]*<\/td>\s*<td[^>]*>2<\/td>/);
  });

  it("is not found for anyone else, and they send nothing", async () => {
    const before = await runCount();
    for (const user of [world.users.swA, world.users.analyst, world.users.admin, world.users.tmA]) {
      const client = await signIn(app, user.email);
      expect((await client.get("/returns/dfe-feed")).statusCode).toBe(404);
      await client.get("/");
      expect((await client.post("/returns/dfe-feed/send", {})).statusCode).toBe(404);
      expect((await client.get("/returns")).body).not.toContain('href="/returns/dfe-feed"');
    }
    expect(rig.receiver.answered).toEqual([]);
    expect(await runCount()).toBe(before);
  });

  it("shows another council's officer none of this council's runs", async () => {
    const other = await signIn(app, world.users.otherLaSw.email);
    const page = await other.get("/returns/dfe-feed");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("The feed has not run yet.");
  });

  it("says clearly when the feed is not configured, and the button sends nothing", async () => {
    const before = await runCount();
    const officer = await signIn(unconfigured, world.users.performanceOfficer.email);
    const page = await officer.get("/returns/dfe-feed");
    expect(page.body).toContain('data-testid="feed-not-configured"');
    expect(page.body).not.toContain("Send changes now");
    const response = await officer.post("/returns/dfe-feed/send", {});
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain("The DfE feed is not configured");
    expect(rig.receiver.answered).toEqual([]);
    expect(await runCount()).toBe(before);
  });
});
