/**
 * Merging two records of one person into the surviving record, and undoing it (decision 0024).
 * One transaction: both person rows are locked (in id order, so two merges of one pair cannot
 * deadlock), the blockers are checked, every person reference moves (references.ts), and what
 * moved is kept in person_merge so that undo puts back exactly that.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import type { MergeIdentifiers, MergeMoves } from "../../platform/schema-merge.ts";
import { mergeBlockers } from "./blockers.ts";
import { personReferences, type PersonReference } from "./references.ts";

/** How long a merge can be undone. */
export const MERGE_UNDO_DAYS = 30;

const identifierColumns = [
  "nhs_number",
  "upn",
  "nhs_number_exception",
  "nhs_number_exception_note",
  "nhs_number_duplicate",
  "version",
] as const;

async function lockBoth(db: Db, laId: string, ids: readonly string[]) {
  const rows = await db
    .selectFrom("person")
    .select(["id", "la_id", "restricted", "merged_into", ...identifierColumns])
    .where("id", "in", [...ids].sort())
    .where("la_id", "=", laId)
    .orderBy("id")
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

const keyObject = (ref: PersonReference, alias: string) =>
  sql`jsonb_build_object(${sql.join(
    ref.key.map((k) => sql`${k}::text, ${sql.ref(`${alias}.${k}`)}`),
  )})`;

/** Moves one reference from `from` to `to`; returns what moved and what was set aside. */
async function moveReference(db: Db, ref: PersonReference, from: string, to: string) {
  const table = sql.table(ref.table);
  const column = sql.ref(ref.column);
  const dropped: Record<string, unknown>[] = [];
  const setAside = async (where: ReturnType<typeof sql<boolean>>) => {
    const rows = await sql<{ row: Record<string, unknown> }>`delete from ${table} m
      where ${sql.ref(`m.${ref.column}`)} = ${from} and ${where}
      returning to_jsonb(m) as row`.execute(db);
    dropped.push(...rows.rows.map((r) => r.row));
  };
  if (ref.linksTwo) await setAside(sql<boolean>`${sql.ref(`m.${ref.linksTwo.other}`)} = ${to}`);
  if (ref.setAsideIfSurvivorHas) {
    const same = sql.join(
      ref.key.map((k) => sql`${sql.ref(`s.${k}`)} = ${sql.ref(`m.${k}`)}`),
      sql` and `,
    );
    await setAside(sql<boolean>`exists (select 1 from ${table} s
      where ${sql.ref(`s.${ref.column}`)} = ${to} and ${same})`);
  }
  const moved = await sql<{ key: Record<string, unknown> }>`update ${table} m set ${column} = ${to}
    where ${sql.ref(`m.${ref.column}`)} = ${from}
    returning ${keyObject(ref, "m")} as key`.execute(db);
  return { moved: moved.rows.map((r) => r.key), dropped };
}

/** Puts one reference's moved rows back on `to` (the merged-away record), and re-inserts. */
async function restoreReference(
  db: Db,
  ref: PersonReference,
  from: string,
  to: string,
  kept: MergeMoves[string],
) {
  const table = sql.table(ref.table);
  if (kept.moved.length > 0) {
    await sql`update ${table} m set ${sql.ref(ref.column)} = ${to}
      where ${sql.ref(`m.${ref.column}`)} = ${from}
        and ${keyObject(ref, "m")} in (select jsonb_array_elements(${JSON.stringify(kept.moved)}::jsonb))`.execute(
      db,
    );
  }
  for (const row of kept.dropped) {
    await sql`insert into ${table}
      select * from jsonb_populate_record(null::${table}, ${JSON.stringify(row)}::jsonb)
      on conflict do nothing`.execute(db);
  }
}

export interface MergeRequest {
  survivorId: string;
  mergedId: string;
  reason: string;
  /** The versions the confirm page showed: a record changed since is not merged blind. */
  survivorVersion: number;
  mergedVersion: number;
}

function identifiersOf(row: Record<(typeof identifierColumns)[number], unknown>): MergeIdentifiers {
  return {
    nhs_number: row.nhs_number as string | null,
    upn: row.upn as string | null,
    nhs_number_exception: row.nhs_number_exception as string | null,
    nhs_number_exception_note: row.nhs_number_exception_note as string,
    nhs_number_duplicate: row.nhs_number_duplicate as string | null,
    version: row.version as number,
  };
}

/** The identifiers the survivor ends with: its own, or the merged record's where it has none. */
function combined(survivor: MergeIdentifiers, merged: MergeIdentifiers): MergeIdentifiers {
  const nhs = survivor.nhs_number ?? merged.nhs_number;
  const exceptionFrom = survivor.nhs_number_exception ? survivor : merged;
  return {
    nhs_number: nhs,
    upn: survivor.upn ?? merged.upn,
    nhs_number_exception: nhs ? null : exceptionFrom.nhs_number_exception,
    nhs_number_exception_note: nhs ? "" : exceptionFrom.nhs_number_exception_note,
    // A number set aside by migration 015 is resolved when the survivor now holds it.
    nhs_number_duplicate:
      survivor.nhs_number_duplicate === nhs ? null : survivor.nhs_number_duplicate,
    version: survivor.version + 1,
  };
}

/**
 * Merges `mergedId` into `survivorId`. The caller has checked that the actor may record on
 * both. Refusals are AppErrors: "conflict" when the pair changed or was merged meanwhile,
 * "validation" with the blockers to resolve first.
 */
export async function mergePeople(
  db: Db,
  actor: Actor,
  request: MergeRequest,
  now: Date,
): Promise<{ mergeId: string; moved: MergeMoves }> {
  const { survivorId, mergedId } = request;
  if (survivorId === mergedId) throw new AppError("validation", "Choose two different records.");
  const locked = await lockBoth(db, actor.laId, [survivorId, mergedId]);
  const survivor = locked.get(survivorId);
  const merged = locked.get(mergedId);
  if (!survivor || !merged) throw new AppError("not_found", "Person not found");
  if (survivor.merged_into || merged.merged_into) {
    throw new AppError(
      "conflict",
      "One of these records has already been merged, by someone else in the meantime. Nothing more was changed: open the record to see it.",
    );
  }
  if (survivor.version !== request.survivorVersion || merged.version !== request.mergedVersion) {
    throw new AppError(
      "conflict",
      "One of the records changed since you opened this page. Nothing was merged: check both records again.",
    );
  }
  const problems = await mergeBlockers(db, survivor, merged);
  if (problems.length > 0) {
    throw new AppError(
      "validation",
      "These records cannot be merged yet",
      problems.map((message) => ({ field: "blockers", message })),
    );
  }
  const moved: MergeMoves = {};
  for (const ref of personReferences) {
    moved[`${ref.table}.${ref.column}`] = await moveReference(db, ref, mergedId, survivorId);
  }
  const before = { survivor: identifiersOf(survivor), merged: identifiersOf(merged) };
  const after = combined(before.survivor, before.merged);
  // The merged-away record gives up its identifiers first: the NHS number is unique.
  await db
    .updateTable("person")
    .set({
      merged_into: survivorId,
      nhs_number: null,
      upn: null,
      nhs_number_exception: null,
      nhs_number_exception_note: "",
      version: merged.version + 1,
      updated_at: now,
    })
    .where("id", "=", mergedId)
    .execute();
  await db
    .updateTable("person")
    .set({ ...after, updated_at: now })
    .where("id", "=", survivorId)
    .execute();
  const row = await db
    .insertInto("person_merge")
    .values({
      la_id: actor.laId,
      survivor_id: survivorId,
      merged_id: mergedId,
      reason: request.reason,
      merged_by: actor.userId,
      merged_at: now,
      moved: JSON.stringify(moved),
      before: JSON.stringify({ ...before, survivorAfter: after }),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { mergeId: row.id, moved };
}

export interface LiveMerge {
  id: string;
  survivor_id: string;
  merged_id: string;
  merged_at: Date;
}

/** Whether a merge may still be undone on `now`. */
export function undoable(merge: { merged_at: Date; undone_at: Date | null }, now: Date): boolean {
  const limit = new Date(merge.merged_at.getTime() + MERGE_UNDO_DAYS * 24 * 60 * 60 * 1000);
  return merge.undone_at === null && now < limit;
}

/**
 * Undoes a merge: what moved goes back to the merged-away record, rows set aside are put back,
 * the identifiers it took are returned, and the record is live again. Anything recorded on the
 * survivor since the merge stays on the survivor.
 */
export async function undoMerge(
  db: Db,
  actor: Actor,
  survivorId: string,
  mergeId: string,
  now: Date,
): Promise<{ mergedId: string }> {
  const merge = await db
    .selectFrom("person_merge")
    .selectAll()
    .where("id", "=", mergeId)
    .where("survivor_id", "=", survivorId)
    .where("la_id", "=", actor.laId)
    .forUpdate()
    .executeTakeFirst();
  if (!merge) throw new AppError("not_found", "Merge not found");
  if (merge.undone_at !== null) {
    throw new AppError("conflict", "This merge has already been undone. Nothing more was changed.");
  }
  if (!undoable(merge, now)) {
    throw new AppError(
      "validation",
      `A merge can be undone for ${String(MERGE_UNDO_DAYS)} days. This one is older: ask the system administrator.`,
    );
  }
  const locked = await lockBoth(db, actor.laId, [merge.survivor_id, merge.merged_id]);
  const survivor = locked.get(merge.survivor_id);
  const merged = locked.get(merge.merged_id);
  if (!survivor || !merged) throw new AppError("not_found", "Person not found");
  if (survivor.merged_into) {
    throw new AppError(
      "validation",
      "This record has since been merged into another. Undo that merge first.",
    );
  }
  for (const ref of personReferences) {
    const kept = merge.moved[`${ref.table}.${ref.column}`];
    if (kept) await restoreReference(db, ref, merge.survivor_id, merge.merged_id, kept);
  }
  const { survivor: was, merged: mergedWas } = merge.before;
  const after = (merge.before as { survivorAfter?: MergeIdentifiers }).survivorAfter;
  // An identifier the merge gave the survivor goes back, unless it was changed since.
  const current = identifiersOf(survivor);
  const restored = { ...current };
  for (const column of ["nhs_number", "upn", "nhs_number_duplicate"] as const) {
    if (after && current[column] === after[column]) restored[column] = was[column];
  }
  if (
    after &&
    current.nhs_number_exception === after.nhs_number_exception &&
    current.nhs_number_exception_note === after.nhs_number_exception_note
  ) {
    restored.nhs_number_exception = was.nhs_number_exception;
    restored.nhs_number_exception_note = was.nhs_number_exception_note;
  }
  if (restored.nhs_number) {
    restored.nhs_number_exception = null;
    restored.nhs_number_exception_note = "";
  }
  await db
    .updateTable("person")
    .set({ ...restored, version: survivor.version + 1, updated_at: now })
    .where("id", "=", merge.survivor_id)
    .execute();
  await db
    .updateTable("person")
    .set({
      merged_into: null,
      nhs_number: mergedWas.nhs_number,
      upn: mergedWas.upn,
      nhs_number_exception: mergedWas.nhs_number_exception,
      nhs_number_exception_note: mergedWas.nhs_number_exception_note,
      nhs_number_duplicate: mergedWas.nhs_number_duplicate,
      version: merged.version + 1,
      updated_at: now,
    })
    .where("id", "=", merge.merged_id)
    .execute();
  await db
    .updateTable("person_merge")
    .set({ undone_at: now, undone_by: actor.userId })
    .where("id", "=", mergeId)
    .execute();
  return { mergedId: merge.merged_id };
}
