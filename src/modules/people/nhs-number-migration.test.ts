import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, superuserOf } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { migrationsDir } from "../../platform/migrate.ts";

/**
 * Migration 015 on a database that already holds one NHS number on several records (decision
 * 0023): it must not fail and must lose nothing. The oldest record keeps the number; the
 * others keep it aside in nhs_number_duplicate, for the front door to resolve.
 */
let database: Database;
let world: World;

/** The statements of migration 015 that deal with existing duplicates, run as written. */
async function duplicateStatements(): Promise<string[]> {
  const text = await readFile(`${migrationsDir}015_one_record_per_person.sql`, "utf8");
  const statements = text
    .split(/;\s*\n/)
    .map((s) => s.replace(/^(\s*--[^\n]*\n)+/g, "").trim())
    .filter((s) => /^(update person p|create unique index person_nhs_number_unique)/.test(s));
  expect(statements).toHaveLength(2);
  return statements;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
});

describe("migration 015 and existing duplicate NHS numbers", () => {
  it("keeps the number on the oldest record, sets it aside on the others, and then enforces it", async () => {
    const admin = superuserOf(database);
    await sql`drop index person_nhs_number_unique`.execute(admin.db);
    const set = (id: string, created: string) =>
      admin.db
        .updateTable("person")
        .set({ nhs_number: "4010232145", created_at: new Date(created) })
        .where("id", "=", id)
        .execute();
    await set(world.people.childA2, "2024-05-01T09:00:00Z");
    await set(world.people.childA1, "2023-01-01T09:00:00Z");
    await set(world.people.childB1, "2025-01-01T09:00:00Z");
    // Another council's child may hold the same number: uniqueness is within a council.
    await set(world.people.otherLaChild, "2025-06-01T09:00:00Z");
    for (const statement of await duplicateStatements()) {
      await sql.raw(statement).execute(admin.db);
    }
    const rows = await database.db
      .selectFrom("person")
      .select(["id", "nhs_number", "nhs_number_duplicate"])
      .where("id", "in", [
        world.people.childA1,
        world.people.childA2,
        world.people.childB1,
        world.people.otherLaChild,
      ])
      .execute();
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[world.people.childA1]).toMatchObject({
      nhs_number: "4010232145",
      nhs_number_duplicate: null,
    });
    for (const id of [world.people.childA2, world.people.childB1]) {
      expect(byId[id]).toMatchObject({ nhs_number: null, nhs_number_duplicate: "4010232145" });
    }
    expect(byId[world.people.otherLaChild]).toMatchObject({ nhs_number: "4010232145" });
    const again = await admin.db
      .updateTable("person")
      .set({ nhs_number: "4010232145" })
      .where("id", "=", world.people.childA2)
      .execute()
      .catch((error: unknown) => error);
    expect(String(again)).toMatch(/person_nhs_number_unique/);
  });
});
