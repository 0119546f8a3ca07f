/**
 * Annex A on the large demo council on PostgreSQL, run by `npm run bench -- returns` after the
 * CIN census rules, on the shared large demo database (bench/large-demo.ts): times generating every list for the six
 * months to today (the median of --runs) and writing the workbook, with the rows per list.
 * JSON lines on stdout; a summary on stderr.
 */
import { performance } from "node:perf_hooks";
import { annexAPeriod } from "../src/domain/annex-a/codes.ts";
import { generateAnnexA } from "../src/modules/returns/annex-a.ts";
import { annexAWorkbook } from "../src/modules/returns/annex-a-workbook.ts";
import { largeDemoDatabase } from "./large-demo.ts";

const SUITE = "returns";

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) {
  const rounded = Math.round(value * 100) / 100;
  console.log(JSON.stringify({ suite: SUITE, metric, value: rounded, unit, ...extra }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function runAnnexABench(args: string[]): Promise<void> {
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const today = new Date().toISOString().slice(0, 10);
  const database = await largeDemoDatabase();
  try {
    // The demo performance officer's council: the large one.
    const la = await database.db
      .selectFrom("app_user")
      .innerJoin("local_authority", "local_authority.id", "app_user.la_id")
      .select(["local_authority.id", "local_authority.name"])
      .where("app_user.email", "=", "performance.officer@northmoor.example")
      .executeTakeFirstOrThrow();
    const period = annexAPeriod(today);
    const timings: number[] = [];
    let annexA = await generateAnnexA(database.db, la.id, period);
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      annexA = await generateAnnexA(database.db, la.id, period);
      timings.push(performance.now() - started);
    }
    const writeStarted = performance.now();
    const workbook = await annexAWorkbook(annexA, la.name);
    const writeMs = performance.now() - writeStarted;
    const rows = Object.fromEntries(annexA.lists.map((l) => [l.list, l.rows.length]));
    const problems = annexA.lists.reduce((n, l) => n + l.problems.length, 0);
    emit("annex_a_generate_ms", median(timings), "ms", { rows, runs });
    for (const list of annexA.lists) {
      emit(`annex_a_rows_${list.list.replace(" ", "_").toLowerCase()}`, list.rows.length, "rows");
    }
    emit("annex_a_workbook_ms", writeMs, "ms");
    emit("annex_a_workbook_mb", workbook.length / 1048576, "MB");
    emit("annex_a_problems", problems, "count");
    console.error(
      `Annex A for ${la.name}, ${period.from} to ${period.to}: generated in ${median(timings).toFixed(0)} ms ` +
        `(median of ${String(runs)}), workbook written in ${writeMs.toFixed(0)} ms ` +
        `(${(workbook.length / 1048576).toFixed(1)} MB); ${String(problems)} values to fix; rows ${JSON.stringify(rows)}.`,
    );
  } finally {
    await database.close();
  }
}
