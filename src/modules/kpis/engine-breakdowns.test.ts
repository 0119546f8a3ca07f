import { beforeAll, describe, expect, it } from "vitest";
import type { KpiScope } from "../../access/kpis.ts";
import { measureOf, measures } from "../../domain/kpis/measures.ts";
import type { Database } from "../../platform/database.ts";
import type { World } from "../../../test/support/world.ts";
import { sql } from "kysely";
import { cohorts, repeatedKeys } from "./cohorts.ts";
import { computeMeasure, computeMeasureBreakdowns, computeMeasures } from "./engine.ts";
import { setUpKpiWorld } from "./test-support.ts";

let database: Database;
let world: World;
beforeAll(async () => {
  ({ database, world } = await setUpKpiWorld());
});

const params = () => ({
  laId: world.laId,
  from: "2025-04-01",
  to: "2026-03-31",
  today: "2026-03-02",
});

const computed = measures.filter((m) => !m.notRecorded);

describe("every breakdown of a measure in one statement (decision 0036)", () => {
  it("gives each breakdown the counts it has alone, for the council and for one team", async () => {
    const scopes: KpiScope[] = [
      { kind: "council" },
      { kind: "teams", teamIds: [world.teams.fsA] },
      { kind: "teams", teamIds: [world.teams.fsB] },
    ];
    let nonEmpty = 0;
    for (const scope of scopes) {
      for (const measure of computed) {
        if (scope.kind === "teams" && measure.unit === "rate_per_10k") continue;
        const breakdowns = [undefined, ...measure.breakdowns];
        // Counted afresh both ways: a kept figure (decision 0041) would compare with itself.
        const together = await computeMeasureBreakdowns(
          database.db,
          { measure, params: params(), scope, breakdowns },
          { reuse: false },
        );
        expect([...together.keys()]).toEqual(breakdowns.map((b) => b ?? "all"));
        for (const breakdown of breakdowns) {
          const alone = await computeMeasure(
            database.db,
            { measure, params: params(), scope, breakdown },
            { reuse: false },
          );
          expect(
            together.get(breakdown ?? "all"),
            `${measure.key} by ${breakdown ?? "all"}`,
          ).toEqual(alone);
          if (alone.length > 0) nonEmpty += 1;
        }
      }
    }
    // The small world gives most lines some rows: the comparison is not of empty lists.
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it("counts a child once in a group however many rows place them there", async () => {
    // Two missing episodes of one child in February: one child in the denominator, by sex too.
    const measure = measureOf("missing_per_child");
    if (!measure) throw new Error("measure");
    const [cells] = await computeMeasures(database.db, [
      { measure, params: params(), scope: { kind: "council" }, breakdowns: [undefined, "sex"] },
    ]);
    expect(cells?.get("all")).toEqual([
      { month: "2026-02", group: "all", numerator: 2, denominator: 1 },
    ]);
    expect(cells?.get("sex")).toEqual([
      { month: "2026-02", group: "1", numerator: 2, denominator: 1 },
    ]);
  });

  it("gives rates per 10,000 each group's population, read once for every breakdown", async () => {
    const measure = measureOf("looked_after_rate");
    if (!measure) throw new Error("measure");
    const cells = await computeMeasureBreakdowns(database.db, {
      measure,
      params: params(),
      scope: { kind: "council" },
      breakdowns: [undefined, "age_band", "sex", "ethnicity"],
    });
    expect(cells.get("all")?.[0]).toEqual({
      month: "2026-01",
      group: "all",
      numerator: 1,
      denominator: 4500,
    });
    for (const key of ["age_band", "sex", "ethnicity"] as const) {
      const line = cells.get(key) ?? [];
      expect(line.length).toBeGreaterThan(0);
      for (const cell of line) expect(cell.denominator).toBeLessThanOrEqual(4500);
    }
  });
});

describe("keys counted without count(distinct)", () => {
  it("appear once in a month in every cohort that does not say they repeat", async () => {
    // A period running past today too: month ends after today must not repeat today's rows.
    for (const to of ["2026-03-31", "2026-12-31"]) {
      for (const measure of computed) {
        const cohort = cohorts[measure.key];
        if (!cohort) throw new Error(measure.key);
        const repeats = repeatedKeys[measure.key] ?? {};
        const result = await sql<{
          month: string;
          num: number;
          num_rows: number;
          den: number;
          den_rows: number;
        }>`
          select to_char(c.on_date, 'YYYY-MM') as month,
            count(distinct c.num_key)::int as num, count(c.num_key)::int as num_rows,
            count(distinct c.den_key)::int as den, count(c.den_key)::int as den_rows
          from (${cohort({ ...params(), from: "2024-01-01", to })}) c group by 1`.execute(
          database.db,
        );
        for (const row of result.rows) {
          if (!repeats.numerator) expect(row.num_rows, `${measure.key} ${row.month}`).toBe(row.num);
          if (!repeats.denominator)
            expect(row.den_rows, `${measure.key} ${row.month}`).toBe(row.den);
        }
      }
    }
  });
});
