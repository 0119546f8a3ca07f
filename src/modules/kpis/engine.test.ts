import { beforeAll, describe, expect, it } from "vitest";
import type { KpiScope } from "../../access/kpis.ts";
import { measureOf, type BreakdownKey } from "../../domain/kpis/measures.ts";
import type { Database } from "../../platform/database.ts";
import type { World } from "../../../test/support/world.ts";
import { cohortChildrenByGroup, computeMeasure, KpiError, type Cell } from "./engine.ts";
import { setUpKpiWorld } from "./test-support.ts";

let database: Database;
let world: World;
beforeAll(async () => {
  ({ database, world } = await setUpKpiWorld());
});

const council: KpiScope = { kind: "council" };
const params = (laId = world.laId) => ({
  laId,
  from: "2025-04-01",
  to: "2026-03-31",
  today: "2026-03-02",
});

async function cells(key: string, scope = council, breakdown?: BreakdownKey, laId?: string) {
  const measure = measureOf(key);
  if (!measure) throw new Error(key);
  return computeMeasure(database.db, { measure, params: params(laId), scope, breakdown });
}
const count = (month: string, numerator: number, denominator: number, group = "all"): Cell => ({
  month,
  group,
  numerator,
  denominator,
});

describe("each measure on a small world with known answers", () => {
  it("counts a re-referral within 12 months, and not the other council's referral", async () => {
    expect(await cells("re_referrals")).toEqual([
      count("2025-06", 0, 1),
      count("2025-12", 1, 2),
      count("2026-01", 0, 1),
    ]);
  });

  it("counts assessments within their 45 working days, and those ending in no further action", async () => {
    expect(await cells("assessments_in_45_days")).toEqual([
      count("2025-08", 1, 1),
      count("2026-02", 0, 1),
    ]);
    expect(await cells("assessments_nfa")).toEqual([
      count("2025-08", 1, 1),
      count("2026-02", 0, 1),
    ]);
    expect(await cells("parental_substance_misuse")).toEqual([
      count("2025-08", 0, 1),
      count("2026-02", 1, 1),
    ]);
    expect(await cells("parental_mental_health")).toEqual([
      count("2025-08", 1, 1),
      count("2026-02", 0, 1),
    ]);
  });

  it("counts strategy discussions with all three statutory partners, and late initial conferences", async () => {
    expect(await cells("strategy_all_partners")).toEqual([count("2025-12", 1, 2)]);
    expect(await cells("icpc_in_15_days")).toEqual([count("2026-01", 0, 1)]);
    expect(await cells("cp_plans_repeat")).toEqual([count("2026-01", 0, 1)]);
  });

  it("counts children looked after at each month end, entries to care and the rate per 10,000", async () => {
    expect(await cells("looked_after")).toEqual([
      count("2026-01", 1, 0),
      count("2026-02", 1, 0),
      count("2026-03", 1, 0),
    ]);
    expect(await cells("entries_to_care")).toEqual([count("2026-01", 1, 0)]);
    // 4,500 children in the population: 1 / 4,500 x 10,000 = 2.2 per 10,000.
    expect((await cells("looked_after_rate"))[0]).toEqual(count("2026-01", 1, 4500));
  });

  it("counts missing episodes, episodes per child and return interviews within 72 hours", async () => {
    expect(await cells("missing_episodes")).toEqual([count("2026-02", 2, 0)]);
    expect(await cells("missing_per_child")).toEqual([count("2026-02", 2, 1)]);
    expect(await cells("return_interviews_72h")).toEqual([count("2026-02", 1, 2)]);
  });

  it("counts children per worker at each month end, by worker", async () => {
    const byWorker = await cells("caseload_per_worker", council, "worker");
    const february = byWorker.filter((c) => c.month === "2026-02");
    expect(february).toEqual([
      count("2026-02", 1, 1, "as.a"),
      count("2026-02", 3, 1, "sw.a"),
      count("2026-02", 1, 1, "sw.b"),
    ]);
  });

  it("counts children in need at month ends, and those in need for abuse or neglect", async () => {
    const inNeed = await cells("children_in_need");
    expect(inNeed.find((c) => c.month === "2025-07")).toEqual(count("2025-07", 1, 0));
    expect(inNeed.find((c) => c.month === "2026-02")).toEqual(count("2026-02", 3, 0));
    const neglect = await cells("abuse_or_neglect_need");
    expect(neglect.find((c) => c.month === "2026-02")).toEqual(count("2026-02", 1, 3));
  });
});

describe("breakdowns and scope", () => {
  it("breaks a measure down by team, sex and primary need", async () => {
    expect(await cells("re_referrals", council, "team")).toContainEqual(
      count("2025-12", 1, 1, "Family Safeguarding A"),
    );
    expect(await cells("re_referrals", council, "sex")).toEqual([
      count("2025-06", 0, 1, "2"),
      count("2025-12", 0, 1, "1"),
      count("2025-12", 1, 1, "2"),
      count("2026-01", 0, 1, "2"),
    ]);
    expect(await cells("re_referrals", council, "primary_need")).toContainEqual(
      count("2025-12", 0, 1, "N1"),
    );
  });

  it("keeps a team manager's figures to their own teams", async () => {
    const teamA: KpiScope = { kind: "teams", teamIds: [world.teams.fsA] };
    expect(await cells("re_referrals", teamA)).toEqual([
      count("2025-06", 0, 1),
      count("2025-12", 1, 1),
      count("2026-01", 0, 1),
    ]);
    expect(await cells("missing_episodes", teamA)).toEqual([]);
  });

  it("counts the children of a cohort by group for disproportionality", async () => {
    const measure = measureOf("cp_plans_repeat");
    if (!measure) throw new Error("measure");
    const byEthnicity = await cohortChildrenByGroup(database.db, {
      measure,
      params: params(),
      scope: council,
      breakdown: "ethnicity",
    });
    expect([...byEthnicity]).toEqual([["WBRI", 1]]);
  });

  it("says a council has no child population configured instead of dividing by zero", async () => {
    await expect(cells("looked_after_rate", council, undefined, world.otherLaId)).rejects.toThrow(
      KpiError,
    );
    await expect(cells("looked_after_rate", council, "team")).rejects.toThrow(
      /only be broken down by age band, sex or ethnicity/,
    );
  });
});
