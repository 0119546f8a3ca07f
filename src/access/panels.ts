import { sql, type RawBuilder } from "kysely";
import type { Actor } from "./actor.ts";
import { peerGroupVisible } from "./network.ts";
import { isLaPractitioner, personVisible } from "./visibility.ts";

/**
 * Who sees what of a multi-agency panel (MACE, MASP; decision 0014). A panel brings agencies
 * together, so the meeting itself (panel, date, chair, attendees) is visible to every holder
 * of panel.view in its LA. What is discussed is not: each agenda item carries its own rule.
 *  - an item about a child (its reason, decisions and actions) is visible only to those who may
 *    see that child (`personVisible`); an item the actor may not see is left out of every query,
 *    never counted ("3 more children" would reveal that they are discussed);
 *  - an item about a context (a peer group, a place or a school) is visible to the LA's
 *    practitioners, and to a partner agency that the context names: as its school, or as the
 *    owner of one of its plan's actions. A peer-group context also needs sight of the group
 *    (`peerGroupVisible`), since a group's name and members are intelligence.
 * Everyone else (analysts, administrators) has no panel.view and sees nothing.
 */

/** The panel meeting (or panel) aliased `alias` is visible: any of the actor's LA. */
export function panelMeetingVisible(actor: Actor, alias = "meeting"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.la_id`)} = ${actor.laId})`;
}

/** The context_case row aliased `alias` may be shown on a panel's agenda to the actor. */
export function panelContextVisible(actor: Actor, now: Date, alias = "cc"): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  let named: RawBuilder<boolean>;
  if (isLaPractitioner(actor)) named = sql<boolean>`true`;
  else if (actor.role === "partner_practitioner") {
    named = sql<boolean>`(${column("school_organisation_id")} = ${actor.organisationId}
      or exists (select 1 from context_action pca where pca.context_id = ${column("id")}
        and pca.owner_organisation_id = ${actor.organisationId}))`;
  } else return sql<boolean>`false`;
  return sql<boolean>`(${column("la_id")} = ${actor.laId} and ${named}
    and (${column("peer_group_id")} is null or exists (select 1 from peer_group ppg
      where ppg.id = ${column("peer_group_id")} and ${peerGroupVisible(actor, now, "ppg")})))`;
}

/** The panel_agenda_item aliased `alias` (with its decisions and actions) is visible. */
export function agendaItemVisible(actor: Actor, now: Date, alias = "item"): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<boolean>`(${column("la_id")} = ${actor.laId} and (
    exists (select 1 from person pap where pap.id = ${column("person_id")}
      and ${personVisible(actor, now, "pap")})
    or exists (select 1 from context_case pac where pac.id = ${column("context_id")}
      and ${panelContextVisible(actor, now, "pac")})))`;
}
