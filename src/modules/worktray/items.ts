/**
 * What is due on a set of children, from every part of the journey, as one list sorted by due
 * date: the work tray. Each module answers for its own records (its `due.ts`), for many
 * children in a few queries, so a tray costs the same whether a worker holds 5 cases or 50.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { can } from "../../access/actor.ts";
import { maySeeTeamWork } from "../../access/family.ts";
import { arrangesTeamSupervision } from "../../access/family-supervision.ts";
import { addWorkingDays } from "../../domain/working-days.ts";
import { isOverdue } from "../../domain/timescales.ts";
import { formatDate, todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import { familySupervisionsDue, supervisionActionsOwnedBy } from "../family/supervision-tray.ts";
import { openMeasureAlerts } from "../family/measure-alerts.ts";
import { openNetworkAlerts } from "../network/alerts.ts";
import { contactsAwaitingDecision } from "../journey/queries.ts";
import { claReviewsDue, returnInterviewsDue } from "../looked-after/due.ts";
import { protectionDue } from "../protection/due.ts";
import { visitsDue } from "../visits/due.ts";
import { contextReviewsDue } from "../contexts/due.ts";
import { safetyPlanReviewsDue } from "../exploitation/due.ts";
import { openWork } from "../work/queries.ts";
import { contactsDueFor } from "../care-leavers/queries.ts";

export interface TrayItem {
  personId: string | null;
  /** For work about a whole family: the family's people it was listed for (for the audit). */
  personIds?: string[];
  /** The child's name, or the family's for work about a whole family. */
  childName: string;
  workerName?: string;
  what: string;
  href: string;
  dueOn: string;
  overdue: boolean;
}

export interface TrayChild {
  id: string;
  name: string;
  worker_name: string;
}

/** How far ahead the tray looks: what falls due within this many working days. */
export const LOOK_AHEAD_WORKING_DAYS = 10;

/** Children allocated now to the worker, or to anyone in the given teams. */
export async function trayChildren(
  db: Db,
  actor: Actor,
  today: string,
  scope: "mine" | "team",
): Promise<TrayChild[]> {
  let query = db
    .selectFrom("allocation as a")
    .innerJoin("person as p", "p.id", "a.person_id")
    .innerJoin("app_user as u", "u.id", "a.worker_id")
    .select([
      "p.id",
      sql<string>`p.given_name || ' ' || p.family_name`.as("name"),
      "u.display_name as worker_name",
    ])
    .where("a.la_id", "=", actor.laId)
    .where((eb) => eb.or([eb("a.end_date", "is", null), eb("a.end_date", ">", today)]));
  query =
    scope === "mine"
      ? query.where("a.worker_id", "=", actor.userId)
      : query.where("a.team_id", "=", sql<string>`any(${actor.teamIds}::uuid[])`);
  return query.execute();
}

const assessmentStatus = (submitted: string | null) =>
  submitted ? "Assessment awaiting authorisation" : "Assessment to complete";

