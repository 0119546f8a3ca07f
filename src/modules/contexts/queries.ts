/**
 * Reading contexts (a peer group, a place or a school referred as a subject) as the actor may
 * see them. Every read of a context composes contextVisible (src/access/contexts.ts); a context
 * the actor may not see is simply not found. The children linked to a group or a place come
 * only from the associations the actor may see.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { contextVisible } from "../../access/contexts.ts";
import type { Db } from "../../platform/database.ts";
import { visibleAssociations, type Choice } from "../network/queries.ts";

export const contextKinds = [
  { code: "peer_group", label: "Peer group" },
  { code: "location", label: "Place" },
  { code: "school", label: "School" },
] as const;
export type ContextKind = (typeof contextKinds)[number]["code"];

export const progressCodes = [
  { code: "not_started", label: "Not started" },
  { code: "in_progress", label: "In progress" },
  { code: "done", label: "Done" },
  { code: "stopped", label: "Stopped" },
] as const;

const labelOf = (list: readonly { code: string; label: string }[], code: string): string =>
  list.find((entry) => entry.code === code)?.label ?? code;

export interface ContextView {
  id: string;
  laId: string;
  kind: ContextKind;
  kindLabel: string;
  /** The group, place or school. */
  name: string;
  subjectId: string;
  /** The group's or place's page; a school has none. */
  href: string | null;
  referredOn: string;
  referralReason: string;
  referredBy: string;
  assessment: string;
  assessedOn: string | null;
  assessedBy: string | null;
  closedOn: string | null;
  version: number;
  nextReviewOn: string | null;
}

/** The visible contexts with their subject's name and the next review date. */
function contextsQuery(db: Db, actor: Actor, now: Date) {
  return db
    .selectFrom("context_case as cc")
    .leftJoin("peer_group as g", "g.id", "cc.peer_group_id")
    .leftJoin("location as l", "l.id", "cc.location_id")
    .leftJoin("organisation as s", "s.id", "cc.school_organisation_id")
    .innerJoin("app_user as rb", "rb.id", "cc.referred_by")
    .leftJoin("app_user as ab", "ab.id", "cc.assessed_by")
    .select([
      "cc.id",
      "cc.la_id",
      "cc.kind",
      sql<string>`coalesce(g.name, l.name, s.name)`.as("name"),
      sql<string>`coalesce(cc.peer_group_id, cc.location_id, cc.school_organisation_id)`.as(
        "subject_id",
      ),
      "cc.referred_on",
      "cc.referral_reason",
      "rb.display_name as referred_by_name",
      "cc.assessment",
      "cc.assessed_on",
      "ab.display_name as assessed_by_name",
      "cc.closed_on",
      "cc.version",
      sql<string | null>`(select r.next_review_on from context_review r
        where r.context_id = cc.id order by r.reviewed_on desc, r.recorded_at desc limit 1)`.as(
        "next_review_on",
      ),
    ])
    .where(contextVisible(actor, now, "cc"));
}

type ContextRow = Awaited<ReturnType<ReturnType<typeof contextsQuery>["execute"]>>[number];

function toView(r: ContextRow): ContextView {
  const paths: Record<ContextKind, string | null> = {
    peer_group: "/network/groups/",
    location: "/network/places/",
    school: null,
  };
  const path = paths[r.kind];
  return {
    id: r.id,
    laId: r.la_id,
    kind: r.kind,
    kindLabel: labelOf(contextKinds, r.kind),
    name: r.name,
    subjectId: r.subject_id,
    href: path ? `${path}${r.subject_id}` : null,
    referredOn: r.referred_on,
    referralReason: r.referral_reason,
    referredBy: r.referred_by_name,
    assessment: r.assessment,
    assessedOn: r.assessed_on,
    assessedBy: r.assessed_by_name,
    closedOn: r.closed_on,
    version: r.version,
    nextReviewOn: r.next_review_on,
  };
}

/** The contexts the actor may see: open ones first, soonest review first, then the closed. */
export async function visibleContexts(db: Db, actor: Actor, now: Date): Promise<ContextView[]> {
  const rows = await contextsQuery(db, actor, now)
    .orderBy(sql`cc.closed_on is null`, "desc")
    .orderBy(sql`next_review_on asc nulls last`)
    .orderBy("cc.referred_on", "desc")
    .execute();
  return rows.map(toView);
}

