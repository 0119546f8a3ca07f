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

export interface PersonSearch {
  name: string;
  dateOfBirth: string | null;
}

export interface PersonSearchHit {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  restricted: boolean;
  postcode: string | null;
}

const SEARCH_LIMIT = 50;

/**
 * Person search by name, tolerant of misspelling (pg_trgm similarity against "given family"
 * and against the family name alone), and by date of birth. Only people the actor may see.
 */
export async function searchPeople(
  db: Db,
  actor: Actor,
  search: PersonSearch,
  now: Date,
  scope: "visible" | "break_glass" = "visible",
): Promise<PersonSearchHit[]> {
  const name = search.name.trim().toLowerCase();
  const words = name.split(/\s+/);
  const lastWord = words[words.length - 1] ?? name;
  const isSingleWord = words.length === 1;
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
    ])
    .where("person.la_id", "=", actor.laId)
    .where(
      scope === "visible"
        ? sql<boolean>`person.id in (${visiblePersonIds(actor, now)})`
        : breakGlassReachable(actor),
    );
  if (search.dateOfBirth) query = query.where("person.date_of_birth", "=", search.dateOfBirth);
  if (name) {
    query = query
      .where(
        // Candidates come from the trigram indexes, each branch on its own so that PostgreSQL
        // uses the index (an OR of the two made it scan every row). Word similarity finds a name
        // inside "given family" ("amelia hartly"); a single word is also matched against the
        // family name alone, which catches a misspelt surname typed on its own ("hartlee").
        scope === "visible"
          ? // Few people are visible: check each of them against the name directly.
            sql<boolean>`(person.search_name %> ${name}
              ${isSingleWord ? sql`or lower(person.family_name) % ${lastWord}` : sql``})`
          : sql<boolean>`person.id in (select c.id from person c where c.search_name %> ${name}
              ${isSingleWord ? sql`union all select c.id from person c where lower(c.family_name) % ${lastWord}` : sql``})`,
      )
      .orderBy(
        sql`greatest(word_similarity(${name}, person.search_name), similarity(lower(person.family_name), ${lastWord}))`,
        "desc",
      );
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
