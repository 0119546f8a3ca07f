import { sql, type RawBuilder } from "kysely";
import { caseholderRoles } from "../domain/social-worker-change.ts";
import { can, type Actor } from "./actor.ts";

/**
 * Who may manage which allocations. A team manager sees the caseloads of, and reallocates
 * children allocated within, the teams they belong to, in their own local authority. A child
 * may be reallocated only to an active social worker or team manager of the LA's children's
 * services who is a member of one of those teams. Each rule is SQL that the caseload queries
 * compose, so the list a manager sees and what they may change cannot drift apart.
 */

/** Whether the actor manages caseloads at all: the permission, and at least one team. */
export function managesCaseloads(actor: Actor): boolean {
  return can(actor, "caseload.manage") && actor.teamIds.length > 0;
}

/** The team row aliased `alias` is one whose caseloads the actor manages. */
export function managedTeam(actor: Actor, alias: string): RawBuilder<boolean> {
  if (!managesCaseloads(actor)) return sql<boolean>`false`;
  return sql<boolean>`(${sql.ref(`${alias}.la_id`)} = ${actor.laId}
    and ${sql.ref(`${alias}.id`)} = any(${actor.teamIds}::uuid[]))`;
}

/**
 * The allocation row aliased `alias` lies within a team the actor manages (open or ended:
 * combine with `allocationOpen` for what may still be reallocated).
 */
export function managedAllocation(actor: Actor, alias: string): RawBuilder<boolean> {
  if (!managesCaseloads(actor)) return sql<boolean>`false`;
  return sql<boolean>`(${sql.ref(`${alias}.la_id`)} = ${actor.laId}
    and ${sql.ref(`${alias}.team_id`)} = any(${actor.teamIds}::uuid[]))`;
}

/**
 * The allocation row aliased `alias` is open on `today`: no end date, or one still to come.
 * The same test as record visibility (src/access/visibility.ts), so an allocation ended today
 * no longer gives its worker sight of the child.
 */
export function allocationOpen(alias: string, today: string): RawBuilder<boolean> {
  const endDate = sql.ref(`${alias}.end_date`);
  return sql<boolean>`(${endDate} is null or ${endDate} > ${today})`;
}

/**
 * The user row aliased `alias` may be allocated a child in the team `teamId`: active, of the
 * given LA's children's services, a social worker or team manager, and a member of the team.
 */
export function allocatableToTeam(
  laId: string,
  alias: string,
  teamId: RawBuilder<unknown> | string,
): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<boolean>`(${column("la_id")} = ${laId} and ${column("active")}
    and ${column("role")} in (${sql.join(caseholderRoles.map((r) => sql.lit(r)))})
    and exists (select 1 from organisation o where o.id = ${column("organisation_id")}
      and o.la_id = ${laId} and o.kind = 'la_childrens_services')
    and exists (select 1 from team_member tm join team t on t.id = tm.team_id
      where tm.user_id = ${column("id")} and tm.team_id = ${teamId} and t.la_id = ${laId}))`;
}

/**
 * The user row aliased `alias` may take over a child the actor reallocates: allocatable to at
 * least one of the teams the actor manages.
 */
export function mayTakeReallocation(actor: Actor, alias: string): RawBuilder<boolean> {
  if (!managesCaseloads(actor)) return sql<boolean>`false`;
  return sql<boolean>`exists (select 1 from team mt where ${managedTeam(actor, "mt")}
    and ${allocatableToTeam(actor.laId, alias, sql.ref("mt.id"))})`;
}

/**
 * The allocation row aliased `alias` may be ended by the actor (decision 0021): a manager
 * ends allocations within the teams they manage; a social worker or manager ends their own.
 * Adult specialists' allocations are ended by their manager.
 */
export function mayEndAllocation(actor: Actor, alias: string): RawBuilder<boolean> {
  const own =
    (caseholderRoles as readonly string[]).includes(actor.role) && can(actor, "journey.record")
      ? sql<boolean>`(${sql.ref(`${alias}.la_id`)} = ${actor.laId}
          and ${sql.ref(`${alias}.worker_id`)} = ${actor.userId})`
      : sql<boolean>`false`;
  return sql<boolean>`(${own} or ${managedAllocation(actor, alias)})`;
}
