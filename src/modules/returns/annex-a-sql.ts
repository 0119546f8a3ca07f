import { sql, type RawBuilder } from "kysely";

/**
 * The pieces every Annex A list's query shares. Each list is one set-based query over the whole
 * council (no query per child), with the period's dates as parameters.
 */
export interface ListParams {
  laId: string;
  from: string;
  to: string;
  /** The start of the 12 months up to `to`, for Ofsted's "in the last 12 months" counts. */
  from12: string;
}

/**
 * The child's details each list starts with; `p` is the child's person row. `disabled` is from
 * the census disabilities recorded (the CIN census form): a code other than NONE is yes, only
 * NONE is no, nothing recorded is null (the sheet says Unknown).
 */
export function childColumns(q: ListParams): RawBuilder<unknown> {
  return sql`p.id as person_id, p.sex, p.ethnicity, p.date_of_birth,
    case when p.date_of_birth <= ${q.to}::date
      then extract(year from age(${q.to}::date, p.date_of_birth))::int end as age,
    (select bool_or(d.code <> 'NONE') from person_disability d where d.person_id = p.id)
      as disabled`;
}

/** A live child of this council (a merged-away record's work moved to its survivor). */
export function liveChild(q: ListParams): RawBuilder<unknown> {
  return sql`p.la_id = ${q.laId} and p.merged_into is null`;
}

/**
 * The team and worker allocated in the period: the allocation still open at its end, else the
 * one that ended last. `person` names the column holding the child's id.
 */
export function allocatedJoin(q: ListParams): RawBuilder<unknown> {
  return sql`left join lateral (
      select t.name as team, u.display_name as worker
      from allocation a
      join team t on t.id = a.team_id
      join app_user u on u.id = a.worker_id
      where a.person_id = p.id and a.start_date <= ${q.to}::date
        and (a.end_date is null or a.end_date >= ${q.from}::date)
      order by a.end_date is null desc, a.end_date desc, a.start_date desc
      limit 1
    ) alloc on true`;
}

/** A period [start, end] of a record (end null while open) overlaps the list's period. */
export function overlaps(q: ListParams, start: string, end: string): RawBuilder<unknown> {
  return sql`${sql.ref(start)} <= ${q.to}::date and (${sql.ref(end)} is null or ${sql.ref(end)} >= ${q.from}::date)`;
}

/** A date column, shown only when it falls on or before the list's last day. */
export function byEnd(q: ListParams, column: string): RawBuilder<unknown> {
  return sql`case when ${sql.ref(column)} <= ${q.to}::date then ${sql.ref(column)} end`;
}
