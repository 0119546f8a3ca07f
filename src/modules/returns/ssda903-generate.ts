/**
 * The SSDA903 tables (Header, Episodes, Reviews, Missing; UASC and SWEpisodes in
 * ssda903-uasc-sw.ts; OC2, AD1, PlacedAdoption and PrevPerm in ssda903-permanence.ts; OC3 in
 * care-leavers/oc3-read.ts), built from the records
 * of the whole council for a collection year, 1 April to 31 March (issue 17, decision 0035).
 * In scope: every child (not merged away) with a looked-after episode open at some point in
 * the year. Episodes are every episode open in the year; a cessation after 31 March is not yet
 * known to the return and is left blank. Reviews are those held in the year; missing and away
 * periods those open in it. A table whose records Trellis did not hold would be listed as not
 * held: no rows are made up.
 *
 * Set-based: one query per table over the children in scope, dates formatted by PostgreSQL,
 * so the large demo council's thousands of looked-after children take four statements.
 */
import { sql } from "kysely";
import { csvText } from "../../domain/csv.ts";
import {
  collectionPeriod,
  heldTables,
  tableColumns,
  tableNames,
  type Row,
  type Ssda903Return,
  type Ssda903Year,
  type TableName,
} from "../../domain/ssda903/model.ts";
import type { Db } from "../../platform/database.ts";
import { generateOc3 } from "../care-leavers/oc3-read.ts";
import { ad1Rows, oc2Rows, placedAdoptionRows, prevPermRows } from "./ssda903-permanence.ts";
import { socialWorkerEpisodeRows, uascRows } from "./ssda903-uasc-sw.ts";

export interface Generated903 {
  tables: Ssda903Return;
  /** The tables with no rows because Trellis does not hold their records yet. */
  notHeld: TableName[];
  /** LA child id (CHILD) to person id, so each failure can name and link to its child. */
  personByChildId: Map<string, string>;
  /**
   * For each table, the id of the record each row came from (an episode, a review, a missing
   * period, an allocation), so a failure links to where it is fixed (decision 0037).
   */
  recordIds: Partial<Record<TableName, readonly (string | null)[]>>;
}

type Text = string | null;

/**
 * The Header: every child looked after in the year, and the care leavers in OC3 who were not
 * (their Header row has MOTHER blank, as DfE rules INT06 and 628 expect).
 */
async function header(db: Db, laId: string, start: string, end: string, careLeavers: string[]) {
  const { rows } = await sql<{
    care_leaver_only: boolean;
    person_id: string;
    CHILD: string;
    SEX: Text;
    DOB: Text;
    ETHNIC: Text;
    UPN: Text;
    MC_DOB: Text;
  }>`
    with scope as (
      select distinct e.person_id from cla_episode e join person p on p.id = e.person_id
       where e.la_id = ${laId} and p.merged_into is null
         and e.start_date <= ${end} and (e.end_date is null or e.end_date >= ${start})),
    everyone as (
      select person_id, false as care_leaver_only from scope
      union all
      select c.id, true from unnest(${sql.val(careLeavers)}::uuid[]) c(id)
       where c.id not in (select person_id from scope))
    select s.care_leaver_only, p.id as person_id, p.la_child_id as "CHILD", p.sex as "SEX",
           to_char(p.date_of_birth, 'DD/MM/YYYY') as "DOB", p.ethnicity as "ETHNIC",
           coalesce(p.upn, p.upn_unknown) as "UPN",
           -- A mother's first child: the earliest-born person she is recorded as parent of.
           (select to_char(min(c.date_of_birth), 'DD/MM/YYYY')
              from relationship r join person c on c.id = r.related_person_id
             where r.person_id = p.id and r.kind = 'parent' and c.merged_into is null
               and c.date_of_birth <= ${end}) as "MC_DOB"
      from person p join everyone s on s.person_id = p.id
     order by p.la_child_id`.execute(db);
  return rows;
}

async function episodes(db: Db, laId: string, start: string, end: string) {
  const { rows } = await sql<Record<string, Text>>`
    select e.id as record_id, p.la_child_id as "CHILD", to_char(e.start_date, 'DD/MM/YYYY') as "DECOM",
           e.reason_new_episode as "RNE", e.legal_status as "LS",
           coalesce(r.primary_need, (
             select r2.primary_need from referral r2
              where r2.person_id = e.person_id and r2.referral_date <= e.start_date
              order by r2.referral_date desc limit 1)) as "CIN",
           e.placement_type as "PLACE", e.placement_provider as "PLACE_PROVIDER",
           case when e.end_date <= ${end} then to_char(e.end_date, 'DD/MM/YYYY') end as "DEC",
           case when e.end_date <= ${end} then e.reason_ceased end as "REC",
           (select a.postcode from person_address pa join address a on a.id = pa.address_id
             where pa.person_id = e.person_id and pa.start_date <= e.start_date
               and (pa.end_date is null or pa.end_date >= e.start_date)
             order by pa.start_date desc limit 1) as "HOME_POST",
           e.placement_postcode as "PL_POST"
      from cla_episode e
      join person p on p.id = e.person_id
      left join referral r on r.id = e.referral_id
     where e.la_id = ${laId} and p.merged_into is null
       and e.start_date <= ${end} and (e.end_date is null or e.end_date >= ${start})
     order by p.la_child_id, e.start_date`.execute(db);
  return rows;
}

