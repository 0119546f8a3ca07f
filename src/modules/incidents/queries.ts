/**
 * Reading incidents as the actor may see them (src/access/incidents.ts), and the children a
 * new incident may name. An incident the actor may not see is left out of the query.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { incidentVisible } from "../../access/incidents.ts";
import { personOfConcernVisible } from "../../access/network.ts";
import { viaBreakGlassOnly, visiblePersonIds } from "../../access/visibility.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import type { Choice } from "../network/queries.ts";
import { incidentKindLabel } from "./input.ts";

export interface IncidentView {
  id: string;
  kind: string;
  kindLabel: string;
  occurredOn: string;
  place: { id: string; name: string; ward: string } | null;
  description: string;
  agency: string;
  shareWithPartners: boolean;
  children: Choice[];
  personsOfConcern: Choice[];
}

/** The incidents involving the child that the actor may see, newest first. */
export async function visibleIncidentsOfChild(
  db: Db,
  actor: Actor,
  now: Date,
  childId: string,
): Promise<IncidentView[]> {
  const rows = await db
    .selectFrom("incident as i")
    .innerJoin("organisation as o", "o.id", "i.source_organisation_id")
    .leftJoin("location as l", "l.id", "i.location_id")
    .select([
      "i.id",
      "i.kind",
      "i.occurred_on",
      "i.location_id",
      "l.name as place_name",
      "l.ward as place_ward",
      "i.description",
      "o.name as agency",
      "i.share_with_partners",
    ])
    .where(incidentVisible(actor, now, "i"))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("incident_subject as s")
          .select("s.id")
          .whereRef("s.incident_id", "=", "i.id")
          .where("s.person_id", "=", childId),
      ),
    )
    .orderBy("i.occurred_on", "desc")
    .orderBy("i.recorded_at", "desc")
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // Every child on a visible incident is visible by the rule; persons of concern are shown
  // only where the actor may see them, and otherwise left out.
  const children = await db
    .selectFrom("incident_subject as s")
    .innerJoin("person as p", "p.id", "s.person_id")
    .select(["s.incident_id", "p.id", sql<string>`p.given_name || ' ' || p.family_name`.as("name")])
    .where("s.incident_id", "in", ids)
    .orderBy("p.family_name")
    .orderBy("p.given_name")
    .execute();
  const concerns = await db
    .selectFrom("incident_subject as s")
    .innerJoin("person_of_concern as poc", "poc.id", "s.person_of_concern_id")
    .select(["s.incident_id", "poc.id", "poc.name"])
    .where("s.incident_id", "in", ids)
    .where(personOfConcernVisible(actor, now, "poc"))
    .orderBy("poc.name")
    .execute();
  const of = (list: { incident_id: string; id: string; name: string }[], id: string) =>
    list.filter((s) => s.incident_id === id).map((s) => ({ id: s.id, name: s.name }));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    kindLabel: incidentKindLabel(r.kind),
    occurredOn: r.occurred_on,
    place: r.location_id
      ? { id: r.location_id, name: r.place_name ?? "", ward: r.place_ward ?? "" }
      : null,
    description: r.description,
    agency: r.agency,
    shareWithPartners: r.share_with_partners,
    children: of(children, r.id),
    personsOfConcern: of(concerns, r.id),
  }));
}

const CHOICES_MAX = 500;

/**
 * The children an incident may name: under 18 (or of unknown age), visible to the actor, and
 * not seen only through emergency access (which is for reading, not recording).
 */
export async function incidentChildChoices(db: Db, actor: Actor, now: Date): Promise<Choice[]> {
  const today = todayIn(now);
  return db
    .selectFrom("person as p")
    .select([
      "p.id",
      sql<string>`p.given_name || ' ' || p.family_name || coalesce(' (born ' || to_char(p.date_of_birth, 'FMDD FMMonth YYYY') || ')', '')`.as(
        "name",
      ),
    ])
    .where("p.la_id", "=", actor.laId)
    .where(sql<boolean>`p.id in (${visiblePersonIds(actor, now)})`)
    .where(sql<boolean>`not ${viaBreakGlassOnly(actor, now, "p")}`)
    .where(
      sql<boolean>`(p.date_of_birth is null or p.date_of_birth > ${today}::date - interval '18 years')`,
    )
    .orderBy("p.family_name")
    .orderBy("p.given_name")
    .limit(CHOICES_MAX)
    .execute();
}
