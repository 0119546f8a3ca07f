/**
 * Group supervision for the work tray: when each family's next session falls due, and the open
 * supervision actions a worker owns. A few queries whatever the number of families.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { personVisible } from "../../access/visibility.ts";
import { isOverdue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";
import { nextSupervisionDue, type SupervisionDue } from "./supervision-due.ts";

export interface FamilySupervisionDue extends SupervisionDue {
  familyId: string;
  familyName: string;
  /** The family's members among the people asked about. */
  memberIds: string[];
}

/** Each family with a Workbook that has one of these people as a member, once per family. */
export async function familySupervisionsDue(
  db: Db,
  laId: string,
  personIds: readonly string[],
  today: string,
): Promise<FamilySupervisionDue[]> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return [];
  const workbooks = await db
    .selectFrom("workbook as w")
    .innerJoin("family as f", "f.id", "w.family_id")
    .innerJoin("family_member as fm", "fm.family_id", "w.family_id")
    .select([
      "w.id",
      "w.family_id",
      "f.name",
      "w.opened_on",
      "w.supervision_interval_weeks",
      sql<string[]>`array_agg(distinct fm.person_id)`.as("member_ids"),
    ])
    .where("w.la_id", "=", laId)
    .where(sql<boolean>`fm.person_id = any(${ids}::uuid[])`)
    .groupBy(["w.id", "w.family_id", "f.name", "w.opened_on", "w.supervision_interval_weeks"])
    .execute();
  if (workbooks.length === 0) return [];
  const sessions = await db
    .selectFrom("group_supervision")
    .select(["workbook_id", "scheduled_for", "held_on"])
    .where("la_id", "=", laId)
    .where(
      "workbook_id",
      "in",
      workbooks.map((w) => w.id),
    )
    .execute();
  return workbooks.map((w) => {
    const own = sessions.filter((s) => s.workbook_id === w.id);
    const due = nextSupervisionDue(
      w.opened_on,
      w.supervision_interval_weeks,
      own.flatMap((s) => (s.held_on ? [s.held_on] : [])),
      own.flatMap((s) => (s.held_on ? [] : [s.scheduled_for])),
      today,
    );
    return { ...due, familyId: w.family_id, familyName: w.name, memberIds: w.member_ids };
  });
}

export interface OwnedSupervisionAction {
  id: string;
  action: string;
  sessionId: string;
  familyId: string;
  familyName: string;
  dueOn: string;
  overdue: boolean;
  /** The family's members the owner may see now. */
  memberIds: string[];
}

/**
 * Open supervision actions owned by the actor, due on or before the horizon, on families the
 * actor may still see (an owner who has left the family's work no longer sees them).
 */
export async function supervisionActionsOwnedBy(
  db: Db,
  actor: Actor,
  now: Date,
  today: string,
  horizon: string,
): Promise<OwnedSupervisionAction[]> {
  const rows = await db
    .selectFrom("supervision_action as a")
    .innerJoin("group_supervision as s", "s.id", "a.supervision_id")
    .innerJoin("workbook as w", "w.id", "s.workbook_id")
    .innerJoin("family as f", "f.id", "w.family_id")
    .select([
      "a.id",
      "a.action",
      "a.supervision_id",
      "a.due_on",
      "f.id as family_id",
      "f.name as family_name",
      sql<string[]>`array(select p.id from family_member fm join person p on p.id = fm.person_id
        where fm.family_id = f.id and ${personVisible(actor, now, "p")})`.as("member_ids"),
    ])
    .where("a.la_id", "=", actor.laId)
    .where("a.owner_user_id", "=", actor.userId)
    .where("a.completed_on", "is", null)
    .where("a.due_on", "<=", horizon)
    .execute();
  return rows
    .filter((r) => r.member_ids.length > 0)
    .map((r) => ({
      id: r.id,
      action: r.action,
      sessionId: r.supervision_id,
      familyId: r.family_id,
      familyName: r.family_name,
      dueOn: r.due_on,
      overdue: isOverdue(r.due_on, today),
      memberIds: r.member_ids,
    }));
}
