import { sql } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import type { Actor } from "../../access/actor.ts";
import {
  breakGlassReachable,
  isLaPractitioner,
  maySeeConfidentialAddress,
  personVisible,
  viaBreakGlassOnly,
  visiblePersonIds,
} from "../../access/visibility.ts";
import type { Db } from "../../platform/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { atAddress, atPostcode, nameCandidateIds, nameQuery, nameScore } from "./matching.ts";

export interface PersonSearch {
  name: string;
  dateOfBirth: string | null;
  /** Ten digits, spaces removed. */
  nhsNumber?: string | null;
  upn?: string | null;
  /** A full postcode, any spacing or case. */
  postcode?: string | null;
  /** The first line of an address, such as "12 Mill Street". */
  address?: string | null;
}

export interface PersonSearchHit {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  restricted: boolean;
  postcode: string | null;
  /** The open allocations ("worker, team"); null in an emergency-access search. */
  allocated: string | null;
}

const SEARCH_LIMIT = 50;
/** With a date of birth, how alike a name must be (0 to 1) to be shown. */
const DOB_NAME_SCORE = 0.2;

/**
 * Person search by name, tolerant of misspelling and of names that sound alike (see
 * matching.ts), by NHS number, UPN, postcode or first line of address, and by date of birth;
 * the terms given all apply. Only people the actor may see ("visible"), or in an emergency-
 * access search any unrestricted person of the LA, with only what decision 0016 allows shown.
 */
export async function searchPeople(
  db: Db,
  actor: Actor,
  search: PersonSearch,
  now: Date,
  scope: "visible" | "break_glass" = "visible",
): Promise<PersonSearchHit[]> {
  const name = nameQuery(search.name);
  const laId = actor.laId;
  const today = todayIn(now);
  let query = db
    .selectFrom("person")
    .select([
      "person.id",
      "person.given_name",
      "person.family_name",
      "person.date_of_birth",
      "person.restricted",
      sql<
        string | null
      >`(select a.postcode from person_address pa join address a on a.id = pa.address_id
        where pa.person_id = person.id and pa.end_date is null and not a.confidential
        order by pa.start_date desc limit 1)`.as("postcode"),
      (scope === "visible"
        ? sql<string | null>`(select string_agg(u.display_name || ', ' || t.name, '; '
            order by al.start_date)
          from allocation al join app_user u on u.id = al.worker_id join team t on t.id = al.team_id
          where al.person_id = person.id and (al.end_date is null or al.end_date > ${today}))`
        : sql<string | null>`null::text`
      ).as("allocated"),
    ])
    .where("person.la_id", "=", laId)
    .where(
      scope === "visible"
        ? sql<boolean>`person.id in (${visiblePersonIds(actor, now)})`
        : breakGlassReachable(actor),
    );
  if (search.dateOfBirth) query = query.where("person.date_of_birth", "=", search.dateOfBirth);
  if (search.nhsNumber) query = query.where("person.nhs_number", "=", search.nhsNumber);
  if (search.upn) query = query.where("person.upn", "=", search.upn.toUpperCase());
  if (search.postcode) {
    query = query.where(sql<boolean>`person.id in (${atPostcode(laId, search.postcode)})`);
  }
  if (search.address) {
    query = query.where(sql<boolean>`person.id in (${atAddress(laId, search.address)})`);
  }
  if (name) {
    query = query
      .where(
        search.dateOfBirth
          ? // The date of birth leaves a few dozen people: any of them with a name at all alike.
            sql<boolean>`${nameScore("person", name)} >= ${DOB_NAME_SCORE}`
          : // Otherwise candidates come from the indexed name blocks (matching.ts), for the
            // people one may see as for the whole LA: a team's caseload and families can be
            // thousands of people, too many to compare one by one.
            sql<boolean>`person.id in (${nameCandidateIds(laId, name)})`,
      )
      .orderBy(nameScore("person", name), "desc");
  }
  return query
    .orderBy("person.family_name")
    .orderBy("person.given_name")
    .limit(SEARCH_LIMIT)
    .execute();
}

/**
 * The person if the actor may see them; undefined otherwise (the caller answers 404).
 * `via_break_glass` says the actor sees them only through emergency access; it is worked out
 * only when the actor holds a live grant for this person, which is rare.
 */
export async function findVisiblePerson(db: Db, actor: Actor, personId: string, now: Date) {
  const found = await db
    .selectFrom("person")
    .selectAll("person")
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("break_glass")
            .select("break_glass.id")
            .whereRef("break_glass.person_id", "=", "person.id")
            .where("break_glass.user_id", "=", actor.userId)
            .where("break_glass.expires_at", ">", now),
        )
        .as("holds_grant"),
    )
    .where("person.id", "=", personId)
    .where(personVisible(actor, now))
    .executeTakeFirst();
  if (!found) return undefined;
  const { holds_grant: holdsGrant, ...person } = found;
  const viaBreakGlass = holdsGrant
    ? (
        await db
          .selectFrom("person")
          .select(viaBreakGlassOnly(actor, now).as("only"))
          .where("person.id", "=", personId)
          .executeTakeFirstOrThrow()
      ).only
    : false;
  return { ...person, via_break_glass: viaBreakGlass };
}

