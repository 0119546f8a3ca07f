import { sql, type RawBuilder } from "kysely";
import { todayIn } from "../domain/dates.ts";
import type { Actor } from "./actor.ts";
import { hasPermission, type Role } from "./permissions.ts";

/**
 * Which people's records an actor may see, as SQL that every query over `person` composes.
 * The rules, in order:
 *  - only people of the actor's own local authority;
 *  - never a record merged into another (decision 0024): its URL redirects to the survivor;
 *  - a restricted record: only users named on it (restricted_access), whatever else holds;
 *  - LA practitioners (social worker, team manager, business support): people allocated to them
 *    or to a team they belong to, the members of those people's families, and anyone they hold
 *    live emergency (break-glass) access to; managers who decide contacts also see the child of
 *    a partner referral awaiting a decision at the front door (decision 0025); and (decisions
 *    0020, 0021) a child with open work on one of their teams (its unallocated queue included),
 *    a child named on any contact when they are in a front door team, and, for a team manager,
 *    a child whose case closed while allocated in their team (closing ends allocations: the
 *    worker loses sight, the manager and the front door can still find the child);
 *  - adult specialists: the same, but through their own allocations only (the adults they work
 *    with and those adults' families), not their whole team's caseload (decision 0013);
 *  - partner agency practitioners: people whose record is shared with their organisation on a
 *    recorded lawful basis, not revoked and not expired;
 *  - everyone else (performance analyst, system administrator): nobody.
 */
const laPractitionerRoles: readonly Role[] = [
  "social_worker",
  "team_manager",
  "adult_specialist",
  "business_support",
];

export function isLaPractitioner(actor: Actor): boolean {
  return laPractitionerRoles.includes(actor.role);
}

function allocationMatches(actor: Actor, today: string): RawBuilder<unknown> {
  const allocatedTo =
    actor.role === "adult_specialist"
      ? sql`a.worker_id = ${actor.userId}`
      : sql`(a.worker_id = ${actor.userId} or a.team_id = any(${actor.teamIds}::uuid[]))`;
  return sql`a.la_id = ${actor.laId}
    and (a.end_date is null or a.end_date > ${today})
    and ${allocatedTo}`;
}

/** Open work (decision 0020) held by a team the actor belongs to: not for adult specialists. */
function openTeamWork(actor: Actor): RawBuilder<boolean> {
  if (actor.role === "adult_specialist") return sql<boolean>`false`;
  return sql<boolean>`w.la_id = ${actor.laId} and w.team_id = any(${actor.teamIds}::uuid[])
    and w.done_on is null and w.cancelled_reason is null`;
}

/** A team manager keeps sight of a case that closed in their team (decision 0021). */
function closedInManagedTeam(actor: Actor): RawBuilder<boolean> {
  if (actor.role !== "team_manager") return sql<boolean>`false`;
  return sql<boolean>`c.la_id = ${actor.laId} and c.end_kind = 'case_closed'
    and c.team_id = any(${actor.teamIds}::uuid[])`;
}

/** The actor is in a front door team: they find any child the council has had a contact about. */
function inFrontDoor(actor: Actor): RawBuilder<boolean> {
  if (actor.role === "adult_specialist") return sql<boolean>`false`;
  // Known from loading the actor: a constant lets the planner drop the rule (every child named
  // on a contact) from the queries of everyone outside the front door.
  if (actor.inFrontDoorTeam !== undefined) return actor.inFrontDoorTeam ? sql`true` : sql`false`;
  return sql<boolean>`exists (select 1 from team fd where fd.id = any(${actor.teamIds}::uuid[])
    and fd.la_id = ${actor.laId} and fd.kind = 'front_door')`;
}

/**
 * The front door holds a partner's referral (decision 0025): while it awaits a decision, every
 * manager of the LA who decides contacts may see the child the front door linked it to, so the
 * referral can be decided whoever holds the record; the manager who decided it keeps sight for
 * a week after, to see through what the decision set going.
 */
export const FRONT_DOOR_SIGHT_DAYS = 7;

function frontDoorHolds(actor: Actor, today: string): RawBuilder<boolean> {
  return sql<boolean>`fd_pr.la_id = ${actor.laId} and fd_pr.person_id is not null
    and (fd_c.decision is null or (fd_c.decided_by = ${actor.userId}
      and fd_c.decided_on > ${today}::date - ${FRONT_DOOR_SIGHT_DAYS}::int))`;
}

