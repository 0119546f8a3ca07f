import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import {
  breakGlassReviewable,
  breakGlassReviewer,
  personVisible,
} from "../../access/visibility.ts";
import type { Db } from "../../platform/database.ts";

/**
 * What the emergency-access review reads: the grants and searches waiting for this reviewer,
 * one grant with what was opened under it, and the people a search listed. Which rows a
 * reviewer may see is decided in src/access/visibility.ts (breakGlassReviewer).
 */
export function waitingGrants(db: Db, actor: Actor) {
  return db
    .selectFrom("break_glass as b")
    .innerJoin("app_user as u", "u.id", "b.user_id")
    .innerJoin("person as p", "p.id", "b.person_id")
    .select([
      "b.id",
      "b.reason",
      "b.started_at",
      "b.person_id",
      "u.display_name",
      "p.given_name",
      "p.family_name",
    ])
    .where(breakGlassReviewable(actor, "b"))
    .orderBy("b.started_at")
    .execute();
}

export function waitingSearches(db: Db, actor: Actor) {
  return db
    .selectFrom("break_glass_search as s")
    .innerJoin("app_user as u", "u.id", "s.user_id")
    .select(["s.id", "s.reason", "s.searched_at", "s.results", "u.display_name"])
    .where(breakGlassReviewable(actor, "s"))
    .orderBy("s.searched_at")
    .execute();
}

/** How many uses of emergency access wait for this actor's review (for My work). */
export async function reviewsWaiting(db: Db, actor: Actor): Promise<number> {
  const [grants, searches] = await Promise.all([
    db
      .selectFrom("break_glass as b")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .where(breakGlassReviewable(actor, "b"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("break_glass_search as s")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .where(breakGlassReviewable(actor, "s"))
      .executeTakeFirstOrThrow(),
  ]);
  return Number(grants.n) + Number(searches.n);
}

/** One grant the actor may review (reviewed or not), and whether they may open the record. */
export function grantForReview(db: Db, actor: Actor, id: string, now: Date) {
  return db
    .selectFrom("break_glass as b")
    .innerJoin("app_user as u", "u.id", "b.user_id")
    .innerJoin("person as person", "person.id", "b.person_id")
    .leftJoin("app_user as r", "r.id", "b.reviewed_by")
    .select([
      "b.id",
      "b.user_id",
      "b.reason",
      "b.started_at",
      "b.expires_at",
      "b.reviewed_at",
      "b.review_outcome",
      "b.review_note",
      "b.person_id",
      "u.display_name",
      "r.display_name as reviewer_name",
      "person.given_name",
      "person.family_name",
      "person.date_of_birth",
      sql<boolean>`${personVisible(actor, now)}`.as("reviewer_may_open"),
    ])
    .where("b.id", "=", id)
    .where(breakGlassReviewer(actor, "b"))
    .executeTakeFirst();
}

/** What the holder did on the person while the grant lasted, from the audit log. */
export function openedUnderGrant(
  db: Db,
  grant: { user_id: string; person_id: string; started_at: Date; expires_at: Date },
) {
  return db
    .selectFrom("audit_log as l")
    .select(["l.seq", "l.occurred_at", "l.action", "l.outcome"])
    .where("l.actor_user_id", "=", grant.user_id)
    .where(sql<boolean>`l.person_ids @> array[${grant.person_id}]::uuid[]`)
    .where("l.occurred_at", ">=", grant.started_at)
    .where("l.occurred_at", "<=", grant.expires_at)
    .orderBy("l.seq")
    .limit(500)
    .execute();
}

/** The people each search listed (from its audit row), by search id. */
export async function listedBySearches(
  db: Db,
  laId: string,
  searchIds: readonly string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const listed = new Map<string, { id: string; name: string }[]>();
  if (searchIds.length === 0) return listed;
  const rows = await db
    .selectFrom("audit_log as l")
    .innerJoin("person as p", (join) =>
      join.on(sql<boolean>`p.id = any(l.person_ids)`).on("p.la_id", "=", laId),
    )
    .select([
      sql<string>`l.summary->>'search'`.as("search_id"),
      "p.id",
      "p.given_name",
      "p.family_name",
    ])
    .where("l.action", "=", "break_glass.search")
    .where("l.la_id", "=", laId)
    .where(sql<boolean>`l.summary->>'search' = any(${[...searchIds]}::text[])`)
    .execute();
  for (const row of rows) {
    const names = listed.get(row.search_id) ?? [];
    names.push({ id: row.id, name: `${row.given_name} ${row.family_name}` });
    listed.set(row.search_id, names);
  }
  return listed;
}
