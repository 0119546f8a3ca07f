import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase, superuserOf } from "../../test/support/database.ts";
import type { Database } from "../platform/database.ts";
import type { AuditKeyConfig } from "./checkpoints.ts";
import { canonicalJson, writeAudit } from "./audit.ts";
import {
  append,
  auditFolder,
  checkpoint,
  nobody,
  rewriteAndRehash,
  tamper,
  verify,
} from "./audit-test-support.ts";
import { sealAuditLog, sealWithin } from "./seal.ts";

let database: Database;
let folder: AuditKeyConfig;

beforeEach(async () => {
  database = await freshDatabase();
  folder = await auditFolder();
});

const kinds = (report: { findings: { kind: string }[] }) => report.findings.map((f) => f.kind);

describe("sealing the audit chain", () => {
  it("chains sealed rows in positions from 1 without gaps, and verifies an untouched log", async () => {
    await append(database, 5);
    expect(await sealAuditLog(database.db, { wait: true })).toBe(5);
    await checkpoint(database, folder);
    const report = await verify(database, folder);
    expect(report).toMatchObject({ ok: true, rows: 5, unsealed: 0, checkpoints: 1, uncovered: 0 });
    const chain = await database.db
      .selectFrom("audit_seal")
      .select("position")
      .orderBy("position")
      .execute();
    expect(chain.map((r) => r.position)).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps no row from a rolled-back transaction and leaves no gap in the chain", async () => {
    await append(database, 1);
    await expect(
      database.db.transaction().execute(async (tx) => {
        await writeAudit(tx, nobody, { action: "person.update", outcome: "allowed" }, new Date());
        throw new Error("the work failed");
      }),
    ).rejects.toThrow("the work failed");
    await append(database, 1);
    await checkpoint(database, folder);
    expect(await verify(database, folder)).toMatchObject({ ok: true, rows: 2 });
  });

  it("never seals a row whose transaction has not finished", async () => {
    await database.db.transaction().execute(async (tx) => {
      await writeAudit(tx, nobody, { action: "person.view", outcome: "allowed" }, new Date());
      expect(await sealWithin(tx, true)).toBe(0);
    });
    expect(await sealAuditLog(database.db, { wait: true })).toBe(1);
    expect(await sealAuditLog(database.db, { wait: true })).toBe(0);
  });
});

describe("sealing a transaction larger than one batch", () => {
  it("seals each of its rows once, in order", async () => {
    await sql`
      insert into audit_log (occurred_at, action, outcome, summary)
      select timestamptz '2026-01-01' + g * interval '1 ms', 'person.list', 'allowed',
             jsonb_build_object('i', g)
      from generate_series(1, 12001) g`.execute(database.db);
    expect(await sealAuditLog(database.db, { wait: true })).toBe(12001);
    await checkpoint(database, folder);
    expect(await verify(database, folder)).toMatchObject({ ok: true, rows: 12001, unsealed: 0 });
  });
});

describe("audit verify, against a database superuser", () => {
  it("names a row altered after sealing", async () => {
    await append(database, 5);
    await checkpoint(database, folder);
    await tamper(
      superuserOf(database),
      `update audit_log set action = 'nothing.to.see' where seq = 3`,
    );
    const report = await verify(database, folder);
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual({
      kind: "altered-row",
      message: "row 3 (chain position 3) was altered",
    });
  });

  it("names a row deleted from the middle", async () => {
    await append(database, 5);
    await checkpoint(database, folder);
    await tamper(superuserOf(database), `delete from audit_log where seq = 2`);
    expect((await verify(database, folder)).findings).toContainEqual({
      kind: "deleted-row",
      message: "row 2 (chain position 2) was deleted",
    });
  });

  it("names chain entries deleted with their rows", async () => {
    await append(database, 5);
    await checkpoint(database, folder);
    await tamper(
      superuserOf(database),
      `delete from audit_log where seq = 2; delete from audit_seal where position = 2`,
    );
    expect(kinds(await verify(database, folder))).toContain("deleted-row");
  });

  it("names a rewritten, re-hashed tail, which the chain alone cannot show", async () => {
    await append(database, 6);
    await checkpoint(database, folder);
    await rewriteAndRehash(superuserOf(database), 3, "outcome = 'denied'");
    const report = await verify(database, folder);
    // Every hash matches its row again: only the signed checkpoint tells.
    expect(kinds(report)).toEqual(["rehashed-tail"]);
    expect(report.findings[0]?.message).toContain(
      "entries 1 to 6 disagree with signed checkpoint #1",
    );
  });

  it("bounds a re-hashed tail between the checkpoints either side of it", async () => {
    await append(database, 3);
    await checkpoint(database, folder);
    await append(database, 3, 3);
    await checkpoint(database, folder);
    await rewriteAndRehash(superuserOf(database), 5, "action = 'forged'");
    const report = await verify(database, folder);
    expect(kinds(report)).toEqual(["rehashed-tail"]);
    expect(report.findings[0]?.message).toContain(
      "entries 4 to 6 disagree with signed checkpoint #2",
    );
  });

  it("names rows deleted from the end when the head is moved back with them", async () => {
    await append(database, 5);
    await checkpoint(database, folder);
    await tamper(
      superuserOf(database),
      `delete from audit_log where seq >= 4; delete from audit_seal where position >= 4`,
    );
    const report = await verify(database, folder);
    expect(kinds(report)).toEqual(["truncated-tail"]);
    expect(report.findings[0]?.message).toContain("records 5 entries but the chain has 3");
  });

  it("names a row inserted behind the sealer's back", async () => {
    await append(database, 2);
    await checkpoint(database, folder);
    await append(database, 1, 2);
    await sealAuditLog(database.db, { wait: true });
    await tamper(
      superuserOf(database),
      `insert into audit_log (occurred_at, action, outcome, xid) values (now(), 'planted', 'allowed', '3')`,
    );
    expect(kinds(await verify(database, folder))).toEqual(["unsealed-row"]);
  });
});

describe("the audit tables are append-only in the database", () => {
  it("refuses UPDATE, DELETE and TRUNCATE, even from their owner", async () => {
    await append(database, 1);
    await sealAuditLog(database.db, { wait: true });
    const owner = superuserOf(database).db;
    for (const table of ["audit_log", "audit_seal"]) {
      await expect(sql.raw(`update ${table} set seq = 9`).execute(owner)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql.raw(`delete from ${table}`).execute(owner)).rejects.toThrow(/append-only/);
      await expect(sql.raw(`truncate ${table}`).execute(owner)).rejects.toThrow(/append-only/);
    }
    await checkpoint(database, folder);
    expect(await verify(database, folder)).toMatchObject({ ok: true, rows: 1 });
  });
});

describe("canonical JSON", () => {
  it("sorts keys at every level so jsonb's key order cannot change a hash", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});
