/**
 * The SSDA903's UASC and SWEpisodes tables from the records (decision 0037), one set-based
 * query each over the children of the year's return.
 *  - UASC: each child in the return recorded as an unaccompanied asylum-seeking child, now or
 *    before, with the date the status ceased (DUC) when it ceased by 31 March.
 *  - SWEpisodes (2023-24 onward): for each child looked after on 31 March, every allocation to
 *    a social worker open at some point in the year, even while the child was not looked after
 *    (rule SW12): SW_ID the worker's Social Work England number, SW_DECOM and SW_DEC the
 *    allocation's dates (an end after 31 March not yet known), SW_REASON why it ended.
 */
import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";

type Text = string | null;

export async function uascRows(db: Db, laId: string, start: string, end: string) {
  const { rows } = await sql<Record<string, Text>>`
    select p.id as record_id, p.la_child_id as "CHILD",
           to_char(p.date_of_birth, 'DD/MM/YYYY') as "DOB", p.sex as "SEX",
           case when p.uasc_ceased_on <= ${end}
                then to_char(p.uasc_ceased_on, 'DD/MM/YYYY') end as "DUC"
      from person p
     where p.la_id = ${laId} and p.merged_into is null and p.uasc
       and exists (select 1 from cla_episode e where e.person_id = p.id and e.la_id = ${laId}
                    and e.start_date <= ${end} and (e.end_date is null or e.end_date >= ${start}))
     order by p.la_child_id`.execute(db);
  return rows;
}

export async function socialWorkerEpisodeRows(db: Db, laId: string, start: string, end: string) {
  const { rows } = await sql<Record<string, Text>>`
    select a.id as record_id, p.la_child_id as "CHILD",
           to_char(p.date_of_birth, 'DD/MM/YYYY') as "DOB", u.swe_registration as "SW_ID",
           to_char(a.start_date, 'DD/MM/YYYY') as "SW_DECOM",
           case when a.end_date <= ${end} then to_char(a.end_date, 'DD/MM/YYYY') end as "SW_DEC",
           case when a.end_date <= ${end} then a.end_reason end as "SW_REASON"
      from allocation a
      join person p on p.id = a.person_id
      join app_user u on u.id = a.worker_id
     where a.la_id = ${laId} and p.merged_into is null
       and a.start_date <= ${end} and (a.end_date is null or a.end_date >= ${start})
       and exists (select 1 from cla_episode e where e.person_id = p.id and e.la_id = ${laId}
                    and e.start_date <= ${end} and (e.end_date is null or e.end_date > ${end}))
     order by p.la_child_id, a.start_date`.execute(db);
  return rows;
}
