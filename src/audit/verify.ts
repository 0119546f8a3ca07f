import type { KeyObject } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../platform/database.ts";
import { hashAuditRow, type ChainedFields } from "./audit.ts";
import { checkpointProblem, type Checkpoint } from "./checkpoints.ts";
import { GENESIS_HASH } from "./seal.ts";

export type FindingKind =
  | "altered-row"
  | "deleted-row"
  | "broken-link"
  | "unsealed-row"
  | "rehashed-tail"
  | "truncated-tail"
  | "missing-checkpoint"
  | "bad-checkpoint";

export interface Finding {
  kind: FindingKind;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Entries in the chain. */
  rows: number;
  /** Rows written but not yet sealed (their transactions may still be running). */
  unsealed: number;
  checkpoints: number;
  /** Entries no checkpoint covers yet (written since the latest one). */
  uncovered: number;
  findings: Finding[];
}

const BATCH = 5000;
const MAX_FINDINGS = 20;

interface Entry extends Omit<ChainedFields, "seq" | "prev_hash"> {
  position: number;
  sealed_seq: number;
  seal_prev: string;
  seal_hash: string;
  row_seq: number | null;
}

/**
 * Checks the audit log three ways (decision 0017):
 *  - each chain entry against its row: a row changed after sealing no longer matches its hash,
 *    a deleted row leaves an entry with no row, a removed entry leaves a gap in positions;
 *  - the chain against the signed checkpoints, which the database cannot forge: a chain
 *    rewritten and re-hashed from some row on disagrees with a checkpoint's head; a chain cut
 *    short is shorter than a checkpoint says; a checkpoint missing from the sequence is named;
 *  - rows the sealer has passed over, which only an insider can insert.
 * `publicKeys` are every key that ever signed a checkpoint (rotation keeps old ones).
 */
export async function verifyAuditLog(
  db: Db,
  checkpoints: readonly Checkpoint[],
  publicKeys: ReadonlyMap<string, KeyObject>,
): Promise<VerifyReport> {
  const findings: Finding[] = [];
  const note = (kind: FindingKind, message: string): void => {
    if (findings.length < MAX_FINDINGS) findings.push({ kind, message });
  };

  const trusted = checkpointsToTrust(checkpoints, publicKeys, note);
  const wanted = new Set(trusted.map((c) => c.size));
  const hashAt = new Map<number, string>();

  let expected = 1;
  let previous = GENESIS_HASH;
  for (;;) {
    const batch = await sql<Entry>`
      select s.position, s.seq as sealed_seq, s.prev_hash as seal_prev, s.hash as seal_hash,
             l.seq as row_seq, l.occurred_at, l.la_id, l.actor_user_id, l.actor_organisation_id,
             l.action, l.outcome, l.person_ids, l.subject_type, l.subject_id, l.summary
      from audit_seal s left join audit_log l on l.seq = s.seq
      where s.position >= ${expected}
      order by s.position
      limit ${BATCH}`.execute(db);
    for (const e of batch.rows) {
      if (e.position !== expected) {
        note(
          "deleted-row",
          `chain positions ${String(expected)} to ${String(e.position - 1)} are missing (entries were deleted)`,
        );
      } else if (e.seal_prev !== previous) {
        note(
          "broken-link",
          `chain position ${String(e.position)} does not follow position ${String(e.position - 1)}`,
        );
      }
      if (e.row_seq === null) {
        note(
          "deleted-row",
          `row ${String(e.sealed_seq)} (chain position ${String(e.position)}) was deleted`,
        );
      } else if (hashAuditRow({ ...e, seq: e.position, prev_hash: e.seal_prev }) !== e.seal_hash) {
        note(
          "altered-row",
          `row ${String(e.sealed_seq)} (chain position ${String(e.position)}) was altered`,
        );
      }
      if (wanted.has(e.position)) hashAt.set(e.position, e.seal_hash);
      previous = e.seal_hash;
      expected = e.position + 1;
    }
    if (batch.rows.length < BATCH) break;
  }
  const size = expected - 1;
  hashAt.set(0, GENESIS_HASH);

  compareWithCheckpoints(trusted, size, hashAt, note);
  if (size > 0 && trusted.length === 0) {
    note(
      "missing-checkpoint",
      `no valid signed checkpoint covers this log's ${String(size)} entries`,
    );
  }

  const below = await db
    .selectFrom("audit_seal")
    .select(sql<string>`sealed_below::text`.as("below"))
    .orderBy("position", "desc")
    .limit(1)
    .executeTakeFirst();
  const passedOver = await sql<{ seq: number }>`
    select l.seq from audit_log l
    where l.xid < ${below?.below ?? "0"}::xid8
      and not exists (select 1 from audit_seal s where s.seq = l.seq)
    order by l.seq limit ${MAX_FINDINGS}`.execute(db);
  for (const r of passedOver.rows) {
    note("unsealed-row", `row ${String(r.seq)} was added behind the sealer's back (never sealed)`);
  }
  const unsealed = await sql<{ n: number }>`
    select count(*)::int as n from audit_log l
    where not exists (select 1 from audit_seal s where s.seq = l.seq)`.execute(db);

  const latest = trusted.reduce((m, c) => Math.max(m, c.size), 0);
  return {
    ok: findings.length === 0,
    rows: size,
    unsealed: unsealed.rows[0]?.n ?? 0,
    checkpoints: checkpoints.length,
    uncovered: Math.max(0, size - latest),
    findings,
  };
}

/** The checkpoints whose signatures hold; names forged ones and gaps in their numbering. */
function checkpointsToTrust(
  checkpoints: readonly Checkpoint[],
  keys: ReadonlyMap<string, KeyObject>,
  note: (kind: FindingKind, message: string) => void,
): Checkpoint[] {
  const trusted: Checkpoint[] = [];
  let index = 0;
  for (const c of checkpoints) {
    const problem = checkpointProblem(c, keys);
    if (problem) {
      note("bad-checkpoint", problem);
      continue;
    }
    if (c.index > index + 1) {
      const gap =
        c.index === index + 2
          ? `#${String(index + 1)} is`
          : `#${String(index + 1)} to #${String(c.index - 1)} are`;
      note("missing-checkpoint", `checkpoint ${gap} missing from the checkpoint file`);
    }
    index = Math.max(index, c.index);
    trusted.push(c);
  }
  return trusted;
}

function compareWithCheckpoints(
  trusted: readonly Checkpoint[],
  size: number,
  hashAt: ReadonlyMap<number, string>,
  note: (kind: FindingKind, message: string) => void,
): void {
  const longest = trusted.reduce<Checkpoint | undefined>(
    (m, c) => (m === undefined || c.size > m.size ? c : m),
    undefined,
  );
  if (longest && longest.size > size) {
    note(
      "truncated-tail",
      `rows were deleted from the end: checkpoint #${String(longest.index)} (${longest.at}) ` +
        `records ${String(longest.size)} entries but the chain has ${String(size)}`,
    );
  }
  // The newest checkpoint that still agrees bounds where a rewrite began.
  let agreed = 0;
  for (const c of [...trusted].sort((a, b) => a.size - b.size)) {
    const hash = hashAt.get(c.size);
    if (hash === undefined) continue; // beyond the chain's end: reported as truncation
    if (hash === c.head) {
      agreed = c.size;
      continue;
    }
    note(
      "rehashed-tail",
      `the chain was rewritten and re-hashed: entries ${String(agreed + 1)} to ${String(c.size)} ` +
        `disagree with signed checkpoint #${String(c.index)} (${c.at})`,
    );
    return;
  }
}
