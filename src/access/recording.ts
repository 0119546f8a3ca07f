import { sql } from "kysely";
import type { Db } from "../platform/database.ts";
import { can, type Actor } from "./actor.ts";
import type { Permission } from "./permissions.ts";
import { personVisible, viaBreakGlassOnly } from "./visibility.ts";

/**
 * Who may record on a person's record: the one decision every write path asks (decision 0015).
 * Recording means adding to or changing the record, or anything done in its name (sharing it,
 * reallocating the child, putting them on a panel's agenda), and opening the form to do so.
 * The actor may record on a person when all hold:
 *  - they hold the permission the action needs;
 *  - they may see the person (visibility.ts);
 *  - their sight of the person is not through emergency (break-glass) access alone: that is
 *    for reading in an emergency, never for changing what the allocated team has recorded.
 */

/** The permissions that change a record, as opposed to reading one. */
export const recordingPermissions: ReadonlySet<Permission> = new Set<Permission>([
  "person.edit",
  "person.merge",
  "record.share",
  "journey.record",
  "journey.decide",
  "visit.record",
  "case_note.write",
  "caseload.manage",
  "workbook.write",
  "supervision.record",
  "supervision.decide",
  "exploitation.record",
  "intelligence.record",
  "context.record",
  "panel.record",
  "missing.report",
]);

export function isRecordingPermission(permission: Permission): boolean {
  return recordingPermissions.has(permission);
}

/** How the actor sees one person, for the decision: only whether it is by emergency access. */
export interface RecordSight {
  viaBreakGlassOnly: boolean;
}

/**
 * Whether the actor may add to a record they can see, whatever the action: not on emergency
 * access alone. For callers that have already checked the action's permission.
 */
export function mayAddToRecord(viaBreakGlassOnly: boolean): boolean {
  return !viaBreakGlassOnly;
}

/** The decision, for a person the actor is already known to see. */
export function mayRecordOn(actor: Actor, permission: Permission, sight: RecordSight): boolean {
  return can(actor, permission) && mayAddToRecord(sight.viaBreakGlassOnly);
}

/**
 * Whether the actor may record on any of these people (a family's Workbook, a contact about
 * several children): the decision above for at least one person they see.
 */
export function mayRecordOnAny(
  actor: Actor,
  permission: Permission,
  sights: readonly RecordSight[],
): boolean {
  return sights.some((sight) => mayRecordOn(actor, permission, sight));
}

export type RecordingVerdict = "may_record" | "read_only" | "not_visible";

/**
 * The decision for people by id, as a route asks it before it writes: "not_visible" if the
 * actor may see none of them (answered as not found, so their existence is not revealed),
 * "read_only" if any the actor sees is seen through emergency access alone (or the actor lacks
 * the permission), and "may_record" only if the actor may record on every one they see.
 */
export async function recordingVerdict(
  db: Db,
  actor: Actor,
  permission: Permission,
  personIds: readonly string[],
  now: Date,
): Promise<RecordingVerdict> {
  if (personIds.length === 0) return "not_visible";
  const rows = await db
    .selectFrom("person")
    .select(viaBreakGlassOnly(actor, now).as("via_break_glass"))
    .where("person.id", "in", personIds)
    .where(personVisible(actor, now))
    .execute();
  if (rows.length === 0) return "not_visible";
  return rows.every((row) =>
    mayRecordOn(actor, permission, { viaBreakGlassOnly: row.via_break_glass }),
  )
    ? "may_record"
    : "read_only";
}

/** SQL: the actor may record on the person row aliased `alias` (for list and join queries). */
export function personRecordable(
  actor: Actor,
  permission: Permission,
  now: Date,
  alias = "person",
) {
  if (!can(actor, permission)) return sql<boolean>`false`;
  return sql<boolean>`(${personVisible(actor, now, alias)} and not ${viaBreakGlassOnly(actor, now, alias)})`;
}
