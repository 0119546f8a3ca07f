import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { signIn, testApp } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import { measureOf, measures } from "../../domain/kpis/measures.ts";
import type { Database, Db } from "../../platform/database.ts";
import { computeMeasure, measureStatement } from "./engine.ts";
import { figureKey, pruneChanges } from "./kept-figures.ts";
import { setUpKpiWorld } from "./test-support.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
beforeAll(async () => {
  ({ database, world } = await setUpKpiWorld());
  ({ app } = await testApp(database));
});

const params = () => ({
  laId: world.laId,
  from: "2025-04-01",
  to: "2026-03-31",
  today: "2026-03-02",
});
const childrenInNeed = (db: Db = database.db) => {
  const measure = measureOf("children_in_need");
  if (!measure) throw new Error("measure");
  return computeMeasure(db, { measure, params: params(), scope: { kind: "council" } });
};
const march = (cells: { month: string; numerator: number }[]) =>
  cells.find((c) => c.month === "2026-03")?.numerator;

/** A new child with an open referral from 1 March 2026, written in its own transaction. */
async function referNewChild(db: Db, n: number): Promise<void> {
  const person = await db
    .insertInto("person")
    .values({ la_id: world.laId, given_name: `Kept${String(n)}`, family_name: "Figure", sex: "2" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("referral")
    .values({
      la_id: world.laId,
      person_id: person.id,
      referral_date: "2026-03-01",
      source: "1A",
      primary_need: "N2",
      opened_by: world.users.swA.id,
    })
    .execute();
}

/** Makes every kept figure say 99, so that a reused one shows itself. */
const tamper = () =>
  sql`update kpi_figure set cells = '{"months":["2026-03"],"groups":["all"],"counts":[0,0,99,0]}'`.execute(
    database.db,
  );

describe("figures kept between reads (decision 0041)", () => {
  it("reuses a kept figure while nothing is written, and counts again after any write", async () => {
    const counted = march(await childrenInNeed());
    expect(counted).toBe(3);
    await tamper();
    expect(march(await childrenInNeed())).toBe(99);
    // A write to a table its statement reads, even one changing no row, makes it out of date.
    await sql`update referral set closed_on = closed_on where false`.execute(database.db);
    expect(march(await childrenInNeed())).toBe(counted);
  });

  it("keeps a figure when only a table it does not read is written", async () => {
    const counted = march(await childrenInNeed());
    await tamper();
    // Visits: read by the visit measures, not by children in need.
    await sql`update visit set seen = seen where false`.execute(database.db);
    expect(march(await childrenInNeed())).toBe(99);
    // A person: read by every measure (merged records are left out).
    await sql`update person set sex = sex where false`.execute(database.db);
    expect(march(await childrenInNeed())).toBe(counted);
  });

  it("shows a dashboard reader the new figure after a write", async () => {
    const analyst = await signIn(app, world.users.analyst.email);
    const figure = async () => {
      const page = await analyst.get("/performance");
      expect(page.statusCode).toBe(200);
      return /data-testid="period-children_in_need">([^<]*)</.exec(page.body)?.[1];
    };
    // Three children in need: too few to show.
    expect(await figure()).toBe("Fewer than 5, or hidden to protect one");
    const kept = await sql<{ n: number }>`select count(*)::int as n from kpi_figure`.execute(
      database.db,
    );
    expect(kept.rows[0]?.n).toBeGreaterThan(0);
    for (let n = 1; n <= 5; n += 1) await referNewChild(database.db, n);
    expect(await figure()).toBe("8");
  });

  it("keeps nothing a transaction counted from its own writes, which may roll back", async () => {
    const before = march(await childrenInNeed());
    await database.db
      .transaction()
      .execute(async (tx) => {
        await referNewChild(tx, 6);
        expect(march(await childrenInNeed(tx))).toBe((before ?? 0) + 1);
        throw new Error("roll back");
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== "roll back") throw error;
      });
    expect(march(await childrenInNeed())).toBe(before);
  });

  it("counts again once a writer that was still running when the figure was asked for commits", async () => {
    const before = march(await childrenInNeed()) ?? 0;
    let wrote!: () => void;
    let commit!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const held = new Promise<void>((resolve) => (commit = resolve));
    const writer = database.db.transaction().execute(async (tx) => {
      await referNewChild(tx, 7);
      wrote();
      await held;
    });
    await written;
    if (database.kind === "server") {
      // Counted and kept on another connection while the writer has not committed.
      expect(march(await childrenInNeed())).toBe(before);
      commit();
      await writer;
    } else {
      // Embedded PostgreSQL has one connection: the read waits for the writer, then counts it.
      const reading = childrenInNeed();
      commit();
      await writer;
      expect(march(await reading)).toBe(before + 1);
    }
    expect(march(await childrenInNeed())).toBe(before + 1);
  });

  it("prunes the change log, recounting the figures it can no longer check", async () => {
    const counted = march(await childrenInNeed());
    await tamper();
    expect(march(await childrenInNeed())).toBe(99);
    await pruneChanges(database.db, 0);
    const log = await sql<{ changes: number; watermark: string; figures: number }>`
      select (select count(*)::int from kpi_change) as changes, w.watermark::text as watermark,
        (select count(*)::int from kpi_figure) as figures
      from kpi_change_watermark w`.execute(database.db);
    expect(log.rows[0]?.changes).toBe(0);
    expect(Number(log.rows[0]?.watermark)).toBeGreaterThan(0);
    // Every figure began below the watermark: none is left to be reused unchecked.
    expect(log.rows[0]?.figures).toBe(0);
    expect(march(await childrenInNeed())).toBe(counted);
    await tamper();
    expect(march(await childrenInNeed())).toBe(99);
  });

  it("notes changes to every table a measure's statement reads", async () => {
    const read = new Set(["child_population"]);
    for (const measure of measures.filter((m) => !m.notRecorded)) {
      // A team scope and every breakdown: the statement with all its joins.
      const { sources } = figureKey(
        measureStatement({
          measure,
          params: params(),
          scope: { kind: "teams", teamIds: [world.teams.fsA] },
          breakdowns: [undefined, ...measure.breakdowns],
        }),
        database.db,
        measure.unit,
      );
      for (const table of sources) read.add(table);
      if (measure.key === "cp_visits_in_time") {
        expect(sources).toEqual(
          expect.arrayContaining(["cp_plan", "visit", "person", "allocation", "referral"]),
        );
      }
    }
    expect(read.size).toBeGreaterThan(10);
    const noted = await sql<{ table: string }>`
      select c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgname = c.relname || '_kpi_change'`.execute(database.db);
    const tables = new Set(noted.rows.map((r) => r.table));
    expect([...read].filter((t) => !tables.has(t))).toEqual([]);
  });
});
