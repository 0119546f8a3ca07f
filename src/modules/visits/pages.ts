/**
 * Pages of a person's case notes and visits for the JSON API, in the same stable order as
 * the chronology's (the date, then when it was recorded, then the id, newest first) and
 * continued by a cursor naming the last row seen, so pages never repeat or skip a row when
 * new ones are added. The caller has checked the actor may see the person.
 */
import { sql, type RawBuilder } from "kysely";
import type { Db } from "../../platform/database.ts";
import { personVisits } from "./service.ts";

/** The sort key of the last row on a page. */
export interface RowCursor {
  on: string;
  recordedAt: string;
  id: string;
}

interface PageQuery {
  from?: string | undefined;
  to?: string | undefined;
  after?: RowCursor | undefined;
  limit: number;
}

export interface CaseNoteQuery extends PageQuery {
  agency?: string | undefined;
}

export interface VisitQuery extends PageQuery {
  seen?: boolean | undefined;
}

/** recorded_at to the microsecond, as stored: a millisecond Date would make the cursor inexact. */
const exact = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const before = (on: string, recordedAt: string, id: string, after: RowCursor) =>
  sql<boolean>`(${sql.ref(on)}, ${sql.ref(recordedAt)}, ${sql.ref(id)}) <
    (${after.on}::date, ${after.recordedAt}::timestamptz, ${after.id}::uuid)`;

function pageOf<R extends { id: string; recorded_at_exact: string }>(
  rows: R[],
  limit: number,
  on: (row: R) => string,
) {
  const entries = rows.slice(0, limit);
  const last = entries.at(-1);
  const next: RowCursor | undefined =
    rows.length > limit && last
      ? { on: on(last), recordedAt: last.recorded_at_exact, id: last.id }
      : undefined;
  return { entries, next };
}

function dateRange(column: string, query: PageQuery): RawBuilder<boolean>[] {
  return [
    ...(query.from ? [sql<boolean>`${sql.ref(column)} >= ${query.from}::date`] : []),
    ...(query.to ? [sql<boolean>`${sql.ref(column)} <= ${query.to}::date`] : []),
  ];
}

/** A page of the person's case notes, each with its author and agency. */
export async function caseNotePage(db: Db, personId: string, query: CaseNoteQuery) {
  const conditions = [
    ...dateRange("n.occurred_on", query),
    ...(query.after ? [before("n.occurred_on", "n.recorded_at", "n.id", query.after)] : []),
  ];
  let select = db
    .selectFrom("case_note as n")
    .innerJoin("app_user as u", "u.id", "n.author_id")
    .innerJoin("organisation as o", "o.id", "n.organisation_id")
    .select([
      "n.id",
      "n.occurred_on",
      "n.note",
      "u.display_name as author_name",
      "o.id as organisation_id",
      "o.name as agency",
      exact("n.recorded_at").as("recorded_at_exact"),
    ])
    .where("n.person_id", "=", personId);
  if (query.agency) select = select.where("n.organisation_id", "=", query.agency);
  for (const condition of conditions) select = select.where(condition);
  const rows = await select
    .orderBy("n.occurred_on", "desc")
    .orderBy("n.recorded_at", "desc")
    .orderBy("n.id", "desc")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, (row) => row.occurred_on);
}

/** A page of the person's visits, each with its visitor and their agency. */
export async function visitPage(db: Db, personId: string, query: VisitQuery) {
  const conditions = [
    ...dateRange("v.visited_on", query),
    ...(query.after ? [before("v.visited_on", "v.recorded_at", "v.id", query.after)] : []),
  ];
  let select = personVisits(db, personId).select(exact("v.recorded_at").as("recorded_at_exact"));
  if (query.seen !== undefined) select = select.where("v.seen", "=", query.seen);
  for (const condition of conditions) select = select.where(condition);
  const rows = await select
    .orderBy("v.visited_on", "desc")
    .orderBy("v.recorded_at", "desc")
    .orderBy("v.id", "desc")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, (row) => row.visited_on);
}
