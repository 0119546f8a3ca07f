/**
 * The chronology page's reads as plain functions in the caller's transaction (decision 0029).
 * The caller has checked the actor may see the person; the JSON API's cursor pages are in
 * ./queries.ts, and writing an entry in ./record.ts.
 */
import { sql } from "kysely";
import { kindsOfType, type ChronologyType } from "../../domain/chronology.ts";
import type { Db } from "../../platform/database.ts";

/** The most recent entries the page shows first; "Show all" lifts it (e.g. to print). */
export const RECENT = 500;
/** Even "all" stops here, so one request cannot read without bound. */
export const ALL = 20_000;

export interface ChronologyFilters {
  agency: string | undefined;
  type: ChronologyType | undefined;
  all: boolean;
}

/** The person's entries, newest first, one more than the page shows (to say it was cut). */
export async function chronologyOf(db: Db, personId: string, filters: ChronologyFilters) {
  let query = db
    .selectFrom("chronology_entry as c")
    .innerJoin("organisation as o", "o.id", "c.organisation_id")
    .innerJoin("app_user as u", "u.id", "c.recorded_by")
    .select([
      "c.id",
      "c.occurred_on",
      "c.kind",
      "c.summary",
      "o.name as organisation_name",
      "o.kind as organisation_kind",
      "u.display_name as recorded_by_name",
    ])
    .where("c.person_id", "=", personId);
  if (filters.agency) query = query.where("c.organisation_id", "=", filters.agency);
  if (filters.type) query = query.where("c.kind", "in", kindsOfType(filters.type));
  return query
    .orderBy("c.occurred_on", "desc")
    .orderBy("c.recorded_at", "desc")
    .limit((filters.all ? ALL : RECENT) + 1)
    .execute();
}

/** The agencies that have added to this person's chronology, for the filter. */
export async function agenciesOf(db: Db, personId: string) {
  return db
    .selectFrom("organisation as o")
    .select(["o.id", "o.name"])
    .where(
      sql<boolean>`exists (select 1 from chronology_entry c
        where c.person_id = ${personId} and c.organisation_id = o.id)`,
    )
    .orderBy("o.name")
    .execute();
}
