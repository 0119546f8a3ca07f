/**
 * Journey benchmark (`npm run bench -- journey`), for issue 3: on a large LA with ten years of
 * history (at least 200,000 referrals) on a PostgreSQL server,
 *  - the time to generate the demo, journeys included;
 *  - GET /my-work as the social worker with the most open allocations, p50 and p95;
 *  - GET /people/<id>/chronology for the child with the longest chronology, as the social
 *    worker allocated to them, p50 and p95.
 * Targets: each page's p95 under 100 ms. Requests go over HTTP to the real app (buildApp,
 * listening on a free loopback port) with sessions signed in through the sign-in form; any
 * answer but 200 stops the benchmark with an error.
 * Figures are JSON lines on stdout; a human summary goes to stderr.
 *
 * Uses BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test, and
 * works in a scratch database `trellis_bench_journey` on that server (dropped and recreated).
 * Options: --keep reuses an existing trellis_bench_journey database (skips generation).
 */
import { signInOverHttp } from "./support.ts";
import { performance } from "node:perf_hooks";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { buildApp } from "../src/app.ts";
import { demoPassword, generateDemo } from "../src/demo/generate.ts";
import { longHistoryChild } from "../src/demo/journeys.ts";
import { hashPassword } from "../src/modules/auth/passwords.ts";
import { loadConfig } from "../src/platform/config.ts";
import { openServer, type Database } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";

const SUITE = "journey";
const DATABASE = "trellis_bench_journey";
const WARM_UP = 5;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const TARGET_P95_MS = 100;
const MIN_REFERRALS = 200_000;

function emit(metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ suite: SUITE, metric, value: Math.round(value * 100) / 100, unit }));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function prepare(adminUrl: string, keep: boolean): Promise<Database> {
  const admin = openServer(adminUrl, 1);
  if (!keep) {
    await admin.exec(`drop database if exists ${DATABASE} with (force)`);
    await admin.exec(`create database ${DATABASE}`);
  }
  await admin.close();
  const database = openServer(withDatabase(adminUrl, DATABASE), 10);
  await migrate(database);
  if (!keep) {
    const passwordHash = await hashPassword(demoPassword);
    const started = performance.now();
    const summary = await generateDemo(database.db, {
      size: "large",
      seed: 1,
      passwordHash,
      today: new Date().toISOString().slice(0, 10),
    });
    const seconds = (performance.now() - started) / 1000;
    emit("demo_generate_s", seconds, "s");
    console.error(
      `Generated the large demo with its journeys in ${seconds.toFixed(1)} s: ${JSON.stringify(summary.counts)}`,
    );
    await database.exec("analyze");
  }
  return database;
}

async function count(database: Database, table: "referral" | "chronology_entry" | "person") {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The social worker holding the most open allocations: the fullest "My work". */
async function busiestWorker(database: Database): Promise<{ email: string; open: number }> {
  const row = await sql<{ email: string; open: number }>`
    select u.email, count(*)::int as open from allocation a join app_user u on u.id = a.worker_id
    where a.end_date is null and u.role = 'social_worker'
    group by u.email order by count(*) desc, u.email limit 1`.execute(database.db);
  const found = row.rows[0];
  if (!found) throw new Error("no social worker with open allocations in the demo");
  return found;
}

/** Latencies of `REQUESTS` sequential GETs of `path` after a warm-up; any non-200 throws. */
async function timeGets(base: string, path: string, cookie: string): Promise<number[]> {
  const get = async (): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { cookie, accept: "text/html" } });
    await response.arrayBuffer();
    const took = performance.now() - started;
    if (response.status !== 200) {
      throw new Error(
        `GET ${path} answered ${String(response.status)}, not 200: is the route built?`,
      );
    }
    return took;
  };
  for (let i = 0; i < WARM_UP; i++) await get();
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) latencies.push(await get());
  return latencies;
}

function report(name: string, metric: string, latencies: number[]): void {
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  emit(`${metric}_median_ms`, p50, "ms");
  emit(`${metric}_p95_ms`, p95, "ms");
  const verdict = p95 < TARGET_P95_MS ? "within" : "OVER";
  console.error(
    `${name}: median ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${verdict} the ${String(TARGET_P95_MS)} ms target), ${String(latencies.length)} requests.`,
  );
}

export async function runJourneyBench(args: string[]): Promise<void> {
  const adminUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  const database = await prepare(adminUrl, args.includes("--keep"));
  let app: FastifyInstance | undefined;
  try {
    const referrals = await count(database, "referral");
    emit("referrals", referrals, "count");
    emit("chronology_entries", await count(database, "chronology_entry"), "count");
    console.error(
      `Benchmarking on ${String(referrals)} referrals, ${String(await count(database, "person"))} people (PostgreSQL server).`,
    );
    if (referrals < MIN_REFERRALS) {
      throw new Error(
        `the large demo holds ${String(referrals)} referrals, fewer than ${String(MIN_REFERRALS)}`,
      );
    }
    const worker = await busiestWorker(database);
    const child = await longHistoryChild(database.db);
    emit("my_work_open_allocations", worker.open, "count");
    emit("chronology_child_entries", child.entries, "count");

    app = await buildApp({ database, config: { ...loadConfig(), databaseUrl: adminUrl } });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const base = `http://127.0.0.1:${String(address.port)}`;

    const myWork = await timeGets(base, "/my-work", await signInOverHttp(base, worker.email));
    report(`My work (${String(worker.open)} open allocations)`, "my_work", myWork);
    const chronology = await timeGets(
      base,
      `/people/${child.personId}/chronology`,
      await signInOverHttp(base, child.workerEmail),
    );
    report(`Chronology (${String(child.entries)} entries)`, "chronology", chronology);
  } finally {
    await app?.close();
    await database.close();
  }
}
