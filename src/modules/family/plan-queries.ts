/**
 * Reads of the whole-family plan: the plan row (views and consent), goals with their actions
 * for the people the caller passes (the members the actor may see), and who may own an action.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { allocationOpen } from "../../access/caseloads.ts";
import {
  consentLabels,
  planProgressLabels,
  type Consent,
  type PlanProgress,
} from "../../domain/family-safeguarding.ts";
import type { Db } from "../../platform/database.ts";
import type { VisibleFamily } from "./family.ts";

export interface FamilyPlan {
  id: string;
  childViews: string;
  parentViews: string;
  consent: Consent;
  consentLabel: string;
  consentGivenBy: string | null;
  consentRecordedOn: string | null;
  version: number;
  updatedByName: string;
  updatedAt: Date;
}

export interface PlanAction {
  id: string;
  goalId: string;
  personId: string;
  goal: string;
  action: string;
  ownerUserId: string | null;
  ownerOrganisationId: string | null;
  ownerName: string;
  dueOn: string;
  progress: PlanProgress;
  progressLabel: string;
  progressNote: string;
  version: number;
  /** Due before today and neither done nor stopped. */
  overdue: boolean;
}

export interface PlanGoal {
  id: string;
  personId: string;
  goal: string;
  createdByName: string;
  actions: PlanAction[];
}

export interface OwnerChoices {
  users: { id: string; name: string }[];
  organisations: { id: string; name: string }[];
}

export async function planOf(db: Db, workbookId: string): Promise<FamilyPlan | undefined> {
  const row = await db
    .selectFrom("family_plan as p")
    .innerJoin("app_user as u", "u.id", "p.updated_by")
    .selectAll("p")
    .select("u.display_name")
    .where("p.workbook_id", "=", workbookId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    childViews: row.child_views,
    parentViews: row.parent_views,
    consent: row.consent,
    consentLabel: consentLabels[row.consent],
    consentGivenBy: row.consent_given_by,
    consentRecordedOn: row.consent_recorded_on,
    version: row.version,
    updatedByName: row.display_name,
    updatedAt: new Date(row.updated_at),
  };
}

function actionsQuery(db: Db, workbookId: string) {
  return db
    .selectFrom("family_plan_action as a")
    .innerJoin("family_plan_goal as g", "g.id", "a.goal_id")
    .innerJoin("family_plan as p", "p.id", "g.plan_id")
    .leftJoin("app_user as ou", "ou.id", "a.owner_user_id")
    .leftJoin("organisation as oo", "oo.id", "a.owner_organisation_id")
    .select([
      "a.id",
      "a.goal_id",
      "g.person_id",
      "g.goal",
      "a.action",
      "a.owner_user_id",
      "a.owner_organisation_id",
      sql<string>`coalesce(ou.display_name, oo.name, '')`.as("owner_name"),
      "a.due_on",
      "a.progress",
      "a.progress_note",
      "a.version",
    ])
    .where("p.workbook_id", "=", workbookId);
}

type ActionRow = Awaited<ReturnType<ReturnType<typeof actionsQuery>["execute"]>>[number];

function actionOf(r: ActionRow, today: string): PlanAction {
  return {
    id: r.id,
    goalId: r.goal_id,
    personId: r.person_id,
    goal: r.goal,
    action: r.action,
    ownerUserId: r.owner_user_id,
    ownerOrganisationId: r.owner_organisation_id,
    ownerName: r.owner_name,
    dueOn: r.due_on,
    progress: r.progress,
    progressLabel: planProgressLabels[r.progress],
    progressNote: r.progress_note,
    version: r.version,
    overdue: r.due_on < today && (r.progress === "not_started" || r.progress === "in_progress"),
  };
}

/** The goals (oldest first) about the given people, each with its actions by due date. */
export async function goalsOf(
  db: Db,
  workbookId: string,
  personIds: readonly string[],
  today: string,
): Promise<PlanGoal[]> {
  if (personIds.length === 0) return [];
  const goals = await db
    .selectFrom("family_plan_goal as g")
    .innerJoin("family_plan as p", "p.id", "g.plan_id")
    .innerJoin("app_user as u", "u.id", "g.created_by")
    .select(["g.id", "g.person_id", "g.goal", "u.display_name"])
    .where("p.workbook_id", "=", workbookId)
    .where("g.person_id", "in", personIds)
    .orderBy("g.created_at")
    .orderBy("g.id")
    .execute();
  const actions = await actionsQuery(db, workbookId)
    .where("g.person_id", "in", personIds)
    .orderBy("a.due_on")
    .orderBy("a.id")
    .execute();
  return goals.map((g) => ({
    id: g.id,
    personId: g.person_id,
    goal: g.goal,
    createdByName: g.display_name,
    actions: actions.filter((a) => a.goal_id === g.id).map((a) => actionOf(a, today)),
  }));
}

/** One goal of this Workbook's plan, or undefined. */
export async function planGoal(
  db: Db,
  workbookId: string,
  goalId: string,
): Promise<{ id: string; personId: string; goal: string } | undefined> {
  const row = await db
    .selectFrom("family_plan_goal as g")
    .innerJoin("family_plan as p", "p.id", "g.plan_id")
    .select(["g.id", "g.person_id", "g.goal"])
    .where("p.workbook_id", "=", workbookId)
    .where("g.id", "=", goalId)
    .executeTakeFirst();
  return row && { id: row.id, personId: row.person_id, goal: row.goal };
}

/** One action of this Workbook's plan, or undefined. */
export async function planAction(
  db: Db,
  workbookId: string,
  actionId: string,
  today: string,
): Promise<PlanAction | undefined> {
  const row = await actionsQuery(db, workbookId).where("a.id", "=", actionId).executeTakeFirst();
  return row && actionOf(row, today);
}

/**
 * Who may own an action: the LA's practitioners with an open allocation to a member the actor
 * sees, and every organisation of the LA (police, health, schools and the LA itself).
 */
export async function ownerChoices(
  db: Db,
  actor: Actor,
  family: VisibleFamily,
  today: string,
): Promise<OwnerChoices> {
  const memberIds = family.members.map((m) => m.id);
  const users =
    memberIds.length === 0
      ? []
      : await db
          .selectFrom("allocation as a")
          .innerJoin("app_user as u", "u.id", "a.worker_id")
          .innerJoin("organisation as o", "o.id", "u.organisation_id")
          .select(["u.id", "u.display_name as name"])
          .distinct()
          .where("a.person_id", "in", memberIds)
          .where("a.la_id", "=", actor.laId)
          .where(allocationOpen("a", today))
          .where("u.active", "=", true)
          .where("u.la_id", "=", actor.laId)
          .where("o.kind", "=", "la_childrens_services")
          .orderBy("u.display_name")
          .execute();
  const organisations = await db
    .selectFrom("organisation")
    .select(["id", "name"])
    .where("la_id", "=", actor.laId)
    .orderBy("name")
    .execute();
  return { users, organisations };
}
