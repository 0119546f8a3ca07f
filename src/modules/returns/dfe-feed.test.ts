import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { FEED_CLIENT, startFeedRig, type FeedRig } from "../../../test/support/dfe-feed.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { insertClaEpisode, insertCinPlan, insertCpPlan } from "../visits/test-plans.ts";
import { NOT_CONFIGURED, runDfeFeed, type FeedRunOptions } from "./dfe-feed-run.ts";
import { MAX_ATTEMPTS } from "./dfe-feed-send.ts";

let database: Database;
let world: World;
let rig: FeedRig;
const childId: Record<string, string> = {};

/** One run of the feed in its own transaction, as the command line and the page run it. */
function feed(more: Partial<FeedRunOptions> = {}) {
  return database.db.transaction().execute((tx) =>
    runDfeFeed(tx, {
      laId: world.laId,
      startedBy: null,
      settings: rig.settings,
      transport: rig.transport,
      ...more,
    }),
  );
}

async function sent(more: Partial<FeedRunOptions> = {}) {
  const result = await feed(more);
  if (result.kind !== "sent") throw new Error(`expected a sent run, got ${result.kind}`);
  return result;
}

const acceptedIds = () => rig.receiver.accepted.map((r) => r.laChildId).sort();

async function rename(personId: string, familyName: string) {
  await database.db
    .updateTable("person")
    .set({ family_name: familyName })
    .where("id", "=", personId)
    .execute();
}

async function sendsOf(runId: string) {
  return database.db
    .selectFrom("dfe_feed_send")
    .select(["la_child_id", "status", "attempts", "http_status", "purge"])
    .where("run_id", "=", runId)
    .orderBy("la_child_id")
    .execute();
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  rig = await startFeedRig();
  const who = (personId: string) => ({ laId: world.laId, personId, userId: world.users.swA.id });
  await insertCinPlan(database.db, who(world.people.childA1), "2025-09-01");
  await insertCpPlan(database.db, who(world.people.childA2), "2025-10-01");
  await insertClaEpisode(database.db, who(world.people.childB1), "2025-11-01");
  await insertCinPlan(database.db, who(world.people.childB1), "2025-11-01");
  // Another council's child is never in this council's feed.
  await insertCinPlan(
    database.db,
    { ...who(world.people.otherLaChild), laId: world.otherLaId },
    "2025-09-01",
  );
  const rows = await database.db.selectFrom("person").select(["id", "la_child_id"]).execute();
  for (const r of rows) childId[r.id] = r.la_child_id;
});

afterAll(async () => {
  await rig.close();
});

beforeEach(() => {
  rig.receiver.reset();
  rig.waits.length = 0;
});

