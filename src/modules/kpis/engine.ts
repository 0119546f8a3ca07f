import { sql, type RawBuilder } from "kysely";
import type { Actor } from "../../access/actor.ts";
import type { KpiScope } from "../../access/kpis.ts";
import { personVisible } from "../../access/visibility.ts";
import { ageBands, type BreakdownKey, type Measure } from "../../domain/kpis/measures.ts";
import type { Db } from "../../platform/database.ts";
import { cohorts, repeatedKeys, type CohortParams } from "./cohorts.ts";
import { KpiError } from "./kpi-error.ts";
import { childPopulations } from "./population.ts";
import {
  figureKey,
  keepFigures,
  keptFigures,
  pruneChanges,
  snapshotNow,
  type FigureKey,
} from "./kept-figures.ts";

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

/** One measure with several breakdowns at once (`undefined` is the line without one). */
export interface MeasureSetQuery {
  measure: Measure;
  params: CohortParams;
  breakdowns: readonly (BreakdownKey | undefined)[];
  scope: KpiScope;
}

/** A measure's cells by breakdown ("all" for the line without one). */
export type CellsByBreakdown = Map<BreakdownKey | "all", Cell[]>;

export { KpiError } from "./kpi-error.ts";
export { childPopulation } from "./population.ts";

const allocationBreakdowns: readonly BreakdownKey[] = ["team", "locality", "worker"];

/**
 * Memory for the sorts of one KPI statement (decision 0036). count(distinct) is computed by
 * sorting each group's keys, and each grouping set is another sort of the cohort's rows: at
 * the server's default (4 MB) the large council's month-end caseloads spill to disk. Set for
 * the transaction only, so no other work on the connection keeps it.
 */
const KPI_WORK_MEM = "64MB";

const ageBandOf = (on: RawBuilder<unknown>, dob: RawBuilder<unknown>) => sql`case
  when ${dob} is null then 'unknown'
  when ${on} < ${dob} + interval '1 year' then ${ageBands[0].key}
  when ${on} < ${dob} + interval '5 years' then ${ageBands[1].key}
  when ${on} < ${dob} + interval '10 years' then ${ageBands[2].key}
  when ${on} < ${dob} + interval '16 years' then ${ageBands[3].key}
  when ${on} < ${dob} + interval '18 years' then ${ageBands[4].key}
  else '18_plus' end`;

function groupExpression(breakdown: BreakdownKey): RawBuilder<string> {
  switch (breakdown) {
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
      return sql<string>`coalesce(pn.primary_need, 'none')`;
  }
}

/**
 * Counts a key once however many rows carry it: count(distinct) where it can repeat in a
 * month (cohorts.ts), a plain count where each key has one row, so that the grouping sets are
 * hashed in one pass instead of sorted once each.
 */
const counted = (key: "num_key" | "den_key", repeats: true | undefined) =>
  repeats ? sql`count(distinct ${sql.ref(`x.${key}`)})` : sql`count(${sql.ref(`x.${key}`)})`;

/** The column of a placed row holding a breakdown's group. */
const groupColumn = (breakdown: BreakdownKey) => `g_${breakdown}`;

/**
 * The cohort's rows placed in a month, with a column for each breakdown's group, limited to
 * the scope's teams. The child's allocation and primary need on the row's date are looked up
 * once per row, whichever breakdowns use them.
 */
function placedRows(
  measure: Measure,
  params: CohortParams,
  scope: KpiScope,
  keys: readonly BreakdownKey[],
): RawBuilder<unknown> {
  const cohort = cohorts[measure.key];
  if (!cohort) throw new KpiError(`${measure.name} is not computed yet`);
  const allocation =
    scope.kind === "teams" || keys.some((k) => allocationBreakdowns.includes(k))
      ? sql`left join lateral (select a.team_id, a.worker_id from allocation a
          where c.team_id is null and a.person_id = c.person_id and a.start_date <= c.on_date
            and (a.end_date is null or a.end_date >= c.on_date)
          order by a.start_date desc limit 1) al on true
        left join team t on t.id = coalesce(c.team_id, al.team_id)
        left join app_user u on u.id = coalesce(c.worker_id, al.worker_id)`
      : sql``;
  const primaryNeed = keys.includes("primary_need")
    ? sql`left join lateral (select r.primary_need from referral r
          where r.person_id = c.person_id and r.referral_date <= c.on_date
          order by r.referral_date desc limit 1) pn on true`
    : sql``;
  const teams =
    scope.kind === "teams" ? sql`and t.id = any(${sql.val([...scope.teamIds])}::uuid[])` : sql``;
  const groups = keys.map((k) => sql`, ${groupExpression(k)} as ${sql.id(groupColumn(k))}`);
  return sql`select c.person_id, c.num_key, c.den_key, to_char(c.on_date, 'YYYY-MM') as month
      ${sql.join(groups, sql``)}
    from (${cohort(params)}) c join person p on p.id = c.person_id
    ${allocation} ${primaryNeed}
    where p.merged_into is null ${teams}`;
}

