import { sql, type RawBuilder } from "kysely";
import type { Actor } from "../../access/actor.ts";
import type { KpiScope } from "../../access/kpis.ts";
import { personVisible } from "../../access/visibility.ts";
import {
  ageBands,
  populationBreakdowns,
  type BreakdownKey,
  type Measure,
} from "../../domain/kpis/measures.ts";
import type { Db } from "../../platform/database.ts";
import { cohorts, type CohortParams } from "./cohorts.ts";

/** One month and group of a measure: its counts, before any suppression. */
export interface Cell {
  month: string;
  /** The breakdown's group (a code or a name); "all" without a breakdown. */
  group: string;
  numerator: number;
  denominator: number;
}

export interface MeasureQuery {
  measure: Measure;
  params: CohortParams;
  breakdown?: BreakdownKey | undefined;
  scope: KpiScope;
}

export class KpiError extends Error {}

const needsAllocation = (q: MeasureQuery) =>
  q.scope.kind === "teams" ||
  q.breakdown === "team" ||
  q.breakdown === "worker" ||
  q.breakdown === "locality";

const ageBandOf = (on: RawBuilder<unknown>, dob: RawBuilder<unknown>) => sql`case
  when ${dob} is null then 'unknown'
  when ${on} < ${dob} + interval '1 year' then ${ageBands[0].key}
  when ${on} < ${dob} + interval '5 years' then ${ageBands[1].key}
  when ${on} < ${dob} + interval '10 years' then ${ageBands[2].key}
  when ${on} < ${dob} + interval '16 years' then ${ageBands[3].key}
  when ${on} < ${dob} + interval '18 years' then ${ageBands[4].key}
  else '18_plus' end`;

function groupExpression(breakdown: BreakdownKey | undefined): RawBuilder<string> {
  switch (breakdown) {
    case undefined:
      return sql<string>`'all'`;
    case "team":
      return sql<string>`coalesce(t.name, 'Not allocated')`;
    case "locality":
      return sql<string>`coalesce(t.locality, 'Not recorded')`;
    case "worker":
      return sql<string>`coalesce(u.display_name, 'Not allocated')`;
    case "age_band":
      return sql<string>`${ageBandOf(sql.ref("c.on_date"), sql.ref("p.date_of_birth"))}`;
    case "sex":
      return sql<string>`coalesce(p.sex, '0')`;
    case "ethnicity":
      return sql<string>`coalesce(p.ethnicity, 'NOBT')`;
    case "primary_need":
      return sql<string>`coalesce((select r.primary_need from referral r
        where r.person_id = c.person_id and r.referral_date <= c.on_date
        order by r.referral_date desc limit 1), 'none')`;
  }
}

/** The cohort's rows placed in a month and a group, limited to the scope's teams. */
function placed(q: MeasureQuery): RawBuilder<unknown> {
  const cohort = cohorts[q.measure.key];
  if (!cohort) throw new KpiError(`${q.measure.name} is not computed yet`);
  const allocation = needsAllocation(q)
    ? sql`left join lateral (select a.team_id, a.worker_id from allocation a
          where a.person_id = c.person_id and a.start_date <= c.on_date
            and (a.end_date is null or a.end_date >= c.on_date)
          order by a.start_date desc limit 1) al on c.team_id is null
        left join team t on t.id = coalesce(c.team_id, al.team_id)
        left join app_user u on u.id = coalesce(c.worker_id, al.worker_id)`
    : sql``;
  const teams =
    q.scope.kind === "teams"
      ? sql`and t.id = any(${sql.val([...q.scope.teamIds])}::uuid[])`
      : sql``;
  return sql`select c.person_id, c.num_key, c.den_key, to_char(c.on_date, 'YYYY-MM') as month,
      ${groupExpression(q.breakdown)} as grp
    from (${cohort(q.params)}) c join person p on p.id = c.person_id
    ${allocation}
    where p.merged_into is null ${teams}`;
}

/** Counts by month and group: one set-based statement. */
export async function computeMeasure(db: Db, q: MeasureQuery): Promise<Cell[]> {
  const result = await sql<{ month: string; grp: string; numerator: number; denominator: number }>`
    select x.month, x.grp, count(distinct x.num_key)::int as numerator,
      count(distinct x.den_key)::int as denominator
    from (${placed(q)}) x group by x.month, x.grp order by x.month, x.grp`.execute(db);
  const cells = result.rows.map((r) => ({
    month: r.month,
    group: r.grp,
    numerator: r.numerator,
    denominator: r.denominator,
  }));
  if (q.measure.unit !== "rate_per_10k") return cells;
  const population = await childPopulation(db, q.params.laId, q.breakdown);
  return cells.map((c) => ({ ...c, denominator: population.get(c.group) ?? 0 }));
}

/**
 * The council's configured child population by group (decision 0033). A council without one
 * gets a clear message, never a rate over zero.
 */
export async function childPopulation(
  db: Db,
  laId: string,
  breakdown: BreakdownKey | undefined,
): Promise<Map<string, number>> {
  if (breakdown && !populationBreakdowns.includes(breakdown)) {
    throw new KpiError(
      "A rate per 10,000 children can only be broken down by age band, sex or ethnicity",
    );
  }
  const column = breakdown ? sql.ref(breakdown) : sql`'all'`;
  const result = await sql<{ grp: string; children: number }>`
    select ${column} as grp, sum(children)::int as children from child_population
    where la_id = ${laId} group by 1`.execute(db);
  if (result.rows.length === 0) {
    throw new KpiError(
      "This council's child population is not configured, so rates per 10,000 children cannot be shown",
    );
  }
  return new Map(result.rows.map((r) => [r.grp, r.children]));
}

export interface ChildBehind {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  counted: boolean;
}

/**
 * The children behind one figure: those the actor may see, by name, and how many others there
 * are (src/access/visibility.ts decides which are which).
 */
export async function childrenBehind(
  db: Db,
  actor: Actor,
  now: Date,
  q: MeasureQuery,
  month: string,
  group: string,
): Promise<{ shown: ChildBehind[]; notShown: number }> {
  const rows = await sql<ChildBehind & { visible: boolean }>`
    select p.id, p.given_name, p.family_name, p.date_of_birth::text as date_of_birth,
      x.counted, ${personVisible(actor, now, "p")} as visible
    from (select x.person_id, bool_or(x.num_key is not null) as counted
      from (${placed(q)}) x where x.month = ${month} and x.grp = ${group}
      group by x.person_id) x
    join person p on p.id = x.person_id
    order by p.family_name, p.given_name`.execute(db);
  const shown = rows.rows.filter((r) => r.visible).map(({ visible: _visible, ...child }) => child);
  return { shown, notShown: rows.rows.length - shown.length };
}

/**
 * The children in a measure's cohort over the whole period (counted once each, in the group
 * of their first row), by group: for disproportionality against the child population.
 */
export async function cohortChildrenByGroup(db: Db, q: MeasureQuery): Promise<Map<string, number>> {
  const result = await sql<{ grp: string; children: number }>`
    select x.grp, count(*)::int as children from (
      select distinct on (x.person_id) x.person_id, x.grp
      from (${placed(q)}) x where coalesce(x.num_key, x.den_key) is not null
      order by x.person_id, x.month) x
    group by x.grp`.execute(db);
  return new Map(result.rows.map((r) => [r.grp, r.children]));
}
