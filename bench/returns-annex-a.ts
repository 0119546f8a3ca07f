/**
 * Annex A on the large demo council on PostgreSQL, run by `npm run bench -- returns` after the
 * CIN census rules: generates the large demo into a scratch database
 * `trellis_bench_annex_a` (reused with --keep), then times generating every list for the six
 * months to today (the median of --runs) and writing the workbook, with the rows per list.
 * JSON lines on stdout; a summary on stderr.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { annexAPeriod } from "../src/domain/annex-a/codes.ts";
import { generateDemo, demoPassword } from "../src/demo/generate.ts";
import { generateAnnexA } from "../src/modules/returns/annex-a.ts";
import { annexAWorkbook } from "../src/modules/returns/annex-a-workbook.ts";
import { hashPassword } from "../src/modules/auth/passwords.ts";
import { openServer, type Database } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";

const SUITE = "returns";
const DATABASE = "trellis_bench_annex_a";

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) {
  const rounded = Math.round(value * 100) / 100;
  console.log(JSON.stringify({ suite: SUITE, metric, value: rounded, unit, ...extra }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function prepare(adminUrl: string, keep: boolean, today: string): Promise<Database> {
  const admin = openServer(adminUrl, 1);
  const exists = await sql<{ n: number }>`
    select count(*)::int as n from pg_database where datname = ${DATABASE}`.execute(admin.db);
  const generate = !keep || exists.rows[0]?.n === 0;
  if (generate) {
    await admin.exec(`drop database if exists ${DATABASE} with (force)`);
    await admin.exec(`create database ${DATABASE}`);
  }
  await admin.close();
  const database = openServer(withDatabase(adminUrl, DATABASE), 4);
  await migrate(database);
  if (generate) {
    const started = performance.now();
    const passwordHash = await hashPassword(demoPassword);
    await generateDemo(database.db, { size: "large", seed: 1, passwordHash, today });
    await database.exec("analyze");
    console.error(
      `Generated the large demo in ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    );
  }
  return database;
}

export async function runAnnexABench(args: string[]): Promise<void> {
  const adminUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const today = new Date().toISOString().slice(0, 10);
  const database = await prepare(adminUrl, args.includes("--keep"), today);
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
