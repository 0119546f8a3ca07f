import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase } from "../../test/support/database.ts";
import type { Database } from "../platform/database.ts";
import { canonicalJson, writeAudit } from "./audit.ts";
import { verifyAuditChain } from "./verify.ts";

const actor = { userId: null, laId: null, organisationId: null };
const personId = "6f1c3a52-8a0e-4d4b-9a51-2b0f3c7d9e10";

let database: Database;

async function append(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await database.db.transaction().execute((tx) =>
      writeAudit(
        tx,
        actor,
        {
          action: "person.view",
          outcome: "allowed",
          personIds: [personId],
          summary: { i, nested: { b: 1, a: [2, 3] } },
        },
        new Date(Date.UTC(2026, 0, 1, 9, 0, i)),
      ),
    );
  }
}

/** What an attacker with database superuser rights could do: bypass the append-only trigger. */
async function tamper(statement: string): Promise<void> {
  await database.exec(
    `alter table audit_log disable trigger audit_log_no_update_delete; ${statement}; alter table audit_log enable trigger audit_log_no_update_delete;`,
  );
}

beforeEach(async () => {
  database = await freshDatabase();
});

describe("the audit chain", () => {
  it("verifies an untouched chain, with sequence numbers from 1 without gaps", async () => {
    await append(5);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, rows: 5 });
    const seqs = await database.db.selectFrom("audit_log").select("seq").orderBy("seq").execute();
    expect(seqs.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps no row from a rolled-back transaction and leaves no gap", async () => {
    await append(1);
    await expect(
      database.db.transaction().execute(async (tx) => {
        await writeAudit(tx, actor, { action: "person.update", outcome: "allowed" }, new Date());
        throw new Error("the work failed");
      }),
    ).rejects.toThrow("the work failed");
    await append(1);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, rows: 2 });
  });

  it("names the first altered row", async () => {
    await append(5);
    await tamper(`update audit_log set action = 'nothing.to.see' where seq = 3`);
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      seq: 3,
      problem: "row 3 was altered",
    });
  });

  it("detects an altered summary even when the attacker recomputes nothing else", async () => {
    await append(3);
    await tamper(`update audit_log set summary = '{"i": 99}' where seq = 2`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, seq: 2 });
  });

  it("names a deleted row in the middle", async () => {
    await append(5);
    await tamper(`delete from audit_log where seq = 2`);
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      seq: 2,
      problem: "row 2 is missing",
    });
  });

  it("detects rows removed from the end", async () => {
    await append(4);
    await tamper(`delete from audit_log where seq >= 3`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, seq: 3 });
  });

  it("detects a row re-hashed by an attacker, because the next row no longer follows it", async () => {
    await append(3);
    const row = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", "=", 2)
      .executeTakeFirstOrThrow();
    const { hashAuditRow } = await import("./audit.ts");
    const forged = hashAuditRow({ ...row, action: "forged" });
    await tamper(`update audit_log set action = 'forged', hash = '${forged}' where seq = 2`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, seq: 3 });
  });
});

describe("the audit log is append-only in the database", () => {
  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    await append(1);
    await expect(sql`update audit_log set action = 'x'`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, rows: 1 });
  });
});

describe("canonical JSON", () => {
  it("sorts keys at every level so jsonb's key order cannot change a hash", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});