function heldAtFrontDoor(
  actor: Actor,
  id: RawBuilder<unknown>,
  today: string,
): RawBuilder<boolean> {
  if (!hasPermission(actor.role, "journey.decide")) return sql<boolean>`false`;
  return sql<boolean>`exists (select 1 from partner_referral fd_pr join contact fd_c on fd_c.id = fd_pr.contact_id
    where fd_pr.person_id = ${id} and ${frontDoorHolds(actor, today)})`;
}

function heldAtFrontDoorIds(actor: Actor, today: string): RawBuilder<unknown> {
  if (!hasPermission(actor.role, "journey.decide")) return sql`select null::uuid where false`;
  return sql`select fd_pr.person_id from partner_referral fd_pr join contact fd_c on fd_c.id = fd_pr.contact_id
    where ${frontDoorHolds(actor, today)}`;
}

/**
 * The person (by id expression) is allocated to the actor or their teams, or is in a family
 * with someone who is; or is held through their teams' work, a closed case, the front door or
 * a partner referral the front door holds (see the rules above). Written as correlated EXISTS
 * so that looking at one record costs a few index probes, and a search checks only its
 * candidate rows.
 */
function inWorkingSet(actor: Actor, id: RawBuilder<unknown>, today: string): RawBuilder<boolean> {
  return sql<boolean>`(exists (select 1 from allocation a
      where a.person_id = ${id} and ${allocationMatches(actor, today)})
    or exists (select 1 from family_member fm1
      join family_member fm2 on fm2.family_id = fm1.family_id
      join allocation a on a.person_id = fm2.person_id
      where fm1.person_id = ${id} and ${allocationMatches(actor, today)})
    or exists (select 1 from work_item w where w.person_id = ${id} and ${openTeamWork(actor)})
    or exists (select 1 from allocation c where c.person_id = ${id} and ${closedInManagedTeam(actor)})
    or (${inFrontDoor(actor)} and exists (select 1 from contact_child cc
      where cc.person_id = ${id} and cc.la_id = ${actor.laId}))
    or ${heldAtFrontDoor(actor, id, today)})`;
}

function sharedWithOrganisation(
  actor: Actor,
  id: RawBuilder<unknown>,
  today: string,
): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from record_share s
    where s.person_id = ${id} and s.organisation_id = ${actor.organisationId}
      and s.la_id = ${actor.laId} and s.revoked_at is null
      and (s.expires_on is null or s.expires_on >= ${today}))`;
}

function holdsBreakGlass(actor: Actor, id: RawBuilder<unknown>, now: Date): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from break_glass bg
    where bg.person_id = ${id} and bg.user_id = ${actor.userId} and bg.expires_at > ${now})`;
}

/** A boolean SQL condition: the actor may see the person row aliased `alias`. */
export function personVisible(actor: Actor, now: Date, alias = "person"): RawBuilder<boolean> {
  const id = sql.ref(`${alias}.id`);
  const restricted = sql.ref(`${alias}.restricted`);
  const laId = sql.ref(`${alias}.la_id`);
  const mergedInto = sql.ref(`${alias}.merged_into`);
  const today = todayIn(now);
  let working: RawBuilder<boolean>;
  if (isLaPractitioner(actor)) {
    working = sql<boolean>`(${inWorkingSet(actor, id, today)} or ${holdsBreakGlass(actor, id, now)})`;
  } else if (actor.role === "partner_practitioner") {
    working = sharedWithOrganisation(actor, id, today);
  } else {
    return sql<boolean>`false`;
  }
  return sql<boolean>`(${laId} = ${actor.laId} and ${mergedInto} is null and (
    (${restricted} and exists (select 1 from restricted_access ra
      where ra.person_id = ${id} and ra.user_id = ${actor.userId}))
    or (not ${restricted} and ${working})))`;
}

/**
 * The same rules as personVisible, as a set of person ids: for list queries (search) where
 * starting from the people the actor may see is cheaper than checking every candidate.
 */
