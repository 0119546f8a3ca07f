/**
 * The SSDA903's OC2, AD1, PlacedAdoption and PrevPerm tables from the records (decision 0042),
 * one set-based query each over the council's children, as the other tables are. Who is in
 * each follows the DfE's guidance, and a child who should be there with nothing recorded gets
 * a row of blanks, so the rules name them (191, 601, 631): nothing is made up.
 *  - OC2: children looked after continuously for 12 months at 31 March (in care on every day
 *    of the year, not on short breaks only, V3/V4), with the year's latest outcomes.
 *  - AD1: children whose episode ended in the year by adoption (E11, E12), with the latest
 *    adoption recorded.
 *  - PlacedAdoption: each decision that a child in the return should be placed for adoption
 *    made by 31 March and not ended before 1 April; its end only if by 31 March.
 *  - PrevPerm: children who started a period of care in the year (RNE S), with the latest
 *    previous permanence recorded; DATE_PERM with zz for a day or month not known.
 */
import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";

type Text = string | null;

const flag = (column: string) =>
  sql`case when ${sql.ref(column)} then '1' when not ${sql.ref(column)} then '0' end`;
const dfe = (column: string) => sql`to_char(${sql.ref(column)}, 'DD/MM/YYYY')`;

/** Children of the council (not merged away) with an episode open in the year. */
const inReturn = (laId: string, start: string, end: string) => sql`
  select distinct e.person_id from cla_episode e join person p on p.id = e.person_id
   where e.la_id = ${laId} and p.merged_into is null
     and e.start_date <= ${end} and (e.end_date is null or e.end_date >= ${start})`;

export async function oc2Rows(db: Db, laId: string, start: string, end: string, year: string) {
  const { rows } = await sql<Record<string, Text>>`
    with cohort as (
      select p.id, p.la_child_id, p.date_of_birth from person p
       where p.la_id = ${laId} and p.merged_into is null
         -- In care on 31 March and on 1 April a year before it...
         and exists (select 1 from cla_episode e where e.person_id = p.id
                      and e.start_date <= ${start} and (e.end_date is null or e.end_date >= ${start}))
         and exists (select 1 from cla_episode e where e.person_id = p.id
                      and e.start_date <= ${end} and (e.end_date is null or e.end_date > ${end}))
         -- ...with no day between out of care: every episode ending in the year is followed.
         and not exists (select 1 from cla_episode e where e.person_id = p.id
                      and e.end_date >= ${start} and e.end_date <= ${end}
                      and not exists (select 1 from cla_episode n where n.person_id = p.id
                                       and n.id <> e.id and n.start_date between e.end_date and e.end_date + 1))
         and exists (select 1 from cla_episode e where e.person_id = p.id
                      and e.start_date <= ${end} and (e.end_date is null or e.end_date >= ${start})
                      and coalesce(e.legal_status, '') not in ('V3', 'V4')))
    select o.id as record_id, c.la_child_id as "CHILD", ${dfe("c.date_of_birth")} as "DOB",
           o.sdq_score::text as "SDQ_SCORE", o.sdq_reason as "SDQ_REASON",
           ${flag("o.convicted")} as "CONVICTED", ${flag("o.health_check")} as "HEALTH_CHECK",
           ${flag("o.immunisations")} as "IMMUNISATIONS", ${flag("o.teeth_check")} as "TEETH_CHECK",
           ${flag("o.health_assessment")} as "HEALTH_ASSESSMENT",
           ${flag("o.substance_misuse")} as "SUBSTANCE_MISUSE",
           ${flag("o.intervention_received")} as "INTERVENTION_RECEIVED",
           ${flag("o.intervention_offered")} as "INTERVENTION_OFFERED"
      from cohort c
      left join lateral (select * from cla_outcomes x
                          where x.person_id = c.id and x.collection_year = ${year}
                          order by x.recorded_at desc, x.id limit 1) o on true
     order by c.la_child_id`.execute(db);
  return rows;
}

export async function ad1Rows(db: Db, laId: string, start: string, end: string) {
  const { rows } = await sql<Record<string, Text>>`
    with adopted as (
      select distinct p.id, p.la_child_id, p.date_of_birth from person p
        join cla_episode e on e.person_id = p.id
       where p.la_id = ${laId} and p.merged_into is null
         and e.end_date between ${start} and ${end} and e.reason_ceased in ('E11', 'E12'))
    select a.id as record_id, c.la_child_id as "CHILD", ${dfe("c.date_of_birth")} as "DOB",
           ${dfe("a.best_interest_on")} as "DATE_INT", ${dfe("a.matched_on")} as "DATE_MATCH",
           ${flag("a.foster_care")} as "FOSTER_CARE", a.number_of_adopters::text as "NB_ADOPTR",
           a.sex_of_adopters as "SEX_ADOPTR", a.legal_status_of_adopters as "LS_ADOPTR"
      from adopted c
      left join lateral (select * from adoption x where x.person_id = c.id
                          order by x.recorded_at desc, x.id limit 1) a on true
     order by c.la_child_id`.execute(db);
  return rows;
}

export async function placedAdoptionRows(db: Db, laId: string, start: string, end: string) {
  const { rows } = await sql<Record<string, Text>>`
    select d.id as record_id, p.la_child_id as "CHILD", ${dfe("p.date_of_birth")} as "DOB",
           ${dfe("d.decided_on")} as "DATE_PLACED",
           case when d.ceased_on <= ${end} then ${dfe("d.ceased_on")} end as "DATE_PLACED_CEASED",
           case when d.ceased_on <= ${end} then d.ceased_reason end as "REASON_PLACED_CEASED"
      from adoption_decision d join person p on p.id = d.person_id
     where d.la_id = ${laId} and p.merged_into is null
       and d.person_id in (${inReturn(laId, start, end)})
       and d.decided_on <= ${end} and (d.ceased_on is null or d.ceased_on >= ${start})
     order by p.la_child_id, d.decided_on`.execute(db);
  return rows;
}

export async function prevPermRows(db: Db, laId: string, start: string, end: string) {
  const { rows } = await sql<Record<string, Text>>`
    with started as (
      select distinct p.id, p.la_child_id, p.date_of_birth from person p
        join cla_episode e on e.person_id = p.id
       where p.la_id = ${laId} and p.merged_into is null
         and e.reason_new_episode = 'S' and e.start_date between ${start} and ${end})
    select v.id as record_id, c.la_child_id as "CHILD", ${dfe("c.date_of_birth")} as "DOB",
           v.prev_perm as "PREV_PERM", v.la_perm as "LA_PERM",
           case when v.perm_year is not null then
             coalesce(lpad(v.perm_day::text, 2, '0'), 'zz') || '/' ||
             coalesce(lpad(v.perm_month::text, 2, '0'), 'zz') || '/' || v.perm_year::text
           end as "DATE_PERM"
      from started c
      left join lateral (select * from previous_permanence x where x.person_id = c.id
                          order by x.recorded_at desc, x.id limit 1) v on true
     order by c.la_child_id`.execute(db);
  return rows;
}