/** The context with this id, if the actor may see it (for the panels and this module). */
export async function findVisibleContext(
  db: Db,
  actor: Actor,
  now: Date,
  id: string,
): Promise<ContextView | undefined> {
  const row = await contextsQuery(db, actor, now).where("cc.id", "=", id).executeTakeFirst();
  return row && toView(row);
}

/** Open contexts the actor may see, for a select (e.g. a panel's agenda). */
export async function contextChoices(
  db: Db,
  actor: Actor,
  now: Date,
): Promise<{ id: string; label: string }[]> {
  const rows = await contextsQuery(db, actor, now)
    .where("cc.closed_on", "is", null)
    .orderBy(sql`coalesce(g.name, l.name, s.name)`)
    .execute();
  return rows.map((r) => ({ id: r.id, label: `${labelOf(contextKinds, r.kind)}: ${r.name}` }));
}

export interface ActionView {
  id: string;
  action: string;
  ownerOrganisationId: string;
  agency: string;
  dueOn: string;
  progress: string;
  progressLabel: string;
  progressNote: string;
  version: number;
  overdue: boolean;
}

/** The plan's actions, by agency then due date; overdue when past due and not done or stopped. */
export async function contextActions(
  db: Db,
  contextId: string,
  today: string,
): Promise<ActionView[]> {
  const rows = await db
    .selectFrom("context_action as a")
    .innerJoin("organisation as o", "o.id", "a.owner_organisation_id")
    .select([
      "a.id",
      "a.action",
      "a.owner_organisation_id",
      "o.name as agency",
      "a.due_on",
      "a.progress",
      "a.progress_note",
      "a.version",
    ])
    .where("a.context_id", "=", contextId)
    .orderBy("o.name")
    .orderBy("a.due_on")
    .orderBy("a.recorded_at")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    ownerOrganisationId: r.owner_organisation_id,
    agency: r.agency,
    dueOn: r.due_on,
    progress: r.progress,
    progressLabel: labelOf(progressCodes, r.progress),
    progressNote: r.progress_note,
    version: r.version,
    overdue: r.due_on < today && r.progress !== "done" && r.progress !== "stopped",
  }));
}

/** The actions grouped by owning agency, in the order given. */
export function actionsByAgency(
  actions: readonly ActionView[],
): { agency: string; actions: ActionView[] }[] {
  const groups: { agency: string; actions: ActionView[] }[] = [];
  for (const action of actions) {
    const last = groups.at(-1);
    if (last?.agency === action.agency) last.actions.push(action);
    else groups.push({ agency: action.agency, actions: [action] });
  }
  return groups;
}

export async function contextReviews(db: Db, contextId: string) {
  return db
    .selectFrom("context_review as r")
    .innerJoin("app_user as u", "u.id", "r.reviewed_by")
    .select([
      "r.id",
      "r.reviewed_on",
      "r.summary",
      "r.next_review_on",
      "u.display_name as reviewed_by_name",
    ])
    .where("r.context_id", "=", contextId)
    .orderBy("r.reviewed_on", "desc")
    .orderBy("r.recorded_at", "desc")
    .execute();
}

/**
 * The children linked to the context's group or place through associations the actor may see;
 * nobody else is named, not even as a count. A school context links to no children here.
 */
export async function linkedChildren(
  db: Db,
  actor: Actor,
  now: Date,
  context: ContextView,
): Promise<{ id: string; name: string }[]> {
  if (context.kind === "school") return [];
  const filter =
    context.kind === "peer_group" ? { group: context.subjectId } : { place: context.subjectId };
  const associations = await visibleAssociations(db, actor, now, filter);
  const children = new Map<string, string>();
  for (const a of associations) children.set(a.child.id, a.child.name);
  return [...children].map(([id, name]) => ({ id, name }));
}

/** Schools a context may be about: the education organisations of the actor's LA. */
export async function schoolChoices(db: Db, actor: Actor): Promise<Choice[]> {
  return db
    .selectFrom("organisation")
    .select(["id", "name"])
    .where("la_id", "=", actor.laId)
    .where("kind", "=", "education")
    .orderBy("name")
    .execute();
}

/** The agencies that may own an action: any organisation of the LA, the LA's own included. */
export async function agencyChoices(db: Db, actor: Actor): Promise<Choice[]> {
  return db
    .selectFrom("organisation")
    .select(["id", "name"])
    .where("la_id", "=", actor.laId)
    .orderBy("name")
    .execute();
}
