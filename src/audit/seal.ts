import { sql } from "kysely";
import type { Db } from "../platform/database.ts";
import { hashAuditRow, type ChainedFields } from "./audit.ts";

/**
 * The sealer: appends finished audit rows to the hash chain (audit_seal) in gap-free positions.
 * Writers only insert, so they never wait for one another; ordering happens here, once, after
 * their transactions end. A row is taken only when its transaction is certainly finished: its
 * xid is below the oldest transaction still running in this database (HORIZON). Every
 * transaction that could still commit an audit row has an xid at or above that horizon, so
 * each run takes the window [last horizon, this horizon) and no row is ever passed over. An
 * advisory lock keeps it to one sealer at a time across processes.
 */
export const GENESIS_HASH = "0".repeat(64);
const SEALER_LOCK = 7240317;
const BATCH = 5000;

/**
 * The sealing horizon: the oldest transaction still running in this database (each holds the
 * lock on its own transaction id; a prepared one, with no backend, counts wherever it is), or
 * the next transaction id when none is. Transactions in other databases of the cluster do not
 * hold it back, as pg_snapshot_xmin would. pg_locks gives 32-bit xids; they are widened against
 * the snapshot's xmax, which is newer than all of them. That snapshot is the statement's, taken
 * before pg_locks is read, so a transaction given an xid in between is above the horizon.
 */
const HORIZON = sql`
  with n as (select pg_snapshot_xmax(pg_current_snapshot())::text::bigint as next),
  running as (
    select (n.next % 4294967296 - l.transactionid::text::bigint + 4294967296) % 4294967296 as age
    from pg_locks l, n
    where l.locktype = 'transactionid' and l.mode = 'ExclusiveLock' and l.granted
      and (l.pid is null or l.pid in (
        select a.pid from pg_stat_activity a
        where a.datid = (select oid from pg_database where datname = current_database()))))
  -- An age of 0, or in the upper half of the xid circle, is a transaction given its xid after
  -- the snapshot: newer than next, so it does not lower the horizon.
  select least(n.next, (select min(n.next - age) from running where age between 1 and 2147483647))::text as x
  from n`;

export interface ChainHead {
  size: number;
  head: string;
}

interface Unsealed extends Omit<ChainedFields, "seq" | "prev_hash"> {
  seq: number;
  xid: string;
}

/** The chain's length and its newest hash. */
export async function chainHead(db: Db): Promise<ChainHead> {
  const last = await db
    .selectFrom("audit_seal")
    .select(["position", "hash"])
    .orderBy("position", "desc")
    .limit(1)
    .executeTakeFirst();
  return last ? { size: last.position, head: last.hash } : { size: 0, head: GENESIS_HASH };
}

/**
 * Seals every finished row. `wait`: wait for a sealer in another process to finish rather than
 * return at once (before a checkpoint or a verify). Returns how many rows it sealed (none when
 * another sealer held the lock and `wait` was false).
 */
export async function sealAuditLog(db: Db, options: { wait?: boolean } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await sealBatch(db, options.wait ?? false);
    if (sealed === undefined) return total;
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

function sealBatch(db: Db, wait: boolean): Promise<number | undefined> {
  return db.transaction().execute((tx) => sealWithin(tx, wait));
}

/**
 * One batch of sealing in the caller's transaction (tests use it to show that a transaction's
 * own, unfinished rows are never sealed).
 */
export async function sealWithin(tx: Db, wait: boolean): Promise<number | undefined> {
  if (wait) await sql`select pg_advisory_xact_lock(${SEALER_LOCK})`.execute(tx);
  else {
    const got = await sql<{
      ok: boolean;
    }>`select pg_try_advisory_xact_lock(${SEALER_LOCK}) as ok`.execute(tx);
    if (!got.rows[0]?.ok) return undefined;
  }
  const horizon = (await sql<{ x: string }>`${HORIZON}`.execute(tx)).rows[0]?.x;
  if (horizon === undefined) throw new Error("no snapshot horizon");
  const last = await tx
    .selectFrom("audit_seal as s")
    .leftJoin("audit_log as l", "l.seq", "s.seq")
    .select([
      "s.position",
      "s.hash",
      "s.seq",
      sql<string>`s.sealed_below::text`.as("below"),
      sql<string | null>`l.xid::text`.as("last_xid"),
    ])
    .orderBy("s.position", "desc")
    .limit(1)
    .executeTakeFirst();
  // After a full batch the last run stopped inside a transaction's rows: resume after its last
  // row rather than re-reading the ones already sealed.
  const resume =
    last && last.last_xid === last.below
      ? sql`(l.xid, l.seq) > (${last.below}::xid8, ${last.seq})`
      : sql`l.xid >= ${last?.below ?? "0"}::xid8`;
  const rows = await sql<Unsealed>`
    select l.seq, l.occurred_at, l.la_id, l.actor_user_id, l.actor_organisation_id, l.action,
           l.outcome, l.person_ids, l.subject_type, l.subject_id, l.summary, l.xid::text as xid
    from audit_log l
    where ${resume} and l.xid < ${horizon}::xid8
      and not exists (select 1 from audit_seal s where s.seq = l.seq)
    order by l.xid, l.seq
    limit ${BATCH}`.execute(tx);
  if (rows.rows.length === 0) return 0;
  let position = last?.position ?? 0;
  let previous = last?.hash ?? GENESIS_HASH;
  const entries = { position: [] as number[], seq: [] as number[], prev: [] as string[] };
  const hashes: string[] = [];
  for (const row of rows.rows) {
    position += 1;
    const hash = hashAuditRow({ ...row, seq: position, prev_hash: previous });
    entries.position.push(position);
    entries.seq.push(row.seq);
    entries.prev.push(previous);
    hashes.push(hash);
    previous = hash;
  }
  // A full batch may have left rows of its last transaction behind: the next run starts at
  // that transaction (the anti-join above skips what is already sealed), not at the horizon.
  const below =
    rows.rows.length < BATCH ? horizon : (rows.rows[rows.rows.length - 1]?.xid ?? horizon);
  await sql`
    insert into audit_seal (position, seq, prev_hash, hash, sealed_below)
    select p, s, ph, h, ${below}::xid8
    from unnest(${entries.position}::bigint[], ${entries.seq}::bigint[],
                ${entries.prev}::text[], ${hashes}::text[]) as t(p, s, ph, h)`.execute(tx);
  return rows.rows.length;
}