export async function trayItems(
  db: Db,
  actor: Actor,
  now: Date,
  today: string,
  children: readonly TrayChild[],
  scope: "mine" | "team" = "mine",
): Promise<TrayItem[]> {
  const byId = new Map(children.map((c) => [c.id, c]));
  const ids = [...byId.keys()];
  const horizon = addWorkingDays(today, LOOK_AHEAD_WORKING_DAYS);
  const items: TrayItem[] = [];
  const add = (personId: string, what: string, href: string, dueOn: string, overdue?: boolean) => {
    const child = byId.get(personId);
    if (!child || dueOn > horizon) return;
    items.push({
      personId,
      childName: child.name,
      workerName: child.worker_name,
      what,
      href,
      dueOn,
      overdue: overdue ?? isOverdue(dueOn, today),
    });
  };
  // The work decisions created (decision 0020): shown at once whatever its due date, and in
  // place of the same step derived from the record (an assessment, an ICPC, a core group).
  const work = await openWork(
    db,
    actor,
    now,
    scope === "mine" ? { worker: actor.userId } : { teams: actor.teamIds },
  );
  const workFor = new Set(work.map((w) => `${w.personId}:${w.kind}`));
  for (const w of work) {
    items.push({
      personId: w.personId,
      childName: w.childName,
      workerName: w.workerName ?? `Unallocated (${w.teamName})`,
      what: w.what,
      href: w.href,
      dueOn: w.dueOn,
      overdue: isOverdue(w.dueOn, today),
    });
  }
  const derived = (personId: string, kind: string) => !workFor.has(`${personId}:${kind}`);
  if (ids.length > 0) {
    const [assessments, visits, protection, reviews, interviews, safetyPlans] = await Promise.all([
      db
        .selectFrom("assessment")
        .select(["id", "person_id", "due_on", "submitted_on"])
        .where("person_id", "in", ids)
        .where("authorised_on", "is", null)
        .execute(),
      visitsDue(db, actor.laId, ids, today),
      protectionDue(db, actor.laId, ids, today),
      claReviewsDue(db, actor.laId, ids, today),
      returnInterviewsDue(db, actor.laId, ids, now),
      can(actor, "exploitation.view")
        ? safetyPlanReviewsDue(db, actor.laId, ids, today)
        : Promise.resolve([]),
    ]);
    for (const a of assessments) {
      if (!a.submitted_on && !derived(a.person_id, "assessment")) continue;
      add(
        a.person_id,
        assessmentStatus(a.submitted_on),
        `/people/${a.person_id}/assessments/${a.id}`,
        a.due_on,
      );
    }
    for (const v of visits) {
      add(
        v.personId,
        `Statutory visit (${planNames[v.planType]})`,
        `/people/${v.personId}/visits`,
        v.dueOn,
        v.overdue,
      );
    }
    for (const p of protection) {
      if (!derived(p.personId, p.kind)) continue;
      add(
        p.personId,
        protectionNames[p.kind],
        `/people/${p.personId}/protection`,
        p.dueOn,
        p.overdue,
      );
    }
    for (const r of reviews) {
      add(r.personId, "Looked after review", `/people/${r.personId}/looked-after`, r.dueOn);
    }
    for (const i of interviews) {
      const dueOn = todayIn(i.dueAt);
      // Judged on when it is held: an interview offered but not held within 72 hours is overdue.
      const what = i.overdue
        ? "Return home interview overdue: not held within 72 hours"
        : i.offered
          ? "Return home interview (offered, not yet held)"
          : "Return home interview";
      add(i.personId, what, `/people/${i.personId}/missing`, dueOn, i.overdue);
    }
    for (const p of safetyPlans) {
      add(
        p.personId,
        "Safety plan review",
        `/people/${p.personId}/safety-plan`,
        p.reviewOn,
        p.overdue,
      );
    }
  }
  if (can(actor, "exploitation.view")) {
    for (const c of await contextReviewsDue(db, actor, now, today, scope)) {
      if (c.dueOn > horizon) continue;
      items.push({
        personId: null,
        childName: c.name,
        workerName: c.workerName,
        what: "Context review",
        href: `/contexts/${c.contextId}`,
        dueOn: c.dueOn,
        overdue: c.overdue,
      });
    }
  }
  if (can(actor, "journey.decide")) {
    for (const contact of await contactsAwaitingDecision(db, actor, now)) {
      if (contact.decision_due_on > horizon) continue;
      items.push({
        personId: null,
        childName: contact.children,
        what: "Decision on a contact",
        href: `/contacts/${contact.id}`,
        dueOn: contact.decision_due_on,
        overdue: isOverdue(contact.decision_due_on, today),
      });
    }
  }
  items.push(...(await supervisionItems(db, actor, now, today, horizon, children, scope)));
  items.push(...(await measureAlertItems(db, actor, today, scope)));
  items.push(...(await networkAlertItems(db, actor, today, scope)));
  if (scope === "mine" && can(actor, "journey.record")) {
    // A personal adviser's care leavers need not be allocated to them (decision 0038).
    for (const c of await contactsDueFor(db, actor, now, today)) {
      items.push({
        personId: c.personId,
        childName: c.name,
        workerName: actor.displayName,
        what: `Keeping-in-touch contact (${String(c.age)}th birthday)`,
        href: `/people/${c.personId}/care-leaver/contacts`,
        dueOn: c.birthday,
        overdue: c.overdue,
      });
    }
  }
  return items.sort(
    (a, b) => a.dueOn.localeCompare(b.dueOn) || a.childName.localeCompare(b.childName),
  );
}

