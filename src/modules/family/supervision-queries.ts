/**
 * Reads for a family's group supervision. Every query is scoped to one Workbook, which the
 * caller has already reached through getVisibleFamily (so the actor may see the family).
 */
import { sql } from "kysely";
import { roleLabels, isRole } from "../../access/permissions.ts";
import { practiceRoleLabels, practiceRoleOf } from "../../domain/family-safeguarding.ts";
import type { Db } from "../../platform/database.ts";
import { notFound } from "../../platform/errors.ts";
import { isUuid } from "../../platform/routes.ts";

export interface Practitioner {
  id: string;
  name: string;
  role: string;
}

/**
 * The practitioners on the family: whoever holds an open allocation on one of these members,
 * and the managers and business support of the teams those allocations are in. Only the
 * members the actor sees are passed in, so nobody is revealed through a member they may not see.
 */
export async function practitionersOnFamily(
  db: Db,
  laId: string,
  memberIds: readonly string[],
  today: string,
): Promise<Practitioner[]> {
  if (memberIds.length === 0) return [];
  const open = sql<boolean>`a.la_id = ${laId} and a.person_id = any(${memberIds}::uuid[])
    and (a.end_date is null or a.end_date > ${today})`;
  const rows = await db
    .selectFrom("app_user as u")
    .select([
      "u.id",
      "u.display_name",
      "u.role",
      sql<string | null>`(select tm.practice_role from team_member tm
        where tm.user_id = u.id and tm.team_id in (select a.team_id from allocation a where ${open})
        order by tm.practice_role nulls last limit 1)`.as("practice_role"),
    ])
    .where("u.la_id", "=", laId)
    .where("u.active", "=", true)
    .where((eb) =>
      eb.or([
        eb("u.id", "in", sql<string>`(select a.worker_id from allocation a where ${open})`),
        eb.and([
          eb("u.role", "in", ["team_manager", "business_support"]),
          eb(
            "u.id",
            "in",
            sql<string>`(select tm.user_id from team_member tm
              where tm.team_id in (select a.team_id from allocation a where ${open}))`,
          ),
        ]),
      ]),
    )
    .orderBy("u.display_name")
    .execute();
  return rows.map((r) => {
    const accountRole = isRole(r.role) ? r.role : undefined;
    const practiceRole = accountRole ? practiceRoleOf(r.practice_role, accountRole) : null;
    return {
      id: r.id,
      name: r.display_name,
      role: practiceRole
        ? practiceRoleLabels[practiceRole]
        : accountRole
          ? roleLabels[accountRole]
          : "",
    };
  });
}

export interface SessionSummary {
  id: string;
  scheduledFor: string;
  heldOn: string | null;
  decisions: number;
  openActions: number;
  createdAt: Date;
}

/** The Workbook's sessions, earliest first (by the date held, else the date scheduled). */
export async function sessionsOf(db: Db, workbookId: string): Promise<SessionSummary[]> {
  const rows = await db
    .selectFrom("group_supervision as s")
    .select([
      "s.id",
      "s.scheduled_for",
      "s.held_on",
      "s.created_at",
      sql<number>`(select count(*)::int from supervision_decision d
        where d.supervision_id = s.id)`.as("decisions"),
      sql<number>`(select count(*)::int from supervision_action a
        where a.supervision_id = s.id and a.completed_on is null)`.as("open_actions"),
    ])
    .where("s.workbook_id", "=", workbookId)
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      scheduledFor: r.scheduled_for,
      heldOn: r.held_on,
      decisions: r.decisions,
      openActions: r.open_actions,
      createdAt: r.created_at,
    }))
    .sort(
      (a, b) =>
        (a.heldOn ?? a.scheduledFor).localeCompare(b.heldOn ?? b.scheduledFor) ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    );
}

export interface Session {
  id: string;
  scheduledFor: string;
  heldOn: string | null;
  hypothesis: string;
  whatChanged: string;
  riskAnalysis: string;
  recordedByName: string | null;
  version: number;
}