/** Reviews held in the year, and missing periods open in it, of the children in scope. */
async function reviewsAndMissing(db: Db, laId: string, start: string, end: string) {
  const scope = sql`select e.person_id from cla_episode e
     where e.la_id = ${laId} and e.start_date <= ${end}
       and (e.end_date is null or e.end_date >= ${start})`;
  const londonDay = (column: string) =>
    sql`(${sql.ref(column)} at time zone 'Europe/London')::date`;
  const [reviews, missing] = await Promise.all([
    sql<Record<string, Text>>`
      select v.id as record_id, p.la_child_id as "CHILD",
             to_char(p.date_of_birth, 'DD/MM/YYYY') as "DOB", to_char(v.held_on, 'DD/MM/YYYY') as "REVIEW", v.participation as "REVIEW_CODE"
        from cla_review v join person p on p.id = v.person_id
       where v.la_id = ${laId} and p.merged_into is null and v.person_id in (${scope})
         and v.held_on between ${start} and ${end}
       order by p.la_child_id, v.held_on`.execute(db),
    sql<Record<string, Text>>`
      select m.id as record_id, p.la_child_id as "CHILD",
             to_char(p.date_of_birth, 'DD/MM/YYYY') as "DOB", m.kind as "MISSING", to_char(${londonDay("m.started_at")}, 'DD/MM/YYYY') as "MIS_START",
             case when ${londonDay("m.ended_at")} <= ${end}
                  then to_char(${londonDay("m.ended_at")}, 'DD/MM/YYYY') end as "MIS_END"
        from missing_episode m join person p on p.id = m.person_id
       where m.la_id = ${laId} and p.merged_into is null and m.person_id in (${scope})
         and ${londonDay("m.started_at")} <= ${end}
         and (m.ended_at is null or ${londonDay("m.ended_at")} >= ${start})
       order by p.la_child_id, m.started_at`.execute(db),
  ]);
  return { reviews: reviews.rows, missing: missing.rows };
}

/** A query row as a table row: every column present, in order, null as blank. */
function rowOf(table: TableName, values: Record<string, Text | undefined>): Row {
  const row: Record<string, string> = {};
  for (const column of tableColumns[table]) row[column] = values[column] ?? "";
  return row;
}

export async function generate903(db: Db, laId: string, year: Ssda903Year): Promise<Generated903> {
  const { start, end } = collectionPeriod(year);
  const [episodeRows, { reviews, missing }, uasc, socialWorkers, oc3] = await Promise.all([
    episodes(db, laId, start, end),
    reviewsAndMissing(db, laId, start, end),
    uascRows(db, laId, start, end),
    socialWorkerEpisodeRows(db, laId, start, end),
    generateOc3(db, laId, year),
  ]);
  const [oc2, ad1, placed, prevPerm] = await Promise.all([
    oc2Rows(db, laId, start, end, year),
    ad1Rows(db, laId, start, end),
    placedAdoptionRows(db, laId, start, end),
    prevPermRows(db, laId, start, end),
  ]);
  const people = await header(db, laId, start, end, [...oc3.personByChildId.values()]);
  const personByChildId = new Map(people.map((p) => [p.CHILD, p.person_id]));
  const headerRows = people.map(({ care_leaver_only, ...p }) => {
    // MOTHER is for girls looked after in the year: 1 when she has a child recorded, else 0.
    const female = p.SEX === "2" && !care_leaver_only;
    return rowOf("Header", {
      ...p,
      MOTHER: female ? (p.MC_DOB ? "1" : "0") : "",
      MC_DOB: female ? p.MC_DOB : "",
    });
  });
  return {
    tables: {
      Header: headerRows,
      Episodes: episodeRows.map((r) => rowOf("Episodes", r)),
      Reviews: reviews.map((r) => rowOf("Reviews", r)),
      Missing: missing.map((r) => rowOf("Missing", r)),
      UASC: uasc.map((r) => rowOf("UASC", r)),
      SWEpisodes: socialWorkers.map((r) => rowOf("SWEpisodes", r)),
      OC3: oc3.rows,
      OC2: oc2.map((r) => rowOf("OC2", r)),
      AD1: ad1.map((r) => rowOf("AD1", r)),
      PlacedAdoption: placed.map((r) => rowOf("PlacedAdoption", r)),
      PrevPerm: prevPerm.map((r) => rowOf("PrevPerm", r)),
    },
    notHeld: tableNames.filter((t) => !heldTables.includes(t)),
    personByChildId,
    recordIds: {
      Episodes: episodeRows.map((r) => r.record_id ?? null),
      Reviews: reviews.map((r) => r.record_id ?? null),
      Missing: missing.map((r) => r.record_id ?? null),
      UASC: uasc.map((r) => r.record_id ?? null),
      SWEpisodes: socialWorkers.map((r) => r.record_id ?? null),
      OC3: oc3.rows.map(() => null),
      OC2: oc2.map((r) => r.record_id ?? null),
      AD1: ad1.map((r) => r.record_id ?? null),
      PlacedAdoption: placed.map((r) => r.record_id ?? null),
      PrevPerm: prevPerm.map((r) => r.record_id ?? null),
    },
  };
}

/** One table as the DfE's CSV: its columns in order, cells escaped against formulas. */
export function tableCsv(table: TableName, rows: readonly Row[]): string {
  const columns = tableColumns[table];
  return csvText([columns, ...rows.map((row) => columns.map((c) => row[c] ?? ""))]);
}
