import { sql, type RawBuilder } from "kysely";
import { can, type Actor } from "./actor.ts";
import { peerGroupVisible } from "./network.ts";
import { isLaPractitioner } from "./visibility.ts";

/**
 * Who sees a context (a peer group, a place or a school referred as a subject; decision 0014).
 * A context is about somewhere or some group, not about one child, so it is not reached through
 * the sight of a child's record:
 *  - the LA's practitioners who may see the exploitation work (exploitation.view: social
 *    workers, managers, business support) see every context of their LA: contextual
 *    safeguarding is the LA's own casework, planned across its teams;
 *  - a partner agency sees a context it is part of: one where it owns an action in the plan,
 *    one about a school that is that agency, or one its practitioner referred;
 *  - a peer-group context names the group, and a group is intelligence: whoever may not see
 *    the group (peerGroupVisible) does not see the context at all, not even that it exists;
 *  - nobody sees another LA's contexts; roles without exploitation.view see none.
 * The children linked to a group or place are never part of the context: the page lists only
 * those the actor may see through associations they may see (src/access/network.ts).
 */
export function contextVisible(actor: Actor, now: Date, alias = "cc"): RawBuilder<boolean> {
  if (!can(actor, "exploitation.view")) return sql<boolean>`false`;
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  let involved: RawBuilder<boolean>;
  if (isLaPractitioner(actor)) {
    involved = sql<boolean>`true`;
  } else if (actor.role === "partner_practitioner") {
    involved = sql<boolean>`(${column("referred_by")} = ${actor.userId}
      or ${column("school_organisation_id")} = ${actor.organisationId}
      or exists (select 1 from context_action ca where ca.context_id = ${column("id")}
        and ca.owner_organisation_id = ${actor.organisationId}))`;
  } else {
    return sql<boolean>`false`;
  }
  return sql<boolean>`(${column("la_id")} = ${actor.laId} and ${involved}
    and (${column("peer_group_id")} is null or exists (select 1 from peer_group cpg
      where cpg.id = ${column("peer_group_id")} and ${peerGroupVisible(actor, now, "cpg")})))`;
}

/** Referring, assessing, planning, reviewing and closing a context: the LA's casework. */
export function mayChangeContext(actor: Actor): boolean {
  return can(actor, "context.record") && isLaPractitioner(actor);
}

/**
 * Progress on an action of the plan: the LA's practitioners who run the context, and a partner
 * agency on its own actions only (it reports its own work; another agency's stays theirs).
 */
export function mayUpdateActionProgress(actor: Actor, ownerOrganisationId: string): boolean {
  if (mayChangeContext(actor)) return true;
  return (
    actor.role === "partner_practitioner" &&
    can(actor, "exploitation.view") &&
    actor.organisationId === ownerOrganisationId
  );
}
