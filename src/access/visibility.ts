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
 *    live emergency (break-glass) access to;
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

/**
 * The person (by id expression) is allocated to the actor or their teams, or is in a family
 * with someone who is. Written as correlated EXISTS so that looking at one record costs a few
 * index probes, and a search checks only its candidate rows.
 */
function inWorkingSet(actor: Actor, id: RawBuilder<unknown>, today: string): RawBuilder<boolean> {
  return sql<boolean>`(exists (select 1 from allocation a
      where a.person_id = ${id} and ${allocationMatches(actor, today)})
    or exists (select 1 from family_member fm1
      join family_member fm2 on fm2.family_id = fm1.family_id
      join allocation a on a.person_id = fm2.person_id
      where fm1.person_id = ${id} and ${allocationMatches(actor, today)}))`;
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
      select bg.person_id from break_glass bg where bg.user_id = ${actor.userId} and bg.expires_at > ${now}`;
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
