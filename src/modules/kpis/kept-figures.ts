import { createHash } from "node:crypto";
import { sql, type RawBuilder } from "kysely";
import type { Db } from "../../platform/database.ts";

/**
 * Figures the engine computed, kept with the snapshot they were counted in, and reused only
 * while no change to the tables the measures read has committed since (migration 031,
 * decision 0041).
 *
 * Why this is never stale: each writing transaction leaves one kpi_change row (its xid), made
 * by a statement trigger in its own transaction, so the row is visible to exactly the readers
 * that can see its writes. A kept figure is current for a reader when every kpi_change row the
 * reader sees was already visible in the figure's snapshot: then the reader and the snapshot
 * agree on every row the measures read. A writer still running when the figure was counted
 * commits later; its row then appears to readers, is not visible in the figure's snapshot, and
 * the figure is recomputed. A writer that rolls back leaves no row, and wrote nothing either.
 */

/** A figure's identity: a hash of its one statement (SQL and parameters), and what it reads. */
export interface FigureKey {
  key: string;
  /** The tables the statement names after `from` or `join` (plus any the caller adds). */
  sources: string[];
}

export function figureKey(
  statement: RawBuilder<unknown>,
  db: Db,
  extra: string,
  alsoReads: readonly string[] = [],
): FigureKey {
  const compiled = statement.compile(db);
  const sources = new Set(alsoReads);
  for (const [, table] of compiled.sql.matchAll(/\b(?:from|join)\s+([a-z_][a-z0-9_]*)/gi)) {
    if (table && table.toLowerCase() !== "lateral") sources.add(table.toLowerCase());
  }
  return {
    key: createHash("sha256")
      .update(JSON.stringify([compiled.sql, compiled.parameters, extra]))
      .digest("hex"),
    sources: [...sources].sort(),
  };
}

/**
 * The snapshot to keep figures with: taken before they are counted, so it never sees a change
 * the counts missed (it may miss one the counts saw, which only costs a recount).
 */
export async function snapshotNow(db: Db): Promise<string> {
  const result = await sql<{ snapshot: string }>`
    select pg_current_snapshot()::text as snapshot`.execute(db);
  return result.rows[0]?.snapshot ?? "";
}

/** The counts a figure keeps: one line of cells. */
export interface KeptCell {
  month: string;
  group: string;
  numerator: number;
  denominator: number;
}

/**
 * A line of cells as compact JSON: the months and groups once each, then four numbers a cell
 * (a worker breakdown has thousands of cells, and reading the figures back is the whole cost
 * of a dashboard whose figures are current).
 */
export function encodeCells(cells: readonly KeptCell[]): string {
  const months = [...new Set(cells.map((c) => c.month))];
  const groups = [...new Set(cells.map((c) => c.group))];
  const monthAt = new Map(months.map((m, i) => [m, i]));
  const groupAt = new Map(groups.map((g, i) => [g, i]));
  const counts = cells.flatMap((c) => [
    monthAt.get(c.month) ?? 0,
    groupAt.get(c.group) ?? 0,
    c.numerator,
    c.denominator,
  ]);
  return JSON.stringify({ months, groups, counts });
}

export function decodeCells(text: string): KeptCell[] {
  const { months, groups, counts } = JSON.parse(text) as {
    months: string[];
    groups: string[];
    counts: number[];
  };
  const cells: KeptCell[] = [];
  for (let i = 0; i + 3 < counts.length; i += 4) {
    cells.push({
      month: months[counts[i] ?? 0] ?? "",
      group: groups[counts[i + 1] ?? 0] ?? "",
      numerator: counts[i + 2] ?? 0,
      denominator: counts[i + 3] ?? 0,
    });
  }
  return cells;
}

/** The kept figures for these keys that are still current for this transaction. */
export async function keptFigures(
  db: Db,
  keys: readonly string[],
): Promise<Map<string, KeptCell[]>> {
  if (keys.length === 0) return new Map();
  const result = await sql<{ key: string; cells: string }>`
    select distinct on (f.key) f.key, f.cells
    from kpi_figure f, kpi_change_watermark w
    where f.key = any(${sql.val([...keys])}::text[])
      and pg_snapshot_xmin(f.snapshot) >= w.watermark
      and not exists (select 1 from kpi_change c
        where c.xid >= pg_snapshot_xmin(f.snapshot) and c.source = any(f.sources)
          and not pg_visible_in_snapshot(c.xid, f.snapshot))
    order by f.key, f.computed_at desc`.execute(db);
  return new Map(result.rows.map((r) => [r.key, decodeCells(r.cells)]));
}

/**
 * Keeps figures counted in this transaction, replacing older ones for the same keys (those
 * another transaction is replacing at the same moment are left, never waited for). Nothing
 * is kept when this transaction itself changed what the measures read: its figures would
 * count rows that may yet roll back.
 */
export async function keepFigures(
  db: Db,
  snapshot: string,
  figures: readonly { key: FigureKey; laId: string; cells: readonly KeptCell[] }[],
): Promise<void> {
  if (figures.length === 0) return;
  const sorted = [...figures].sort((x, y) =>
    x.key.key < y.key.key ? -1 : x.key.key > y.key.key ? 1 : 0,
  );
  const keys = sorted.map((f) => f.key.key);
  await sql`with old as (
      select f.id from kpi_figure f where f.key = any(${sql.val(keys)}::text[])
      for update skip locked),
    gone as (delete from kpi_figure f using old where f.id = old.id)
    insert into kpi_figure (key, la_id, snapshot, sources, cells)
    select k.key, k.la_id, ${snapshot}::pg_snapshot, string_to_array(k.sources, ','), k.cells
    from unnest(${sql.val(keys)}::text[], ${sql.val(sorted.map((f) => f.laId))}::uuid[],
      ${sql.val(sorted.map((f) => f.key.sources.join(",")))}::text[],
      ${sql.val(sorted.map((f) => encodeCells(f.cells)))}::text[]) k(key, la_id, sources, cells)
    where not exists (select 1 from kpi_change c where c.xid = pg_current_xact_id_if_assigned())`.execute(
    db,
  );
}

/** How many change rows to let gather before pruning them. */
const PRUNE_AFTER = 10_000;

/**
 * Prunes the change log once it has grown: raises the watermark to this snapshot's oldest
 * running transaction and deletes the changes below it (all committed or rolled back before
 * any snapshot taken from now on). Figures from snapshots older than the watermark are no
 * longer checkable, so they are deleted too and recounted when next asked for.
 */
export async function pruneChanges(db: Db, after = PRUNE_AFTER): Promise<void> {
  const size = await sql<{ n: number }>`
    select count(*)::int as n from (select 1 from kpi_change limit ${after + 1}) c`.execute(db);
  if ((size.rows[0]?.n ?? 0) <= after) return;
  await sql`with w as (
      update kpi_change_watermark set watermark = pg_snapshot_xmin(pg_current_snapshot())
      where only_row and watermark < pg_snapshot_xmin(pg_current_snapshot())
      returning watermark),
    changes as (delete from kpi_change c using w where c.xid < w.watermark)
    delete from kpi_figure f using w where pg_snapshot_xmin(f.snapshot) < w.watermark`.execute(db);
}