export type VisiblePerson = NonNullable<Awaited<ReturnType<typeof findVisiblePerson>>>;

/**
 * Everything on a person's record page besides the person row, in one statement (one round
 * trip and one plan instead of nine; see docs/decisions/0009-record-page-reads.md):
 * current address, relationships and household (only people the actor may also see),
 * allocated workers, chronology, families, and partner shares (for LA practitioners only).
 */
export async function recordDetails(db: Db, actor: Actor, person: VisiblePerson, now: Date) {
  const today = todayIn(now);
  const personId = person.id;
  const currentAddressId = sql<string>`(select pa.address_id from person_address pa
    where pa.person_id = ${personId} and pa.end_date is null order by pa.start_date desc limit 1)`;
  const related = (
    side: "person_id" | "related_person_id",
    other: "person_id" | "related_person_id",
  ) =>
    db
      .selectFrom("relationship as r")
      .innerJoin("person", "person.id", `r.${other}`)
      .select([
        "r.id",
        "r.kind",
        "r.parental_responsibility",
        // "A is <kind> of B": seen from A's record the other person is described inversely.
        sql<"forward" | "inverse">`${side === "person_id" ? "inverse" : "forward"}`.as("direction"),
        "person.id as other_id",
        "person.given_name",
        "person.family_name",
        "person.date_of_birth",
      ])
      .where(`r.${side}`, "=", personId)
      .where((eb) => eb.or([eb("r.end_date", "is", null), eb("r.end_date", ">", today)]))
      .where(personVisible(actor, now));
  const row = await db
    .selectNoFrom((eb) => [
      jsonObjectFrom(
        eb
          .selectFrom("address as a")
          .select(["a.id", "a.line1", "a.line2", "a.town", "a.postcode", "a.confidential"])
          .where("a.id", "=", currentAddressId),
      ).as("address"),
      jsonArrayFrom(
        related("person_id", "related_person_id")
          .unionAll(related("related_person_id", "person_id"))
          .orderBy("date_of_birth"),
      ).as("relationships"),
      jsonArrayFrom(
        eb
          .selectFrom("person_address as pa")
          .innerJoin("person", "person.id", "pa.person_id")
          .select(["person.id", "person.given_name", "person.family_name", "person.date_of_birth"])
          .where("pa.address_id", "=", currentAddressId)
          .where("pa.end_date", "is", null)
          .where("person.id", "!=", personId)
          .where(personVisible(actor, now))
          .orderBy("person.date_of_birth"),
      ).as("household"),
      jsonArrayFrom(
        eb
          .selectFrom("allocation as a")
          .innerJoin("app_user as u", "u.id", "a.worker_id")
          .innerJoin("team as t", "t.id", "a.team_id")
          .select([
            "a.id",
            "a.start_date",
            "u.display_name",
            "u.job_title",
            "u.role",
            "t.name as team_name",
          ])
          .where("a.person_id", "=", personId)
          .where((w) => w.or([w("a.end_date", "is", null), w("a.end_date", ">", today)]))
          .orderBy("a.start_date"),
      ).as("allocations"),
      jsonArrayFrom(
        eb
          .selectFrom("chronology_entry as c")
          .innerJoin("organisation as o", "o.id", "c.organisation_id")
          .innerJoin("app_user as u", "u.id", "c.recorded_by")
          .select([
            "c.id",
            "c.occurred_on",
            "c.kind",
            "c.summary",
            "o.name as organisation_name",
            "u.display_name as recorded_by_name",
          ])
          .where("c.person_id", "=", personId)
          .orderBy("c.occurred_on", "desc")
          .orderBy("c.recorded_at", "desc")
          .limit(CHRONOLOGY_LIMIT),
      ).as("chronology"),
      jsonArrayFrom(
        eb
          .selectFrom("family_member as fm")
          .innerJoin("family as f", "f.id", "fm.family_id")
          .select(["f.id", "f.name"])
          .where("fm.person_id", "=", personId),
      ).as("families"),
      jsonArrayFrom(
        eb
          .selectFrom("record_share as s")
          .innerJoin("organisation as o", "o.id", "s.organisation_id")
          .select([
            "s.id",
            "o.name as organisation_name",
            "s.lawful_basis",
            "s.purpose",
            "s.includes_health",
            "s.expires_on",
          ])
          .where("s.person_id", "=", personId)
          .where("s.revoked_at", "is", null)
          .where(isLaPractitioner(actor) ? sql<boolean>`true` : sql<boolean>`false`)
          .orderBy("s.shared_at", "desc"),
      ).as("shares"),
    ])
    .executeTakeFirstOrThrow();
  const withheld =
    row.address?.confidential === true && !maySeeConfidentialAddress(actor, person.via_break_glass);
  return {
    ...row,
    address: row.address
      ? withheld
        ? { withheld: true as const }
        : { withheld: false as const, ...row.address }
      : undefined,
    // The people at a withheld address would reveal where it is.
    household: withheld ? [] : row.household,
  };
}

const CHRONOLOGY_LIMIT = 100;
