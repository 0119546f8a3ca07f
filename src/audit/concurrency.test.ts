import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase } from "../../test/support/database.ts";
import type { Database } from "../platform/database.ts";
import { writeAudit } from "./audit.ts";
import { auditFolder, checkpoint, nobody, verify } from "./audit-test-support.ts";
import { sealAuditLog } from "./seal.ts";

/**
 * Audited transactions must not queue behind one another (decision 0017): a writer only
 * inserts. On embedded PGlite there is one connection, so there the test is what a writer
 * locks; on the PostgreSQL server, also two transactions at once.
 */
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
});

const entry = { action: "person.view", outcome: "allowed" } as const;

describe("audited transactions", () => {
  it("lock nothing but their own new row: no table another writer must wait for", async () => {
    const locks = await database.db.transaction().execute(async (tx) => {
      await writeAudit(tx, nobody, entry, new Date());
      return sql<{ relname: string; mode: string }>`
        select c.relname, l.mode from pg_locks l join pg_class c on c.oid = l.relation
        where l.pid = pg_backend_pid() and l.locktype = 'relation'
          and c.relnamespace = 'public'::regnamespace`.execute(tx);
    });
    const tables = new Set(locks.rows.map((l) => l.relname));
    // Only audit_log itself (its indexes follow it); RowExclusiveLock conflicts with no other
    // writer's lock.
    expect([...tables].filter((t) => !t.startsWith("audit_log"))).toEqual([]);
    expect(new Set(locks.rows.map((l) => l.mode))).toEqual(new Set(["RowExclusiveLock"]));
  });

  // Embedded PGlite has one connection, so two open transactions exist only on a server; npm
  // test runs this file on both (CI runs the suite on PGlite and on PostgreSQL).
  // The first test above holds on both; this one is defined only where it can run.
  if (process.env.DATABASE_URL)
    it("on the PostgreSQL server: the second commits while the first is still open", async () => {
      await sealAuditLog(database.db, { wait: true });
      let releaseFirst = (): void => undefined;
      const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstWrote = (): void => undefined;
      const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));
      const first = database.db.transaction().execute(async (tx) => {
        await writeAudit(tx, nobody, entry, new Date());
        firstWrote();
        await firstHeld;
      });
      await firstHasWritten;
      const second = database.db
        .transaction()
        .execute((tx) => writeAudit(tx, nobody, entry, new Date()));
      const outcome = await Promise.race([
        second.then(() => "committed"),
        new Promise((resolve) =>
          setTimeout(() => {
            resolve("waited");
          }, 3000),
        ),
      ]);
      // Sealing meanwhile takes nothing: not the open transaction's row, nor yet the second's,
      // whose transaction began after it (its xid is above the horizon).
      const sealedWhileOpen = await sealAuditLog(database.db, { wait: true });
      releaseFirst();
      await Promise.all([first, second]);
      expect(outcome).toBe("committed");
      expect(sealedWhileOpen).toBe(0);
      expect(await sealAuditLog(database.db, { wait: true })).toBe(2);
      const folder = await auditFolder();
      await checkpoint(database, folder);
      expect(await verify(database, folder)).toMatchObject({ ok: true, unsealed: 0 });
    });
});
