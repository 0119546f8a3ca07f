import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor, type Actor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { addStaff } from "../caseloads/test-support.ts";
import { mergePeople, undoMerge, type MergeRequest } from "./service.ts";
import { duplicateOf } from "./test-support.ts";

/**
 * Two managers merging the same pair at once: one succeeds, the other is told (decision 0024).
 * On a PostgreSQL server the two merges run in two real transactions; on embedded PGlite,
 * which has one connection, the second runs with what it read before the first committed.
 */
let database: Database;
let world: World;
let first: Actor;
let second: Actor;
const now = new Date("2026-03-02T10:00:00Z");

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const other = await addStaff(database.db, world, "tm.a2@race.example", "team_manager", [
    world.teams.fsA,
  ]);
  const load = async (id: string) => {
    const actor = await loadActor(database.db, id);
    if (!actor) throw new Error("no actor");
    return actor;
  };
  first = await load(world.users.tmA.id);
  second = await load(other.id);
});

async function pair(): Promise<MergeRequest> {
  const survivorId = await duplicateOf(database, world, "Ruby", "Vance", "2016-04-04");
  const mergedId = await duplicateOf(database, world, "Ruby", "Vanse", "2016-04-04");
  return { survivorId, mergedId, reason: "Same child", survivorVersion: 1, mergedVersion: 1 };
}

const merge = (actor: Actor, request: MergeRequest) =>
  database.db
    .transaction()
    .execute((tx) => mergePeople(tx, actor, request, now))
    .then(
      () => "merged" as const,
      (error: unknown) => error,
    );

const liveMerges = async (request: MergeRequest) =>
  (
    await database.db
      .selectFrom("person_merge")
      .select("id")
      .where("merged_id", "in", [request.mergedId, request.survivorId])
      .where("undone_at", "is", null)
      .execute()
  ).length;

function expectTold(outcome: unknown) {
  expect(outcome).toBeInstanceOf(AppError);
  expect((outcome as AppError).code).toBe("conflict");
  expect((outcome as AppError).message).toContain("already been merged");
}

describe("two managers merging the same pair", () => {
  it("merges once and tells the second, whichever way round the second chose (sequential)", async () => {
    const request = await pair();
    expect(await merge(first, request)).toBe("merged");
    expectTold(await merge(second, request));
    const reversed = {
      ...request,
      survivorId: request.mergedId,
      mergedId: request.survivorId,
      survivorVersion: 1,
      mergedVersion: 1,
    };
    expectTold(await merge(second, reversed));
    expect(await liveMerges(request)).toBe(1);
  });

  // Two transactions need two connections: defined only on a server (PGlite runs the
  // sequential case above), so no run reports a skipped test.
  if (process.env.DATABASE_URL)
    it("merges once and tells the second when both run at the same time (two transactions)", async () => {
      const request = await pair();
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const winnerState = { done: false };
      // The first merge holds its transaction open until the second is waiting on its locks.
      const winner = database.db.transaction().execute(async (tx) => {
        await mergePeople(tx, first, request, now);
        winnerState.done = true;
        await held;
      });
      while (!winnerState.done) await new Promise((resolve) => setTimeout(resolve, 10));
      const loser = merge(second, {
        ...request,
        survivorId: request.mergedId,
        mergedId: request.survivorId,
      });
      // Wait until the second transaction is blocked on the first one's row locks.
      for (;;) {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(database.db);
        if ((waiting.rows[0]?.n ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      release();
      await winner;
      expectTold(await loser);
      expect(await liveMerges(request)).toBe(1);
    });
});

describe("identifiers in a merge", () => {
  it("gives the survivor the merged record's NHS number, resolves a set-aside one, and undo returns both", async () => {
    const request = await pair();
    await database.db
      .updateTable("person")
      .set({ nhs_number: "4010232153" })
      .where("id", "=", request.mergedId)
      .execute();
    // The survivor held the same number once; migration 015 set it aside (decision 0023).
    await database.db
      .updateTable("person")
      .set({
        nhs_number_duplicate: "4010232153",
        nhs_number_exception: "unknown_delay",
        nhs_number_exception_note: "Asked the GP",
      })
      .where("id", "=", request.survivorId)
      .execute();
    const read = () =>
      database.db
        .selectFrom("person")
        .select([
          "id",
          "nhs_number",
          "nhs_number_duplicate",
          "nhs_number_exception",
          "nhs_number_exception_note",
          "merged_into",
        ])
        .where("id", "in", [request.survivorId, request.mergedId])
        .orderBy("id")
        .execute();
    const before = await read();
    const { mergeId } = await database.db
      .transaction()
      .execute((tx) => mergePeople(tx, first, request, now));
    const merged = Object.fromEntries((await read()).map((r) => [r.id, r]));
    expect(merged[request.survivorId]).toMatchObject({
      nhs_number: "4010232153",
      nhs_number_duplicate: null,
      nhs_number_exception: null,
    });
    expect(merged[request.mergedId]).toMatchObject({
      nhs_number: null,
      merged_into: request.survivorId,
    });
    await database.db
      .transaction()
      .execute((tx) => undoMerge(tx, first, request.survivorId, mergeId, now));
    expect(await read()).toEqual(before);
  });
});
