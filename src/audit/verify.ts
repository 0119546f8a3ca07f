import type { Db } from "../platform/database.ts";
import { hashAuditRow } from "./audit.ts";

export type VerifyResult =
  { ok: true; rows: number } | { ok: false; rows: number; seq: number; problem: string };

const BATCH = 5000;

/**
 * Walks the audit chain in order and reports the first row that does not fit: a changed row
 * (its hash no longer matches its content), a removed row (a gap in the sequence, or the next
 * row's prev_hash not matching), or a removed tail (the chain head is ahead of the last row).
 */
export async function verifyAuditChain(db: Db): Promise<VerifyResult> {
  let expectedSeq = 1;
  let previousHash = "0".repeat(64);
  let rows = 0;
  for (;;) {
    const batch = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", ">=", expectedSeq)
      .orderBy("seq")
      .limit(BATCH)
      .execute();
    for (const row of batch) {
      if (row.seq !== expectedSeq) {
        return { ok: false, rows, seq: expectedSeq, problem: `row ${expectedSeq} is missing` };
      }
      if (row.prev_hash !== previousHash) {
        return {
          ok: false,
          rows,
          seq: row.seq,
          problem: `row ${row.seq} does not follow row ${row.seq - 1} (a row was changed or removed)`,
        };
      }
      if (hashAuditRow(row) !== row.hash) {
        return { ok: false, rows, seq: row.seq, problem: `row ${row.seq} was altered` };
      }
      previousHash = row.hash;
      expectedSeq += 1;
      rows += 1;
    }
    if (batch.length < BATCH) break;
  }
  const head = await db
    .selectFrom("audit_chain_head")
    .select(["seq", "hash"])
    .executeTakeFirstOrThrow();
  if (head.seq !== rows || head.hash !== previousHash) {
    return {
      ok: false,
      rows,
      seq: rows + 1,
      problem: `the chain head records ${head.seq} rows but ${rows} remain (rows were removed from the end)`,
    };
  }
  return { ok: true, rows };
}
