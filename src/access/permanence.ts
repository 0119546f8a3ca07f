/**
 * Who may record a looked-after child's adoption, decisions to place for adoption, previous
 * permanence and OC2 outcomes (decision 0042): whoever may record on the looked-after record,
 * and no one else. That is `journey.record` on a child the actor sees other than by emergency
 * access (recording.ts): never a partner agency, an analyst, an administrator, or a social
 * worker who does not see the child. Reading needs `journey.view` on a child the actor sees.
 */
import type { Db } from "../platform/database.ts";
import type { Actor } from "./actor.ts";
import type { Permission } from "./permissions.ts";
import { recordingVerdict, type RecordingVerdict } from "./recording.ts";

export const permanenceRecordPermission: Permission = "journey.record";
export const permanenceViewPermission: Permission = "journey.view";

/** The decision for one child, as every permanence service asks it before it writes. */
export function permanenceVerdict(
  db: Db,
  actor: Actor,
  personId: string,
  now: Date,
): Promise<RecordingVerdict> {
  return recordingVerdict(db, actor, permanenceRecordPermission, [personId], now);
}
