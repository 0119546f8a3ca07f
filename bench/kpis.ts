/**
 * KPI benchmark (`npm run bench -- kpis`), issue 13: every measure for 12 months, with every
 * breakdown it allows, on a PostgreSQL server, as the engine computes them
 * (src/modules/kpis/engine.ts): one statement per measure for all its breakdowns (grouping
 * sets, decision 0036), in one transaction. Target: under 1 s for all of them on the large
 * demo council (ten years of history). The floor is one plain scan of the referrals table
 * (count and distinct children), and the ratio to it is reported (goal: within 5 times).
 * Then the same on the national-scale dataset (bench/national.ts: about 6 million referrals
 * across 150 councils; target under 10 s): the engine computes one council at a time (a
 * figure's scope is one council, decision 0033), so it times the largest council there, and
 * every council one after another only when BENCH_KPIS_EVERY_COUNCIL=1 (slow).
 * Medians of BENCH_RUNS runs (default 5) after one warm-up run. BENCH_KPIS_NATIONAL=0 skips
 * the national dataset, BENCH_KPIS_LARGE=0 the large demo.
 *
 * Figures are JSON lines on stdout; a summary goes to stderr.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { measures } from "../src/domain/kpis/measures.ts";
import { computeMeasureBreakdowns, computeMeasures } from "../src/modules/kpis/engine.ts";
import type { Db } from "../src/platform/database.ts";
import { largeDemoDatabase } from "./large-demo.ts";
import { nationalDatabase } from "./national.ts";

const SUITE = "kpis";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 1000;
const NATIONAL_TARGET_MS = 10_000;

function emit(metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ suite: SUITE, metric, value: Math.round(value * 100) / 100, unit }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The last 12 months to the end of this one, as the dashboards ask. */
function periodFor(laId: string) {
  const today = new Date().toISOString().slice(0, 10);
  const to = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  to.setUTCMonth(to.getUTCMonth() + 1);
  to.setUTCDate(0);
  const from = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  from.setUTCMonth(from.getUTCMonth() - 11);
  return {
    laId,
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
    today,
  };
}

const computed = measures.filter((m) => !m.notRecorded);
const queriesFor = (laId: string) =>
  computed.map((measure) => ({
    measure,
    params: periodFor(laId),
    scope: { kind: "council" as const },
    breakdowns: [undefined, ...measure.breakdowns],
  }));

/** Councils by their number of referrals, most first. */
async function councils(db: Db): Promise<{ id: string; referrals: number }[]> {
  const result = await sql<{ id: string; referrals: number }>`
    select r.la_id as id, count(*)::int as referrals from referral r
    group by r.la_id order by 2 desc`.execute(db);
  return result.rows;
}

/**
 * Times every measure with every breakdown for one council: the median of RUNS runs of the
 * whole set, each measure's own median (to name the slowest), and one referral scan's.
 */
async function timeCouncil(db: Db, laId: string, prefix: string, target: number): Promise<void> {
  const queries = queriesFor(laId);
  const lines = queries.reduce((sum, q) => sum + q.breakdowns.length, 0);
  const all: number[] = [];
  const afterWrite: number[] = [];
  const scans: number[] = [];
  const perMeasure = new Map<string, number[]>();
  for (let run = 0; run < RUNS + 1; run += 1) {
    // A write to a table the measures read (one that changes no row still counts as one):
    // every kept figure is then out of date, and the next read counts them all again.
    await sql`update referral set closed_on = closed_on where false`.execute(db);
    const cold = performance.now();
    await computeMeasures(db, queries);
    const coldMs = performance.now() - cold;
    // Nothing written since: the figures just counted are reused (decision 0041).
    const started = performance.now();
    await computeMeasures(db, queries);
    const elapsed = performance.now() - started;
    // Each measure alone, counted afresh, to name the slowest (not part of the totals above).
    for (const q of queries) {
      const one = performance.now();
      await computeMeasureBreakdowns(db, q, { reuse: false });
      const ms = performance.now() - one;
      if (run > 0) perMeasure.set(q.measure.key, [...(perMeasure.get(q.measure.key) ?? []), ms]);
    }
    const scanStarted = performance.now();
    await sql`select count(*), count(distinct person_id) from referral where la_id = ${laId}`.execute(
      db,
    );
    const scan = performance.now() - scanStarted;
    // The first run warms the cache and is not counted.
    if (run > 0) {
      all.push(elapsed);
      afterWrite.push(coldMs);
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
  for (const [key, ms] of slowest) emit(`${prefix}_measure_${key}_ms`, ms, "ms");
  const allMs = median(all);
  const scanMs = median(scans);
  emit(`${prefix}_all_kpis_ms`, allMs, "ms");
  emit(`${prefix}_breakdown_lines`, lines, "count");
  emit(`${prefix}_statements`, statements, "count");
  emit(`${prefix}_referral_scan_ms`, scanMs, "ms");
  emit(`${prefix}_ratio_to_scan`, allMs / scanMs, "ratio");
  const afterWriteMs = median(afterWrite);
  emit(`${prefix}_all_kpis_after_write_ms`, afterWriteMs, "ms");
  emit(`${prefix}_after_write_ratio_to_scan`, afterWriteMs / scanMs, "ratio");
  console.error(
    `${prefix}: all ${String(queries.length)} measures with their breakdowns (${String(lines)} lines, ${String(statements)} statements when counted) for 12 months: median ${allMs.toFixed(0)} ms with nothing written since the last read (target under ${String(target)} ms), ${afterWriteMs.toFixed(0)} ms for the first read after a write; one scan of the council's referrals ${scanMs.toFixed(1)} ms; ratios ${(allMs / scanMs).toFixed(1)} and ${(afterWriteMs / scanMs).toFixed(1)}.`,
  );
}

async function largeDemo(): Promise<void> {
  const database = await largeDemoDatabase();
  try {
    const [la] = await councils(database.db);
    if (!la) throw new Error("The demo has no referrals");
    emit("referrals", la.referrals, "rows");
    await timeCouncil(database.db, la.id, "large_la", TARGET_MS);
  } finally {
    await database.close();
  }
}

async function national(): Promise<void> {
  const database = await nationalDatabase();
  try {
    const all = await councils(database.db);
    const [la] = all;
    if (!la) throw new Error("The national dataset has no referrals");
    emit("national_councils", all.length, "count");
    emit(
      "national_referrals",
      all.reduce((sum, c) => sum + c.referrals, 0),
      "rows",
    );
    emit("national_la_referrals", la.referrals, "rows");
    await timeCouncil(database.db, la.id, "national_one_la", NATIONAL_TARGET_MS);
    if (process.env.BENCH_KPIS_EVERY_COUNCIL === "1") {
      // Every council's dashboard one after another, once each: what a national view would
      // cost if it were the sum of the councils' (the engine has no all-councils scope).
      const started = performance.now();
      for (const c of all) await computeMeasures(database.db, queriesFor(c.id));
      const ms = performance.now() - started;
      emit("national_every_la_one_after_another_ms", ms, "ms");
      console.error(
        `national: all measures for each of ${String(all.length)} councils one after another: ${ms.toFixed(0)} ms (target under ${String(NATIONAL_TARGET_MS)} ms for a national view).`,
      );
    }
  } finally {
    await database.close();
  }
}

export async function runKpisBench(): Promise<void> {
  if (process.env.BENCH_KPIS_LARGE !== "0") await largeDemo();
  if (process.env.BENCH_KPIS_NATIONAL !== "0") await national();
}
