import { sql } from "kysely";
import { populationBreakdowns, type BreakdownKey } from "../../domain/kpis/measures.ts";
import type { Db } from "../../platform/database.ts";
import { KpiError } from "./kpi-error.ts";

/**
 * The council's configured child population by group for each breakdown, in one statement
 * (decision 0033). A council without one gets a clear message, never a rate over zero.
 */
export async function childPopulations(
  db: Db,
  laId: string,
  wanted: readonly (BreakdownKey | "all")[],
): Promise<Map<BreakdownKey | "all", Map<string, number>>> {
  for (const breakdown of wanted) {
    if (breakdown !== "all" && !populationBreakdowns.includes(breakdown)) {
      throw new KpiError(
        "A rate per 10,000 children can only be broken down by age band, sex or ethnicity",
      );
    }
  }
  const keys = wanted.filter((b) => b !== "all");
  const columns = keys.map((k) => sql.ref(k));
  const sets = wanted.map((b) => (b === "all" ? sql`()` : sql`(${sql.ref(b)})`));
  const grouping = keys.length > 0 ? sql`grouping(${sql.join(columns)})` : sql`0`;
  const result = await sql<Record<string, string | number | null>>`
    select ${grouping}::int as unset ${sql.join(
      columns.map((c) => sql`, ${c}`),
      sql``,
    )}, sum(children)::int as children, count(*)::int as n
    from child_population where la_id = ${laId}
    group by grouping sets (${sql.join(sets)})`.execute(db);
  // The empty grouping set gives a row even for no population: its count is then 0.
  if (!result.rows.some((r) => Number(r.n) > 0)) {
    throw new KpiError(
      "This council's child population is not configured, so rates per 10,000 children cannot be shown",
    );
  }
  const all = (1 << keys.length) - 1;
  const populations = new Map<BreakdownKey | "all", Map<string, number>>(
    wanted.map((b) => [b, new Map()]),
  );
  for (const row of result.rows) {
    const unset = Number(row.unset);
    const index = keys.findIndex((_k, i) => (unset & (1 << (keys.length - 1 - i))) === 0);
    const key = unset === all ? "all" : (keys[index] as BreakdownKey);
    populations.get(key)?.set(key === "all" ? "all" : String(row[key]), Number(row.children));
  }
  return populations;
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
  const key = breakdown ?? "all";
  const populations = await childPopulations(db, laId, [key]);
  return populations.get(key) ?? new Map<string, number>();
}
