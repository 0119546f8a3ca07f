import { sql, type RawBuilder } from "kysely";
import type { Actor } from "./actor.ts";
import { isLaPractitioner, personVisible } from "./visibility.ts";

/**
 * Who sees an incident (decision 0014): an incident is intelligence, like an association.
 *  - its source must allow the actor: the source agency itself, the LA's practitioners (with
 *    whom partners share under the multi-agency agreement), and other partner agencies only
 *    where the source marked it to be shared with partners; nobody else (analyst,
 *    administrator) and never across local authorities;
 *  - and every child it involved must be visible to the actor: an incident naming a child the
 *    actor may not see is left out entirely, never counted or hinted at.
 */
export function incidentSourceAllows(actor: Actor, alias = "incident"): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  let allows: RawBuilder<boolean>;
  if (isLaPractitioner(actor)) allows = sql<boolean>`true`;
  else if (actor.role === "partner_practitioner") {
    allows = sql<boolean>`(${column("source_organisation_id")} = ${actor.organisationId}
      or ${column("share_with_partners")})`;
  } else return sql<boolean>`false`;
  return sql<boolean>`(${column("la_id")} = ${actor.laId} and ${allows})`;
}

/** The incident aliased `alias` is visible to the actor: its source allows, every child seen. */
export function incidentVisible(actor: Actor, now: Date, alias = "incident"): RawBuilder<boolean> {
  const id = sql.ref(`${alias}.id`);
  return sql<boolean>`(${incidentSourceAllows(actor, alias)}
    and not exists (select 1 from incident_subject isj join person ip on ip.id = isj.person_id
      where isj.incident_id = ${id} and not ${personVisible(actor, now, "ip")}))`;
}

/**
 * What the hotspot counts may include: incidents whose source allows the actor, whoever they
 * involved. A count by ward and month (or by place) is about places, not people: it names no
 * child and cannot be traced to one, so a practitioner who may not see a child still sees the
 * place as busy. Police intelligence not shared with partners still stays with those the
 * sharing allows: it is not counted for other partner agencies.
 */
export function incidentCountable(actor: Actor, alias = "incident"): RawBuilder<boolean> {
  return incidentSourceAllows(actor, alias);
}
