/**
 * Migration 018 swaps the stored T and B reasons for a new episode, which Trellis had the wrong
 * way round, so each episode keeps the meaning the worker chose under the DfE's code.
 */
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openEmbedded } from "../../src/platform/database.ts";
import { migrate, migrationsDir } from "../../src/platform/migrate.ts";
import { buildWorld } from "../support/world.ts";

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

describe("migration 018", () => {
  it("swaps T and B on existing episodes and leaves the other reasons alone", async () => {
    const before = await mkdtemp(path.join(tmpdir(), "trellis-migrations-"));
    folders.push(before);
    for (const file of await readdir(migrationsDir)) {
      if (file < "018") await cp(path.join(migrationsDir, file), path.join(before, file));
    }
    const database = await openEmbedded(undefined);
    try {
      await migrate(database, before);
      // The test world has a performance officer, a role migration 019 adds; its statements can
      // run early and again, as they drop and re-add one constraint.
      await database.exec(
        await readFile(path.join(migrationsDir, "019_performance_officer.sql"), "utf8"),
      );
      const world = await buildWorld(database.db);
      const episode = (reason: string, start: string, end: string | null) => ({
        la_id: world.laId,
        person_id: world.people.childA1,
        start_date: start,
        reason_new_episode: reason,
        legal_status: "C2",
        placement_type: "U4",
        end_date: end,
        reason_ceased: end ? "X1" : null,
        recorded_by: world.users.swA.id,
      });
      const rows = await database.db
        .insertInto("cla_episode")
        .values([
          episode("S", "2025-01-06", "2025-02-03"),
          episode("T", "2025-02-03", "2025-03-03"),
          episode("B", "2025-03-03", "2025-04-07"),
          episode("P", "2025-04-07", null),
        ])
        .returning("id")
        .execute();

      await migrate(database);
      const after = await database.db
        .selectFrom("cla_episode")
        .select(["id", "reason_new_episode"])
        .orderBy("start_date")
        .execute();
      expect(after).toEqual(
        ["S", "B", "T", "P"].map((reason, i) => ({ id: rows[i]?.id, reason_new_episode: reason })),
      );
    } finally {
      await database.close();
    }
  });
});