describe("the DfE daily feed", () => {
  it("says clearly when it is not configured, and sends and records nothing", async () => {
    const result = await feed({ settings: undefined });
    expect(result).toEqual({ kind: "not_configured", message: NOT_CONFIGURED });
    expect(NOT_CONFIGURED).toMatch(/not configured.*DFE_FEED_URL.*Nothing was sent/);
    expect(rig.receiver.answered).toEqual([]);
    const runs = await database.db.selectFrom("dfe_feed_run").select("id").execute();
    expect(runs).toEqual([]);
  });

  it("on a dry run builds and checks every document and sends nothing", async () => {
    const result = await feed({ dryRun: true });
    expect(result).toMatchObject({ kind: "dry_run", toSend: 3, problems: [] });
    expect(rig.receiver.answered).toEqual([]);
    const children = await database.db.selectFrom("dfe_feed_child").select("person_id").execute();
    expect(children).toEqual([]);
  });

  it("first sends every child in scope, with a verified token, and records each send", async () => {
    const run = await sent();
    const expected = [world.people.childA1, world.people.childA2, world.people.childB1]
      .map((id) => childId[id])
      .sort();
    expect(acceptedIds()).toEqual(expected);
    expect(run.counts).toMatchObject({
      children: 3,
      unchanged: 0,
      sent: 3,
      rejected: 0,
      failed: 0,
    });
    expect(rig.receiver.accepted.every((r) => r.clientId === FEED_CLIENT.clientId)).toBe(true);
    expect(rig.receiver.accepted.every((r) => r.laCode === "901")).toBe(true);
    // The records as the specification structures them: the CP plan, its S47 and placement.
    const a2 = rig.receiver.accepted.find((r) => r.laChildId === childId[world.people.childA2]);
    const episode = (a2?.document.Children.social_care_episodes as Record<string, unknown>[])[0];
    expect(episode).toMatchObject({
      referral_date: "2025-10-01",
      section_47_assessments: [{ start_date: "2025-10-01", icpc_required_flag: true }],
      child_protection_plans: [{ start_date: "2025-10-01" }],
    });
    const b1 = rig.receiver.accepted.find((r) => r.laChildId === childId[world.people.childB1]);
    expect(b1?.document.Children.social_care_episodes).toMatchObject([
      { child_looked_after_placements: [{ start_date: "2025-11-01", placement_type: "U1" }] },
    ]);
    const sends = await sendsOf(run.runId);
    expect(sends.map((s) => [s.status, s.attempts, s.http_status])).toEqual([
      ["accepted", 1, 202],
      ["accepted", 1, 202],
      ["accepted", 1, 202],
    ]);
  });

  it("sends nothing on a second run when nothing changed", async () => {
    const run = await sent();
    expect(run.counts).toMatchObject({ children: 3, unchanged: 3, sent: 0 });
    expect(rig.receiver.answered).toEqual([]);
  });

  it("sends a changed child again, and only that child", async () => {
    await rename(world.people.childA1, "Hartley-Jones");
    const run = await sent();
    expect(acceptedIds()).toEqual([childId[world.people.childA1]]);
    expect(rig.receiver.accepted[0]?.document.Children).toMatchObject({
      child_details: { surname: "Hartley-Jones" },
    });
    expect(run.counts).toMatchObject({ sent: 1, unchanged: 2 });
  });

  it("purges an item entered in error: sent before, gone now", async () => {
    const plan = await database.db
      .deleteFrom("cin_plan")
      .where("person_id", "=", world.people.childB1)
      .returning("id")
      .executeTakeFirstOrThrow();
    await sent();
    expect(acceptedIds()).toEqual([childId[world.people.childB1]]);
    const episodes = rig.receiver.accepted[0]?.document.Children.social_care_episodes;
    expect(episodes).toMatchObject([
      { child_in_need_plans: [{ child_in_need_plan_id: plan.id, purge: true }] },
    ]);
    // Once accepted, the purge is not sent again.
    rig.receiver.reset();
    await sent();
    expect(rig.receiver.answered).toEqual([]);
  });

  it("purges a child merged away, sending only the ids, and never again", async () => {
    await database.db
      .updateTable("person")
      .set({ merged_into: world.people.childA1 })
      .where("id", "=", world.people.childA2)
      .execute();
    const run = await sent();
    expect(rig.receiver.accepted.map((r) => r.document.Children)).toEqual([
      {
        la_child_id: childId[world.people.childA2],
        mis_child_id: world.people.childA2,
        purge: true,
      },
    ]);
    expect(run.counts).toMatchObject({ children: 2, sent: 1, purged: 1 });
    const kept = await database.db
      .selectFrom("dfe_feed_child")
      .select(["document_hash", "purged_at"])
      .where("person_id", "=", world.people.childA2)
      .executeTakeFirstOrThrow();
    expect(kept.document_hash).toBeNull();
    expect(kept.purged_at).not.toBeNull();
    rig.receiver.reset();
    expect((await sent()).counts).toMatchObject({ sent: 0, purged: 0 });
    expect(rig.receiver.answered).toEqual([]);
  });

  it("retries a child the receiver fails twice with back-off, then records it accepted", async () => {
    await rename(world.people.childA1, "Retry");
    rig.receiver.failFirst(childId[world.people.childA1] ?? "", [500, 503]);
    const run = await sent();
    expect(rig.receiver.answered.map((a) => a.status)).toEqual([500, 503, 202]);
    expect(await sendsOf(run.runId)).toMatchObject([
      { status: "accepted", attempts: 3, http_status: 202 },
    ]);
    // Exponential: the second wait doubles the first (jitter fixed at half by the test).
    expect(rig.waits).toEqual([375, 750]);
  });

  it("records a 400 as rejected without retrying, and sends the child again next run", async () => {
    const id = childId[world.people.childB1] ?? "";
    await rename(world.people.childB1, "Refused");
    rig.receiver.refuse(id, 400);
    const run = await sent();
    expect(rig.receiver.answered).toEqual([{ laChildId: id, status: 400 }]);
    expect(await sendsOf(run.runId)).toMatchObject([
      { status: "rejected", attempts: 1, http_status: 400 },
    ]);
    expect(run.counts).toMatchObject({ sent: 0, rejected: 1 });
    rig.receiver.refuse(id, undefined);
    const next = await sent();
    expect(acceptedIds()).toEqual([id]);
    expect(next.counts).toMatchObject({ sent: 1, rejected: 0 });
  });

  it("gives up after a small number of attempts and sends the child again next run", async () => {
    const id = childId[world.people.childB1] ?? "";
    await rename(world.people.childB1, "Busy");
    rig.receiver.failFirst(
      id,
      Array.from({ length: MAX_ATTEMPTS }, () => 429),
    );
    const run = await sent();
    expect(await sendsOf(run.runId)).toMatchObject([
      { status: "failed", attempts: MAX_ATTEMPTS, http_status: 429 },
    ]);
    expect(rig.waits).toHaveLength(MAX_ATTEMPTS - 1);
    await sent();
    expect(acceptedIds()).toEqual([id]);
  });

  it("fetches a new token when the receiver answers 401, and sends the document again", async () => {
    await rename(world.people.childA1, "Expired");
    rig.receiver.expireTokenOnce();
    const run = await sent();
    expect(rig.receiver.answered.map((a) => a.status)).toEqual([401, 202]);
    expect(await sendsOf(run.runId)).toMatchObject([{ status: "accepted", attempts: 2 }]);
    expect(rig.waits).toEqual([]);
  });

  it("stops the run, sending nothing, when the token endpoint refuses the credentials", async () => {
    await rename(world.people.childA1, "Wrong secret");
    const run = await sent({ settings: { ...rig.settings, clientSecret: "not-the-secret" } });
    expect(run.problem).toMatch(/^Stopped: the token endpoint refused the client credentials/);
    expect(run.problem).not.toContain("not-the-secret");
    expect(rig.receiver.answered).toEqual([]);
    expect(await sendsOf(run.runId)).toEqual([]);
    // Still different, so the next good run sends it.
    await sent();
    expect(acceptedIds()).toEqual([childId[world.people.childA1]]);
  });

  it("records a document its schema refuses as invalid, sends nothing, and sends it once fixed", async () => {
    const ethnicity = (code: string) =>
      database.db
        .updateTable("person")
        .set({ ethnicity: code })
        .where("id", "=", world.people.childA1)
        .execute();
    await ethnicity("not a code");
    const run = await sent();
    expect(run.counts).toMatchObject({ invalid: 1, sent: 0 });
    expect(await sendsOf(run.runId)).toMatchObject([{ status: "invalid", attempts: 0 }]);
    expect(rig.receiver.answered).toEqual([]);
    const dry = await feed({ dryRun: true });
    expect(dry).toMatchObject({
      kind: "dry_run",
      problems: [
        {
          laChildId: childId[world.people.childA1],
          problems: [expect.stringMatching(/ethnicity/)],
        },
      ],
    });
    // Fixed to a code other than the one last accepted, so there is a change to send.
    await ethnicity("WIRI");
    await sent();
    expect(acceptedIds()).toEqual([childId[world.people.childA1]]);
  });
});