/** One session of this Workbook, or 404. `lock` holds the row until the request commits. */
export async function getSession(
  db: Db,
  workbookId: string,
  sessionId: unknown,
  options: { lock?: boolean } = {},
): Promise<Session> {
  if (!isUuid(sessionId)) throw notFound("Session");
  let query = db
    .selectFrom("group_supervision as s")
    .leftJoin("app_user as u", "u.id", "s.discussion_recorded_by")
    .select([
      "s.id",
      "s.scheduled_for",
      "s.held_on",
      "s.hypothesis",
      "s.what_changed",
      "s.risk_analysis",
      "u.display_name as recorded_by_name",
      "s.version",
    ])
    .where("s.id", "=", sessionId)
    .where("s.workbook_id", "=", workbookId);
  if (options.lock) query = query.forUpdate("s");
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("Session");
  return {
    id: row.id,
    scheduledFor: row.scheduled_for,
    heldOn: row.held_on,
    hypothesis: row.hypothesis,
    whatChanged: row.what_changed,
    riskAnalysis: row.risk_analysis,
    recordedByName: row.recorded_by_name,
    version: row.version,
  };
}

export async function attendeesOf(db: Db, sessionId: string): Promise<Practitioner[]> {
  const rows = await db
    .selectFrom("group_supervision_attendee as a")
    .innerJoin("app_user as u", "u.id", "a.user_id")
    .select(["u.id", "u.display_name", "u.role"])
    .where("a.supervision_id", "=", sessionId)
    .orderBy("u.display_name")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.display_name,
    role: isRole(r.role) ? roleLabels[r.role] : "",
  }));
}

export async function decisionsOf(db: Db, sessionId: string) {
  return db
    .selectFrom("supervision_decision as d")
    .innerJoin("app_user as u", "u.id", "d.decided_by")
    .select(["d.id", "d.decision", "d.recorded_at", "u.display_name as decided_by_name"])
    .where("d.supervision_id", "=", sessionId)
    .orderBy("d.recorded_at")
    .execute();
}

export interface SupervisionAction {
  id: string;
  sessionId: string;
  action: string;
  ownerId: string;
  ownerName: string;
  dueOn: string;
  completedOn: string | null;
  completedByName: string | null;
  version: number;
}

/** Actions of the Workbook's sessions: of one session, or every open one. */
export async function actionsOf(
  db: Db,
  workbookId: string,
  which: { sessionId: string } | { open: true },
): Promise<SupervisionAction[]> {
  let query = db
    .selectFrom("supervision_action as a")
    .innerJoin("group_supervision as s", "s.id", "a.supervision_id")
    .innerJoin("app_user as owner", "owner.id", "a.owner_user_id")
    .leftJoin("app_user as done", "done.id", "a.completed_by")
    .select([
      "a.id",
      "a.supervision_id",
      "a.action",
      "a.owner_user_id",
      "owner.display_name as owner_name",
      "a.due_on",
      "a.completed_on",
      "done.display_name as completed_by_name",
      "a.version",
    ])
    .where("s.workbook_id", "=", workbookId);
  query =
    "sessionId" in which
      ? query.where("a.supervision_id", "=", which.sessionId)
      : query.where("a.completed_on", "is", null);
  const rows = await query.orderBy("a.due_on").orderBy("a.recorded_at").execute();
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.supervision_id,
    action: r.action,
    ownerId: r.owner_user_id,
    ownerName: r.owner_name,
    dueOn: r.due_on,
    completedOn: r.completed_on,
    completedByName: r.completed_by_name,
    version: r.version,
  }));
}

/** One action of this Workbook's sessions, locked until the request commits, or 404. */
export async function getActionForUpdate(
  db: Db,
  workbookId: string,
  actionId: unknown,
): Promise<{
  id: string;
  sessionId: string;
  ownerId: string;
  completedOn: string | null;
  version: number;
}> {
  if (!isUuid(actionId)) throw notFound("Action");
  const row = await db
    .selectFrom("supervision_action as a")
    .innerJoin("group_supervision as s", "s.id", "a.supervision_id")
    .select(["a.id", "a.supervision_id", "a.owner_user_id", "a.completed_on", "a.version"])
    .where("a.id", "=", actionId)
    .where("s.workbook_id", "=", workbookId)
    .forUpdate("a")
    .executeTakeFirst();
  if (!row) throw notFound("Action");
  return {
    id: row.id,
    sessionId: row.supervision_id,
    ownerId: row.owner_user_id,
    completedOn: row.completed_on,
    version: row.version,
  };
}
