import { sql, type RawBuilder } from "kysely";
import type { Actor } from "./actor.ts";
import { isLaPractitioner, personVisible } from "./visibility.ts";

/**
 * What an actor may see of the exploitation network (decision 0014). Intelligence is shared
 * only as far as its source allows, and a practitioner sees the network only around children
 * they may see: a node they may not see is left out entirely, never shown as a count.
 *  - an association is visible when its child is visible, the other child (if any) is visible
 *    too, and its source allows the actor: the source agency itself, the LA's practitioners
 *    (with whom partners share under the multi-agency agreement), and other partner agencies
 *    only where the source marked it to be shared with partners;
 *  - a person of concern or a peer group is visible through a visible association, to the
 *    practitioner who recorded it, and to a partner agency that is its source; within the LA,
 *    being of the same organisation is not enough (the LA is one organisation of many teams);
 *  - a place is visible to everyone of its LA who may see the network, since a park or a
 *    takeaway is not personal data; what it is linked to follows the association rule.
 */
export function associationVisible(
  actor: Actor,
  now: Date,
  alias = "association",
): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const sourceAllows = isLaPractitioner(actor)
    ? sql<boolean>`true`
    : sql<boolean>`(${column("source_organisation_id")} = ${actor.organisationId} or ${column("share_with_partners")})`;
  return sql<boolean>`(${column("la_id")} = ${actor.laId}
    and ${sourceAllows}
    and exists (select 1 from person ac where ac.id = ${column("child_id")} and ${personVisible(actor, now, "ac")})
    and (${column("other_child_id")} is null or exists (select 1 from person ao
      where ao.id = ${column("other_child_id")} and ${personVisible(actor, now, "ao")})))`;
}

/** The person of concern aliased `alias` is visible to the actor. */
export function personOfConcernVisible(
  actor: Actor,
  now: Date,
  alias = "poc",
): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const ownSource =
    actor.role === "partner_practitioner"
      ? sql<boolean>`${column("source_organisation_id")} = ${actor.organisationId}`
      : sql<boolean>`false`;
  return sql<boolean>`(${column("la_id")} = ${actor.laId} and (
    ${column("recorded_by")} = ${actor.userId} or ${ownSource}
    or exists (select 1 from association va where va.person_of_concern_id = ${column("id")}
      and ${associationVisible(actor, now, "va")})))`;
}

/** The peer group aliased `alias` is visible to the actor. */
export function peerGroupVisible(actor: Actor, now: Date, alias = "pg"): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const ownAgency =
    actor.role !== "partner_practitioner"
      ? sql<boolean>`false`
      : sql<boolean>`exists (select 1 from app_user u where u.id = ${column("recorded_by")}
      and u.organisation_id = ${actor.organisationId})`;
  return sql<boolean>`(${column("la_id")} = ${actor.laId} and (
    ${column("recorded_by")} = ${actor.userId} or ${ownAgency}
    or exists (select 1 from association va where va.peer_group_id = ${column("id")}
      and ${associationVisible(actor, now, "va")})))`;
}

/** The place (location row) aliased `alias` is visible: any place of the actor's LA. */
export function placeVisible(actor: Actor, alias = "location"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.la_id`)} = ${actor.laId})`;
}
