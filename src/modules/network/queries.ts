/**
 * Reading intelligence as the actor may see it: associations (each shown with its source and
 * grading, never as fact), persons of concern, places and peer groups, and the choices offered
 * when recording a new association. Every read composes the rules in src/access/network.ts;
 * an association the actor may not see is left out of the query, so it is never counted.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import {
  associationVisible,
  peerGroupVisible,
  personOfConcernVisible,
} from "../../access/network.ts";
import { placeVisible } from "../../access/network.ts";
import { isLaPractitioner, visiblePersonIds } from "../../access/visibility.ts";
import { todayIn } from "../../domain/dates.ts";
import { informationGradings, locationKinds, sourceGradings } from "../../domain/exploitation.ts";
import type { Db } from "../../platform/database.ts";

export type NodeKind = "child" | "person" | "place" | "group";

export interface Counterpart {
  kind: NodeKind;
  kindLabel: string;
  id: string;
  name: string;
  href: string;
}

export interface AssociationView {
  id: string;
  child: { id: string; name: string };
  with: Counterpart;
  firstSeenOn: string;
  lastSeenOn: string | null;
  agency: string;
  sourceGrading: string;
  informationGrading: string;
  corroborated: boolean;
  shareWithPartners: boolean;
  notes: string;
}

export type AssociationFilter =
  { child: string } | { personOfConcern: string } | { place: string } | { group: string };

const kindLabels: Record<NodeKind, string> = {
  child: "Child",
  person: "Person of concern",
  place: "Place",
  group: "Peer group",
};

const labelOf = (list: readonly { code: string; label: string }[], code: string): string =>
  list.find((entry) => entry.code === code)?.label ?? code;

/** The associations matching the filter that the actor may see, most recently seen first. */
export async function visibleAssociations(
  db: Db,
  actor: Actor,
  now: Date,
  filter: AssociationFilter,
): Promise<AssociationView[]> {
  let query = db
    .selectFrom("association as a")
    .innerJoin("organisation as o", "o.id", "a.source_organisation_id")
    .innerJoin("person as c", "c.id", "a.child_id")
    .leftJoin("person as oc", "oc.id", "a.other_child_id")
    .leftJoin("person_of_concern as poc", "poc.id", "a.person_of_concern_id")
    .leftJoin("location as l", "l.id", "a.location_id")
    .leftJoin("peer_group as g", "g.id", "a.peer_group_id")
    .select([
      "a.id",
      "a.child_id",
      sql<string>`c.given_name || ' ' || c.family_name`.as("child_name"),
      "a.other_child_id",
      sql<string | null>`oc.given_name || ' ' || oc.family_name`.as("other_child_name"),
      "a.person_of_concern_id",
      "poc.name as poc_name",
      "a.location_id",
      "l.name as location_name",
      "a.peer_group_id",
      "g.name as group_name",
      "a.first_seen_on",
      "a.last_seen_on",
      "o.name as agency",
      "a.source_grading",
      "a.information_grading",
      "a.corroborated",
      "a.share_with_partners",
      "a.notes",
    ])
    .where(associationVisible(actor, now, "a"));
  if ("child" in filter) {
    const id = filter.child;
    query = query.where((eb) =>
      eb.or([eb("a.child_id", "=", id), eb("a.other_child_id", "=", id)]),
    );
  } else if ("personOfConcern" in filter) {
    query = query.where("a.person_of_concern_id", "=", filter.personOfConcern);
  } else if ("place" in filter) {
    query = query.where("a.location_id", "=", filter.place);
  } else {
    query = query.where("a.peer_group_id", "=", filter.group);
  }
  const rows = await query
    .orderBy(sql`coalesce(a.last_seen_on, a.first_seen_on)`, "desc")
    .orderBy("a.recorded_at", "desc")
    .execute();
  return rows.map((r) => {
    // On a child's own page the "other side" of a child-child association is whichever child
    // the page is not about.
    const reversed = "child" in filter && r.other_child_id === filter.child;
    const child = reversed
      ? { id: r.other_child_id ?? "", name: r.other_child_name ?? "" }
      : { id: r.child_id, name: r.child_name };
    let counterpart: Counterpart;
    if (r.other_child_id) {
      counterpart = reversed
        ? node("child", r.child_id, r.child_name)
        : node("child", r.other_child_id, r.other_child_name ?? "");
    } else if (r.person_of_concern_id) {
      counterpart = node("person", r.person_of_concern_id, r.poc_name ?? "");
    } else if (r.location_id) {
      counterpart = node("place", r.location_id, r.location_name ?? "");
    } else {
      counterpart = node("group", r.peer_group_id ?? "", r.group_name ?? "");
    }
    return {
      id: r.id,
      child,
      with: counterpart,
      firstSeenOn: r.first_seen_on,
      lastSeenOn: r.last_seen_on,
      agency: r.agency,
      sourceGrading: labelOf(sourceGradings, r.source_grading),
      informationGrading: labelOf(informationGradings, r.information_grading),
      corroborated: r.corroborated,
      shareWithPartners: r.share_with_partners,
      notes: r.notes,
    };
  });
}