const planNames = { cp: "child protection plan", cla: "looked after", cin: "child in need plan" };
const protectionNames = {
  icpc: "Initial child protection conference",
  cp_review: "Child protection review conference",
  core_group: "First core group meeting",
};

const ACTION_LABEL_MAX = 80;

/**
 * Group supervision: one item per family with a Workbook that has a member in the tray (not
 * one per member), and in "My work" the open supervision actions the actor owns.
 */
async function supervisionItems(
  db: Db,
  actor: Actor,
  now: Date,
  today: string,
  horizon: string,
  children: readonly TrayChild[],
  scope: "mine" | "team",
): Promise<TrayItem[]> {
  if (!maySeeTeamWork(actor)) return [];
  const people =
    scope === "mine" && arrangesTeamSupervision(actor)
      ? await trayChildren(db, actor, today, "team")
      : children;
  const workersOf = new Map<string, Set<string>>();
  for (const p of people)
    workersOf.set(p.id, (workersOf.get(p.id) ?? new Set()).add(p.worker_name));
  const items: TrayItem[] = [];
  for (const family of await familySupervisionsDue(db, actor.laId, [...workersOf.keys()], today)) {
    if (family.dueOn > horizon) continue;
    const workers = new Set(family.memberIds.flatMap((id) => [...(workersOf.get(id) ?? [])]));
    items.push({
      personId: null,
      personIds: family.memberIds,
      childName: family.familyName,
      workerName: [...workers].sort().join(", "),
      what: family.plannedOn
        ? `Group supervision (planned for ${formatDate(family.plannedOn)})`
        : "Group supervision",
      href: `/families/${family.familyId}/workbook/supervision`,
      dueOn: family.dueOn,
      overdue: family.overdue,
    });
  }
  if (scope === "mine") {
    for (const action of await supervisionActionsOwnedBy(db, actor, now, today, horizon)) {
      const text =
        action.action.length > ACTION_LABEL_MAX
          ? `${action.action.slice(0, ACTION_LABEL_MAX - 1).trimEnd()}…`
          : action.action;
      items.push({
        personId: null,
        personIds: action.memberIds,
        childName: action.familyName,
        workerName: actor.displayName,
        what: `Supervision action: ${text}`,
        href: `/families/${action.familyId}/workbook/supervision/${action.sessionId}`,
        dueOn: action.dueOn,
        overdue: action.overdue,
      });
    }
  }
  return items;
}

/**
 * A measure answer that needs an immediate response (e.g. PHQ-9 item 9): shown to the family's
 * allocated workers at once, as overdue, until someone acknowledges it.
 */
async function measureAlertItems(
  db: Db,
  actor: Actor,
  today: string,
  scope: "mine" | "team",
): Promise<TrayItem[]> {
  if (!maySeeTeamWork(actor)) return [];
  const alerts = await openMeasureAlerts(db, actor, scope, today);
  return alerts.map((alert) => ({
    personId: alert.personId,
    childName: alert.personName,
    workerName: alert.workerName,
    what: "Measure alert: respond now",
    href: alert.href,
    dueOn: alert.raisedOn,
    overdue: true,
  }));
}

/**
 * A new association with someone assessed as high risk: shown to the child's allocated workers
 * at once, as overdue, until someone acknowledges it on the child's network page.
 */
async function networkAlertItems(
  db: Db,
  actor: Actor,
  today: string,
  scope: "mine" | "team",
): Promise<TrayItem[]> {
  if (!can(actor, "exploitation.view")) return [];
  const alerts = await openNetworkAlerts(db, actor, scope, today);
  return alerts.map((alert) => ({
    personId: alert.personId,
    childName: alert.personName,
    workerName: alert.workerName,
    what: "Network alert",
    href: alert.href,
    dueOn: alert.raisedOn,
    overdue: true,
  }));
}