/** The rows of one breakdown's figures: `grp` is the group ("all" without a breakdown). */
function placed(q: MeasureQuery): RawBuilder<unknown> {
  const keys = q.breakdown ? [q.breakdown] : [];
  const grp = q.breakdown ? sql.ref(`x.${groupColumn(q.breakdown)}`) : sql`'all'`;
  return sql`select x.*, ${grp} as grp
    from (${placedRows(q.measure, q.params, q.scope, keys)}) x`;
}

/**
 * Runs `work` in a transaction (the caller's, if it is in one) with the KPI sort memory and
 * without JIT compilation: each KPI statement is run once, and compiling its expressions cost
 * about 80 ms a statement on the large council, more than many of them take to run.
 */
async function withKpiMemory<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  const run = async (tx: Db) => {
    await sql`select set_config('work_mem', ${KPI_WORK_MEM}, true), set_config('jit', 'off', true)`.execute(
      tx,
    );
    return work(tx);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** The one statement counting a measure for all its breakdowns (exported for EXPLAIN). */
export function measureStatement(
  q: MeasureSetQuery,
): RawBuilder<Record<string, string | number | null>> {
  const keys = [...new Set(q.breakdowns.filter((b) => b !== undefined))];
  const wanted = [...new Set(q.breakdowns.map((b) => b ?? "all"))];
  const columns = keys.map((k) => sql.ref(`x.${groupColumn(k)}`));
  const sets = wanted.map((b) =>
    b === "all" ? sql`(x.month)` : sql`(x.month, ${sql.ref(`x.${groupColumn(b)}`)})`,
  );
  const repeated = repeatedKeys[q.measure.key] ?? {};
  // grouping(a, b, ...) has a bit set for each column not grouped in the row's set.
  const grouping = keys.length > 0 ? sql`grouping(${sql.join(columns)})` : sql`0`;
  return sql<Record<string, string | number | null>>`
    select ${grouping}::int as unset, x.month ${sql.join(
      columns.map((c) => sql`, ${c}`),
      sql``,
    )},
      ${counted("num_key", repeated.numerator)}::int as numerator,
      ${counted("den_key", repeated.denominator)}::int as denominator
    from (${placedRows(q.measure, q.params, q.scope, keys)}) x
    group by grouping sets (${sql.join(sets)})
    order by 1, x.month ${sql.join(
      columns.map((c) => sql`, ${c}`),
      sql``,
    )}`;
}

/**
 * Counts by month for each breakdown of a measure, in one set-based statement: the cohort's
 * rows are placed once with every breakdown's group, then counted for each grouping set
 * (month), (month, team), (month, sex)... count(distinct) per set, as one statement per
 * breakdown would count it.
 */
async function measureCells(db: Db, q: MeasureSetQuery): Promise<CellsByBreakdown> {
  const keys = [...new Set(q.breakdowns.filter((b) => b !== undefined))];
  const wanted = [...new Set(q.breakdowns.map((b) => b ?? "all"))];
  const result = await measureStatement(q).execute(db);
  const all = (1 << keys.length) - 1;
  const cells: CellsByBreakdown = new Map(wanted.map((b) => [b, []]));
  for (const row of result.rows) {
    const unset = Number(row.unset);
    const index = keys.findIndex((_k, i) => (unset & (1 << (keys.length - 1 - i))) === 0);
    const key = unset === all ? "all" : (keys[index] as BreakdownKey);
    cells.get(key)?.push({
      month: String(row.month),
      group: key === "all" ? "all" : String(row[groupColumn(key)]),
      numerator: Number(row.numerator),
      denominator: Number(row.denominator),
    });
  }
  if (q.measure.unit !== "rate_per_10k") return cells;
  const population = await childPopulations(db, q.params.laId, wanted);
  for (const [key, line] of cells) {
    const groups = population.get(key) ?? new Map<string, number>();
    cells.set(
      key,
      line.map((c) => ({ ...c, denominator: groups.get(c.group) ?? 0 })),
    );
  }
  return cells;
}

/** Whether to reuse figures kept since (decision 0041); off only to prove the counting itself. */
export interface ComputeOptions {
  reuse?: boolean;
}

/** Counts by month and group: one set-based statement. */
export async function computeMeasure(
  db: Db,
  q: MeasureQuery,
  options?: ComputeOptions,
): Promise<Cell[]> {
  const cells = await computeMeasureBreakdowns(
    db,
    { measure: q.measure, params: q.params, scope: q.scope, breakdowns: [q.breakdown] },
    options,
  );
  return cells.get(q.breakdown ?? "all") ?? [];
}

/** Counts by month for each of several breakdowns of one measure, in one statement. */
export async function computeMeasureBreakdowns(
  db: Db,
  q: MeasureSetQuery,
  options?: ComputeOptions,
): Promise<CellsByBreakdown> {
  const [cells] = await computeMeasures(db, [q], options);
  return cells ?? new Map();
}

/**
 * Several measures with their breakdowns, in one transaction: a statement per measure (two
 * for a rate per 10,000, whose population is read too). Throws the first measure's problem.
 */
export async function computeMeasures(
  db: Db,
  queries: readonly MeasureSetQuery[],
  options?: ComputeOptions,
): Promise<CellsByBreakdown[]> {
  const results = await computeMeasureResults(db, queries, options);
  return results.map((r) => {
    if (r instanceof KpiError) throw r;
    return r;
  });
}

/**
 * Several measures with their breakdowns, each measure's problem (a council without a child
 * population, say) returned in its place. Figures kept since and still current are reused
 * (kept-figures.ts, one statement for them all); the rest are counted, a statement per
 * measure for all its missing breakdowns, and kept.
 */
export async function computeMeasureResults(
  db: Db,
  queries: readonly MeasureSetQuery[],
  options: ComputeOptions = {},
): Promise<(CellsByBreakdown | KpiError)[]> {
  const reuse = options.reuse ?? true;
  return withKpiMemory(db, async (tx) => {
    const snapshot = reuse ? await snapshotNow(tx) : "";
    const wanted = queries.map((q) => [...new Set(q.breakdowns.map((b) => b ?? "all"))]);
    // A measure not computed yet has no statement: its problem is its result (below). A rate
    // per 10,000 reads the child population too, in a statement of its own.
    const keys = queries.map((q, i) =>
      cohorts[q.measure.key]
        ? (wanted[i] ?? []).map((b) =>
            figureKey(
              measureStatement({ ...q, breakdowns: [b === "all" ? undefined : b] }),
              tx,
              q.measure.unit,
              q.measure.unit === "rate_per_10k" ? ["child_population"] : [],
            ),
          )
        : [],
    );
    const kept = reuse
      ? await keptFigures(
          tx,
          keys.flat().map((k) => k.key),
        )
      : new Map<string, Cell[]>();
    const counted: { key: FigureKey; laId: string; cells: Cell[] }[] = [];
    const results: (CellsByBreakdown | KpiError)[] = [];
    for (const [i, q] of queries.entries()) {
      const lines = wanted[i] ?? [];
      const lineKeys = keys[i] ?? [];
      const missing = lines.filter((_b, j) => !kept.has(lineKeys[j]?.key ?? ""));
      let fresh: CellsByBreakdown = new Map();
      if (missing.length > 0) {
        try {
          fresh = await measureCells(tx, {
            ...q,
            breakdowns: missing.map((b) => (b === "all" ? undefined : b)),
          });
        } catch (error) {
          if (!(error instanceof KpiError)) throw error;
          results.push(error);
          continue;
        }
      }
      const cells: CellsByBreakdown = new Map();
      for (const [j, b] of lines.entries()) {
        const key = lineKeys[j];
        const keptLine = key ? kept.get(key.key) : undefined;
        const line = keptLine ?? fresh.get(b) ?? [];
        if (key && !keptLine) counted.push({ key, laId: q.params.laId, cells: line });
        cells.set(b, line);
      }
      results.push(cells);
    }
    if (reuse && counted.length > 0) {
      await keepFigures(tx, snapshot, counted);
      await pruneChanges(tx);
    }
    return results;
  });
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
