/**
 * A page of a person's chronology for the JSON API: newest first in a stable order (the date it
 * happened, then when it was recorded, then the entry's id), continued by a cursor that names
 * the last entry seen, so a page never repeats or skips an entry when new ones are added.
 * The caller has checked the actor may see the person.
 */
import { sql } from "kysely";
import { kindsOfType, type ChronologyType } from "../../domain/chronology.ts";
import type { Db } from "../../platform/database.ts";

export interface ChronologyCursor {
  occurredOn: string;
  recordedAt: string;
  id: string;
}

export interface ChronologyQuery {
  agency?: string | undefined;
  type?: ChronologyType | undefined;
  after?: ChronologyCursor | undefined;
  limit: number;
}

export async function chronologyPage(db: Db, personId: string, query: ChronologyQuery) {
  let select = db
    .selectFrom("chronology_entry as c")
    .innerJoin("organisation as o", "o.id", "c.organisation_id")
    .select([
      "c.id",
      "c.occurred_on",
      "c.kind",
      "c.summary",
      "c.recorded_at",
      "o.id as organisation_id",
      "o.name as organisation_name",
      "o.kind as organisation_kind",
      // To the microsecond, as stored: a millisecond Date would make the cursor inexact.
      sql<string>`to_char(c.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        "recorded_at_exact",
      ),
    ])
    .where("c.person_id", "=", personId);
  if (query.agency) select = select.where("c.organisation_id", "=", query.agency);
  if (query.type) select = select.where("c.kind", "in", kindsOfType(query.type));
  const after = query.after;
  if (after) {
    select = select.where(
      sql<boolean>`(c.occurred_on, c.recorded_at, c.id) <
        (${after.occurredOn}::date, ${after.recordedAt}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await select
    .orderBy("c.occurred_on", "desc")
    .orderBy("c.recorded_at", "desc")
    .orderBy("c.id", "desc")
    .limit(query.limit + 1)
    .execute();
  const entries = rows.slice(0, query.limit);
  const last = entries.at(-1);
  const next: ChronologyCursor | undefined =
    rows.length > query.limit && last
      ? { occurredOn: last.occurred_on, recordedAt: last.recorded_at_exact, id: last.id }
      : undefined;
  return { entries, next };
}
