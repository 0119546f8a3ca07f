/**
 * KPI benchmark (`npm run bench -- kpis`), issue 13: every measure for 12 months, with every
 * breakdown it allows, on the large demo council (ten years of history) on a PostgreSQL
 * server, as the engine computes them (src/modules/kpis/engine.ts): one statement per measure
 * for all its breakdowns (grouping sets, decision 0036), in one transaction. Target: under 1 s for all of them. The floor is one
 * plain scan of the referrals table (count and distinct children), and the ratio to it is
 * reported (goal: within 5 times). Medians of BENCH_RUNS runs (default 5).
 * The national-scale dataset (6 million referrals across 150 councils) is not built yet.
 *
 * The large demo database is shared with the other benchmarks and reused (bench/large-demo.ts).
 * Figures are JSON lines on stdout; a summary goes to stderr.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { measures } from "../src/domain/kpis/measures.ts";
import { computeMeasureBreakdowns, computeMeasures } from "../src/modules/kpis/engine.ts";
import { largeDemoDatabase } from "./large-demo.ts";

const SUITE = "kpis";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 1000;

function emit(metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ suite: SUITE, metric, value: Math.round(value * 100) / 100, unit }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function runKpisBench(): Promise<void> {
  const database = await largeDemoDatabase();
  try {
    const la = await sql<{ id: string; referrals: number }>`
      select r.la_id as id, count(*)::int as referrals from referral r
      group by r.la_id order by 2 desc limit 1`.execute(database.db);
    const laId = la.rows[0]?.id;
    if (!laId) throw new Error("The demo has no referrals");
    emit("referrals", la.rows[0]?.referrals ?? 0, "rows");
    const today = new Date().toISOString().slice(0, 10);
    const to = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    to.setUTCMonth(to.getUTCMonth() + 1);
    to.setUTCDate(0);
    const from = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    from.setUTCMonth(from.getUTCMonth() - 11);
    const params = {
      laId,
      from: from.toISOString().slice(0, 10),
      to: to.toISOString().slice(0, 10),
      today,
    };
    const computed = measures.filter((m) => !m.notRecorded);
    const queries = computed.map((measure) => ({
      measure,
      params,
      scope: { kind: "council" as const },
      breakdowns: [undefined, ...measure.breakdowns],
    }));
    const figures = queries.reduce((sum, q) => sum + q.breakdowns.length, 0);
    const all: number[] = [];
    const scans: number[] = [];
    const perMeasure = new Map<string, number[]>();
    for (let run = 0; run < RUNS + 1; run += 1) {
      const started = performance.now();
      await computeMeasures(database.db, queries);
      const elapsed = performance.now() - started;
      // Each measure alone, to name the slowest (not part of the total above).
      for (const q of queries) {
        const one = performance.now();
        await computeMeasureBreakdowns(database.db, q);
        if (run > 0)
          perMeasure.set(q.measure.key, [
            ...(perMeasure.get(q.measure.key) ?? []),
            performance.now() - one,
          ]);
      }
      const scanStarted = performance.now();
      await sql`select count(*), count(distinct person_id) from referral where la_id = ${laId}`.execute(
        database.db,
      );
      const scan = performance.now() - scanStarted;
      // The first run warms the cache and is not counted.
      if (run > 0) {
        all.push(elapsed);
        scans.push(scan);
      }
    }
    // A statement per measure, and one population lookup per rate per 10,000.
    const statements =
      queries.length + queries.filter((q) => q.measure.unit === "rate_per_10k").length;
    const slowest = [...perMeasure]
      .map(([key, times]) => [key, median(times)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    for (const [key, ms] of slowest) emit(`large_la_measure_${key}_ms`, ms, "ms");
    emit("large_la_breakdown_lines", figures, "count");
    const allMs = median(all);
    const scanMs = median(scans);
    emit("large_la_all_kpis_ms", allMs, "ms");
    emit("large_la_statements", statements, "count");
    emit("referral_scan_ms", scanMs, "ms");
    emit("large_la_ratio_to_scan", allMs / scanMs, "ratio");
    console.error(
      `All ${String(computed.length)} measures with their breakdowns (${String(figures)} lines, ${String(statements)} statements) for 12 months: median ${allMs.toFixed(0)} ms (target under ${String(TARGET_MS)} ms); one scan of the referrals ${scanMs.toFixed(1)} ms; ratio ${(allMs / scanMs).toFixed(1)}.`,
    );
  } finally {
    await database.close();
  }
}