export function visiblePersonIds(actor: Actor, now: Date): RawBuilder<unknown> {
  const today = todayIn(now);
  let working: RawBuilder<unknown>;
  if (isLaPractitioner(actor)) {
    working = sql`select a.person_id from allocation a where ${allocationMatches(actor, today)}
      union
      select fm2.person_id from allocation a
        join family_member fm1 on fm1.person_id = a.person_id
        join family_member fm2 on fm2.family_id = fm1.family_id
        where ${allocationMatches(actor, today)}
      union
      select w.person_id from work_item w where ${openTeamWork(actor)}
      union
      select c.person_id from allocation c where ${closedInManagedTeam(actor)}
      union
      select cc.person_id from contact_child cc where cc.la_id = ${actor.laId} and ${inFrontDoor(actor)}
      union
      select bg.person_id from break_glass bg where bg.user_id = ${actor.userId} and bg.expires_at > ${now}
      union
      ${heldAtFrontDoorIds(actor, today)}`;
  } else if (actor.role === "partner_practitioner") {
    working = sql`select s.person_id from record_share s
      where s.organisation_id = ${actor.organisationId} and s.la_id = ${actor.laId}
        and s.revoked_at is null and (s.expires_on is null or s.expires_on >= ${today})`;
  } else {
    return sql`select null::uuid where false`;
  }
  return sql`select w.id from person w where w.la_id = ${actor.laId} and not w.restricted
      and w.merged_into is null and w.id in (${working})
    union
    select ra.person_id from restricted_access ra join person r on r.id = ra.person_id
      where ra.user_id = ${actor.userId} and r.la_id = ${actor.laId} and r.merged_into is null`;
}

/**
 * Emergency (break-glass) access may reach any unrestricted person of the actor's LA; it is
 * audited with its reason and flagged for a manager's review. Restricted records stay closed.
 */
export function breakGlassReachable(actor: Actor, alias = "person"): RawBuilder<boolean> {
  if (!isLaPractitioner(actor) || actor.role === "business_support") return sql<boolean>`false`;
  return sql<boolean>`(${sql.ref(`${alias}.la_id`)} = ${actor.laId} and not ${sql.ref(`${alias}.restricted`)}
    and ${sql.ref(`${alias}.merged_into`)} is null)`;
}

/**
 * Who reviews emergency access (decision 0016). `alias` names a break_glass or
 * break_glass_search row. Never the holder; within the actor's LA; and one of:
 *  - a manager of a team the holder belongs to;
 *  - a head of service (they oversee all emergency access in the LA);
 *  - when the holder is a team manager and the LA has no head of service other than them,
 *    any other team manager of the LA, so a manager's own use is always seen by someone.
 * Reviewers hold break_glass.review (the routes ask for it); nobody else reviews.
 */
export function breakGlassReviewer(actor: Actor, alias: string): RawBuilder<boolean> {
  if (!hasPermission(actor.role, "break_glass.review")) return sql<boolean>`false`;
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const holder = column("user_id");
  const notHolder = sql<boolean>`${column("la_id")} = ${actor.laId} and ${holder} <> ${actor.userId}`;
  if (actor.headOfService === true) return sql<boolean>`(${notHolder})`;
  return sql<boolean>`(${notHolder} and (
    ${holder} in (select tm.user_id from team_member tm
      where tm.team_id = any(${actor.teamIds}::uuid[]))
    or (exists (select 1 from app_user h where h.id = ${holder} and h.role = 'team_manager')
      and not exists (select 1 from app_user o where o.la_id = ${actor.laId}
        and o.head_of_service and o.active and o.id <> ${holder}))))`;
}

/** The emergency access (grants or searches) waiting for this actor's review. */
export function breakGlassReviewable(actor: Actor, alias: string): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.reviewed_at`)} is null and ${breakGlassReviewer(actor, alias)})`;
}

/**
 * Confidential addresses (e.g. a refuge) are withheld from partner agencies and from anyone
 * whose sight of the record comes only from emergency access.
 */
export function maySeeConfidentialAddress(actor: Actor, viaBreakGlassOnly: boolean): boolean {
  return isLaPractitioner(actor) && !viaBreakGlassOnly;
}

/** Whether the actor sees this person only through emergency access (shown on the page). */
export function viaBreakGlassOnly(actor: Actor, now: Date, alias = "person"): RawBuilder<boolean> {
  if (!isLaPractitioner(actor)) return sql<boolean>`false`;
  const today = todayIn(now);
  const id = sql.ref(`${alias}.id`);
  return sql<boolean>`(not ${sql.ref(`${alias}.restricted`)} and not ${inWorkingSet(actor, id, today)})`;
}
