/**
 * Reading open work (decision 0020): for a worker's "My work", a team's tray and unallocated
 * queue, and a child's journey page. Every list composes personVisible, so an item about a
 * child the reader may not see (a restricted record) is never listed.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { managedTeam } from "../../access/caseloads.ts";
import { personVisible } from "../../access/visibility.ts";
import { doneByNote, workLabels, type WorkKind } from "../../domain/work.ts";
import type { Db } from "../../platform/database.ts";

export interface OpenWork {
  id: string;
  personId: string;
  childName: string;
  kind: WorkKind;
  what: string;
  href: string;
  teamId: string;
  teamName: string;
  workerId: string | null;
  workerName: string | null;
  dueOn: string;
  createdOn: string;
}

/** Where the work is done: the form or page that makes the record it asks for. */
export function workHref(kind: WorkKind, personId: string, itemId: string): string {
  const person = `/people/${personId}`;
  if (doneByNote.includes(kind)) return `${person}/work/${itemId}/done`;
  switch (kind) {
    case "strategy_discussion":
      return `${person}/strategy-discussions/new`;
    case "icpc":
    case "core_group":
      return `${person}/protection`;
    case "cin_plan":
      return `${person}/cin-plans/new`;
    case "close_case":
      return `${person}/close`;
    case "looked_after":
      return `${person}/looked-after`;
    default:
      return `${person}/journey`;
  }
}

type Scope =
  | { worker: string }
  | { teams: readonly string[] }
  | { person: string }
  | { unallocatedIn: "managed" };

export async function openWork(db: Db, actor: Actor, now: Date, scope: Scope): Promise<OpenWork[]> {
  let query = db
    .selectFrom("work_item as w")
    .innerJoin("person as p", "p.id", "w.person_id")
    .innerJoin("team as t", "t.id", "w.team_id")
    .leftJoin("app_user as u", "u.id", "w.worker_id")
    .select([
      "w.id",
      "w.person_id",
      "w.kind",
      "w.team_id",
      "t.name as team_name",
      "w.worker_id",
      "u.display_name as worker_name",
      "w.due_on",
      "w.created_on",
      sql<string>`p.given_name || ' ' || p.family_name`.as("child_name"),
    ])
    .where("w.la_id", "=", actor.laId)
    .where("w.done_on", "is", null)
    .where("w.cancelled_reason", "is", null)
    .where(personVisible(actor, now, "p"));
  if ("worker" in scope) query = query.where("w.worker_id", "=", scope.worker);
  else if ("teams" in scope) {
    query = query.where(sql<boolean>`w.team_id = any(${[...scope.teams]}::uuid[])`);
  } else if ("person" in scope) query = query.where("w.person_id", "=", scope.person);
  else query = query.where("w.worker_id", "is", null).where(managedTeam(actor, "t"));
  const rows = await query.orderBy("w.due_on").orderBy("w.created_at").limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    childName: r.child_name,
    kind: r.kind,
    what: workLabels[r.kind],
    href: workHref(r.kind, r.person_id, r.id),
    teamId: r.team_id,
    teamName: r.team_name,
    workerId: r.worker_id,
    workerName: r.worker_name,
    dueOn: r.due_on,
    createdOn: r.created_on,
  }));
}

/** The council's setting: working days from the decision to the strategy discussion. */
export async function strategyDiscussionWorkingDays(db: Db, laId: string): Promise<number> {
  const la = await db
    .selectFrom("local_authority")
    .select("strategy_discussion_working_days")
    .where("id", "=", laId)
    .executeTakeFirstOrThrow();
  return la.strategy_discussion_working_days;
}