function node(kind: NodeKind, id: string, name: string): Counterpart {
  const paths: Record<NodeKind, string> = {
    child: "/people/",
    person: "/network/persons/",
    place: "/network/places/",
    group: "/network/groups/",
  };
  return { kind, kindLabel: kindLabels[kind], id, name, href: `${paths[kind]}${id}` };
}

export async function findVisiblePersonOfConcern(db: Db, actor: Actor, now: Date, id: string) {
  return db
    .selectFrom("person_of_concern as poc")
    .innerJoin("organisation as o", "o.id", "poc.source_organisation_id")
    .selectAll("poc")
    .select("o.name as agency")
    .where("poc.id", "=", id)
    .where(personOfConcernVisible(actor, now, "poc"))
    .executeTakeFirst();
}

export async function findVisiblePlace(db: Db, actor: Actor, id: string) {
  const place = await db
    .selectFrom("location as l")
    .selectAll("l")
    .where("l.id", "=", id)
    .where(placeVisible(actor, "l"))
    .executeTakeFirst();
  return place && { ...place, kindLabel: labelOf(locationKinds, place.kind) };
}

export async function findVisibleGroup(db: Db, actor: Actor, now: Date, id: string) {
  return db
    .selectFrom("peer_group as pg")
    .selectAll("pg")
    .where("pg.id", "=", id)
    .where(peerGroupVisible(actor, now, "pg"))
    .executeTakeFirst();
}

export interface Choice {
  id: string;
  name: string;
}

const CHOICES_MAX = 500;

/**
 * Children (under 18, or of unknown age) the actor may see, other than `childId`: the only
 * children an association may name, so a child outside the actor's sight cannot be linked.
 */
export async function childChoices(
  db: Db,
  actor: Actor,
  now: Date,
  childId: string,
): Promise<Choice[]> {
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
    .where("p.id", "<>", childId)
    .where(sql<boolean>`p.id in (${visiblePersonIds(actor, now)})`)
    .where(
      sql<boolean>`(p.date_of_birth is null or p.date_of_birth > ${today}::date - interval '18 years')`,
    )
    .orderBy("p.family_name")
    .orderBy("p.given_name")
    .limit(CHOICES_MAX)
    .execute();
}

export async function personOfConcernChoices(db: Db, actor: Actor, now: Date): Promise<Choice[]> {
  return db
    .selectFrom("person_of_concern as poc")
    .select(["poc.id", "poc.name"])
    .where(personOfConcernVisible(actor, now, "poc"))
    .orderBy("poc.name")
    .limit(CHOICES_MAX)
    .execute();
}

export async function placeChoices(db: Db, actor: Actor): Promise<Choice[]> {
  return db
    .selectFrom("location as l")
    .select(["l.id", "l.name"])
    .where(placeVisible(actor, "l"))
    .orderBy("l.name")
    .limit(CHOICES_MAX)
    .execute();
}

export async function groupChoices(db: Db, actor: Actor, now: Date): Promise<Choice[]> {
  return db
    .selectFrom("peer_group as pg")
    .select(["pg.id", "pg.name"])
    .where(peerGroupVisible(actor, now, "pg"))
    .orderBy("pg.name")
    .limit(CHOICES_MAX)
    .execute();
}

/**
 * The agencies an actor may name as the source: their own; an LA practitioner may also record
 * intelligence passed to them by another agency of the LA.
 */
export async function sourceAgencies(db: Db, actor: Actor): Promise<Choice[]> {
  if (!isLaPractitioner(actor)) return [{ id: actor.organisationId, name: actor.organisationName }];
  const rows = await db
    .selectFrom("organisation")
    .select(["id", "name"])
    .where("la_id", "=", actor.laId)
    .orderBy("name")
    .execute();
  // The actor's own agency first: it is the default.
  return [
    ...rows.filter((r) => r.id === actor.organisationId),
    ...rows.filter((r) => r.id !== actor.organisationId),
  ];
}
