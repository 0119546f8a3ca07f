import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/support/database.ts";
import { openEmbedded, openServer } from "./database.ts";

/**
 * Closing a server database ends its connections even when only `exec` used them (Kysely ends
 * the pool only after running a query itself). A connection left open was terminated when the
 * browser tests dropped their database, and the unhandled error failed the run. Defined only
 * on a server: PGlite has no connections.
 */
describe("an embedded database", () => {
  it("may be closed twice, and answers no query once closed", async () => {
    const database = await openEmbedded(undefined);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows).toEqual([{ one: 1 }]);
    await database.close();
    await database.close();
    await expect(sql`select 1`.execute(database.db)).rejects.toThrow();
  });
});

const url = process.env.DATABASE_URL;
if (url) {
  describe("a server database", () => {
    it("ends every connection on close, though only exec was used", async () => {
      const database = await freshDatabase();
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(
        database.db,
      );
      const target = new URL(url);
      target.pathname = `/${rows[0]?.name ?? ""}`;
      const other = openServer(target.href, 1);
      await other.exec("select set_config('application_name', 'trellis-close-test', false)");
      const open = async () => {
        const counted = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where application_name = 'trellis-close-test'`.execute(database.db);
        return counted.rows[0]?.n;
      };
      expect(await open()).toBe(1);
      await other.close();
      await other.close();
      // The server lists a backend until it has exited, a moment after the client closed.
      let left = await open();
      for (let tries = 0; left !== 0 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await open();
      }
      expect(left).toBe(0);
    });
  });
}
