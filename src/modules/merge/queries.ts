import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { personVisible } from "../../access/visibility.ts";
import type { Db } from "../../platform/database.ts";
import { todayIn } from "../../domain/dates.ts";

/**
 * The live record a merged-away id now lives on, if the actor may see it: the URL of a
 * merged-away record redirects there (decision 0024). Follows a chain of merges.
 */
export async function survivorFor(
  db: Db,
  actor: Actor,
  personId: string,
  now: Date,
): Promise<string | undefined> {
  const found = await sql<{ id: string }>`with recursive chain(id, merged_into, depth) as (
      select p.id, p.merged_into, 0 from person p
        where p.id = ${personId} and p.la_id = ${actor.laId} and p.merged_into is not null
      union all
      select p.id, p.merged_into, c.depth + 1 from person p join chain c on p.id = c.merged_into
        where c.depth < 20)
    select id from chain where merged_into is null`.execute(db);
  const survivorId = found.rows[0]?.id;
  if (!survivorId) return undefined;
  const visible = await db
    .selectFrom("person")
    .select("person.id")
    .where("person.id", "=", survivorId)
    .where(personVisible(actor, now))
    .executeTakeFirst();
  return visible?.id;
}

/** The merges into a record that are still in force, newest first, for its page. */
export async function mergesInto(db: Db, survivorId: string) {
  return db
    .selectFrom("person_merge as m")
    .innerJoin("person as p", "p.id", "m.merged_id")
    .innerJoin("app_user as u", "u.id", "m.merged_by")
    .select([
      "m.id",
      "m.merged_id",
      "m.merged_at",
      "m.undone_at",
      "m.reason",
      "p.given_name",
      "p.family_name",
      "p.date_of_birth",
      "u.display_name as merged_by_name",
    ])
    .where("m.survivor_id", "=", survivorId)
    .where("m.undone_at", "is", null)
    .orderBy("m.merged_at", "desc")
    .execute();
}

/** The ids merged into a record (live merges): its history is theirs too (the access log). */
export async function mergedIdsOf(db: Db, survivorId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("person_merge")
    .select("merged_id")
    .where("survivor_id", "=", survivorId)
    .where("undone_at", "is", null)
    .execute();
  return rows.map((r) => r.merged_id);
}

/** One side of the confirm page: what a manager needs to judge two records are one person. */
export async function mergeSide(db: Db, actor: Actor, personId: string, now: Date) {
  const today = todayIn(now);
  return db
    .selectFrom("person")
    .select([
      "person.id",
      "person.given_name",
      "person.family_name",
      "person.other_names",
      "person.date_of_birth",
      "person.sex",
      "person.nhs_number",
      "person.upn",
      "person.restricted",
      "person.version",
      sql<
        string | null
      >`(select a.postcode from person_address pa join address a on a.id = pa.address_id
        where pa.person_id = person.id and pa.end_date is null and not a.confidential
        order by pa.start_date desc limit 1)`.as("postcode"),
      sql<string | null>`(select string_agg(u.display_name || ' (' || t.name || ')', ', ')
        from allocation al join app_user u on u.id = al.worker_id join team t on t.id = al.team_id
        where al.person_id = person.id and (al.end_date is null or al.end_date > ${today}))`.as(
        "allocated",
      ),
      sql<number>`(select count(*)::int from chronology_entry c where c.person_id = person.id)`.as(
        "chronology_count",
      ),
      sql<number>`(select count(*)::int from referral r where r.person_id = person.id)`.as(
        "referral_count",
      ),
      sql<boolean>`exists (select 1 from referral r where r.person_id = person.id
        and r.closed_on is null)`.as("open_case"),
    ])
    .where("person.id", "=", personId)
    .where(personVisible(actor, now))
    .executeTakeFirst();
}

export type MergeSideView = NonNullable<Awaited<ReturnType<typeof mergeSide>>>;

/** Children the actor may see whose record has neither the NHS number nor an exception. */
export async function childrenWithoutIdentifier(db: Db, actor: Actor, now: Date) {
  const today = todayIn(now);
  return db
    .selectFrom("person")
    .select([
      "person.id",
      "person.given_name",
      "person.family_name",
      "person.date_of_birth",
      sql<boolean>`person.nhs_number_duplicate is not null`.as("duplicate"),
    ])
    .where("person.la_id", "=", actor.laId)
    .where("person.merged_into", "is", null)
    .where("person.nhs_number", "is", null)
    .where((eb) =>
      eb.or([
        eb("person.nhs_number_exception", "is", null),
        eb("person.nhs_number_duplicate", "is not", null),
      ]),
    )
    .where("person.date_of_birth", "is not", null)
    .where(sql<boolean>`person.date_of_birth > (${today}::date - interval '18 years')`)
    .where(personVisible(actor, now))
    .orderBy("person.date_of_birth", "desc")
    .limit(IDENTIFIER_LIST_LIMIT)
    .execute();
}

export const IDENTIFIER_LIST_LIMIT = 500;
