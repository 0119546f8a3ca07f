/**
 * Foundation benchmark (`npm run bench -- foundation`): on a generated large LA (at least
 * 100,000 people) on a PostgreSQL server,
 *  - person search p50/p95, as a social worker (their visible set) and across the whole LA
 *    (the emergency-access scope, every person a candidate);
 *  - the child's record page under 20 concurrent users over loopback: p50/p95 and requests per
 *    second, against the same reads run directly in SQL at the same concurrency.
 * Figures are JSON lines on stdout; a human summary goes to stderr.
 *
 * Uses BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test, and
 * works in a scratch database `trellis_bench` on that server (dropped and recreated).
 * Options: --keep reuses an existing trellis_bench database (skips generation).
 */
import { signInOverHttp } from "./support.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { loadActor } from "../src/access/actor.ts";
import { generateDemo, demoPassword } from "../src/demo/generate.ts";
import { hashPassword } from "../src/modules/auth/passwords.ts";
import { findSession } from "../src/modules/auth/sessions.ts";
import { findVisiblePerson, recordDetails, searchPeople } from "../src/modules/people/queries.ts";
import { openServer, type Database } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";

const SUITE = "foundation";
const USERS = Number(process.env.BENCH_USERS ?? 20);
const REQUESTS_PER_USER = 100;
const SEARCHES = 200;
const PACED_INTERVAL_MS = (USERS * 1000) / 50;

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

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A deterministic misspelling: swap one inner letter for the next one in the alphabet. */
function misspell(name: string, i: number): string {
  if (name.length < 4) return name;
  const at = 1 + (i % (name.length - 2));
  const c = name.charCodeAt(at);
  const next = c >= 97 && c < 122 ? String.fromCharCode(c + 1) : name[at];
  return name.slice(0, at) + (next ?? "") + name.slice(at + 1);
}

async function prepare(
  adminUrl: string,
  keep: boolean,
): Promise<{ url: string; database: Database }> {
  const url = withDatabase(adminUrl, "trellis_bench");
  const admin = openServer(adminUrl, 1);
  if (!keep) {
    await admin.exec("drop database if exists trellis_bench with (force)");
    await admin.exec("create database trellis_bench");
  }
  await admin.close();
  const database = openServer(url, USERS);
  await migrate(database);
  if (!keep) {
    const started = performance.now();
    const summary = await generateDemo(database.db, {
      size: "large",
      seed: 1,
      passwordHash: await hashPassword(demoPassword),
      today: new Date().toISOString().slice(0, 10),
    });
    const seconds = (performance.now() - started) / 1000;
    emit("large_demo_generation_s", seconds, "s");
    emit("large_demo_people", summary.counts.people, "count");
    console.error(
      `Generated the large demo in ${seconds.toFixed(1)} s: ${JSON.stringify(summary.counts)}`,
    );
    await database.exec("analyze");
  }
  return { url, database };
}

/** Social workers with at least one allocated child, and one such child each. */
async function workersWithChildren(database: Database, count: number) {
  return database.db
    .selectFrom("allocation as a")
    .innerJoin("app_user as u", "u.id", "a.worker_id")
    .select(["u.id as user_id", "u.email", sql<string>`min(a.person_id::text)`.as("person_id")])
    .where("u.role", "=", "social_worker")
    .where("a.end_date", "is", null)
    .groupBy(["u.id", "u.email"])
    .orderBy("u.email")
    .limit(count)
    .execute();
}

async function benchSearch(database: Database): Promise<void> {
  const [worker] = await workersWithChildren(database, 1);
  if (!worker) throw new Error("no allocated social worker in the demo");
  const actor = await loadActor(database.db, worker.user_id);
  if (!actor) throw new Error("worker not loadable");
  const people = await database.db
    .selectFrom("person")
    .select(["given_name", "family_name"])
    .orderBy("id")
    .limit(SEARCHES)
    .execute();
  const now = new Date();
  for (const scope of ["visible", "break_glass"] as const) {
    const timings: number[] = [];
    let found = 0;
    for (const [i, p] of people.entries()) {
      const name = `${p.given_name} ${misspell(p.family_name.toLowerCase(), i)}`;
      const t = performance.now();
      const hits = await searchPeople(database.db, actor, { name, dateOfBirth: null }, now, scope);
      timings.push(performance.now() - t);
      if (hits.length > 0) found += 1;
    }
    const label = scope === "visible" ? "person_search" : "person_search_whole_la";
    emit(`${label}_p50_ms`, percentile(timings, 50), "ms");
    emit(`${label}_p95_ms`, percentile(timings, 95), "ms");
    console.error(
      `Search (${scope === "visible" ? "as a social worker" : "whole LA, emergency-access scope"}): ` +
        `p50 ${percentile(timings, 50).toFixed(1)} ms, p95 ${percentile(timings, 95).toFixed(1)} ms; ` +
        `${String(found)}/${String(people.length)} misspelt names found something`,
    );
  }
}

async function startService(url: string, port: number): Promise<ChildProcess> {
  const child = spawn("node", ["bin/trellis.js", "serve"], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 200; i += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${String(port)}/health`);
      if (response.ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("the service did not start");
}

/** Runs `work` for each of USERS virtual users REQUESTS_PER_USER times; latencies and rate. */
async function concurrently(
  work: (user: number) => Promise<void>,
): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: USERS }, async (_, user) => {
      for (let i = 0; i < REQUESTS_PER_USER; i += 1) {
        const t = performance.now();
        await work(user);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { latencies, perSecond: latencies.length / seconds };
}

async function benchRecordPage(database: Database, url: string): Promise<void> {
  const workers = await workersWithChildren(database, USERS);
  if (workers.length < USERS) throw new Error("not enough allocated workers in the demo");
  const port = await freePort();
  const service = await startService(url, port);
  try {
    const base = `http://127.0.0.1:${String(port)}`;
    const cookies = await Promise.all(workers.map((w) => signInOverHttp(base, w.email)));
    const page = async (user: number): Promise<void> => {
      const worker = workers[user];
      const response = await fetch(`${base}/people/${String(worker?.person_id)}`, {
        headers: { cookie: cookies[user] ?? "", accept: "text/html" },
      });
      await response.arrayBuffer();
      if (response.status !== 200)
        throw new Error(`record page answered ${String(response.status)}`);
    };
    for (let user = 0; user < USERS; user += 1) await page(user); // warm up
    const http = await concurrently(page);
    // The same 20 users at a steady pace (each asks every PACED_INTERVAL_MS, 50 req/s in all):
    // the latency a user sees when the service is busy but not saturated.
    const paced: number[] = [];
    const started = new Set<number>();
    await concurrently(async (user) => {
      // Users start spread over one interval, as real users do, not all at the same instant.
      if (!started.has(user)) {
        started.add(user);
        await new Promise((resolve) => setTimeout(resolve, (user * PACED_INTERVAL_MS) / USERS));
      }
      const t = performance.now();
      await page(user);
      const took = performance.now() - t;
      paced.push(took);
      if (took < PACED_INTERVAL_MS) {
        await new Promise((resolve) => setTimeout(resolve, PACED_INTERVAL_MS - took));
      }
    });

    // The same reads, straight through Kysely on a pool of the same size: session, actor,
    // the person, and the record's details (the page's queries, without HTTP, page or audit).
    const tokens = cookies.map((c) => c.split("=")[1] ?? "");
    const now = new Date();
    const policy = { idleMinutes: 30, absoluteHours: 10 };
    const reads = async (user: number): Promise<void> => {
      const db = database.db;
      const session = await findSession(db, tokens[user], now, policy);
      const actor = session ? await loadActor(db, session.userId) : undefined;
      const personId = String(workers[user]?.person_id);
      if (!actor) throw new Error("no actor");
      const person = await findVisiblePerson(db, actor, personId, now);
      if (!person) throw new Error("person not visible");
      await recordDetails(db, actor, person, now);
    };
    const sql = await concurrently(reads);

    emit("record_page_p50_ms", percentile(http.latencies, 50), "ms");
    emit("record_page_p95_ms", percentile(http.latencies, 95), "ms");
    emit("record_page_rps", http.perSecond, "req/s");
    emit("record_page_paced_50rps_p95_ms", percentile(paced, 95), "ms");
    emit("record_reads_sql_p95_ms", percentile(sql.latencies, 95), "ms");
    emit("record_reads_sql_rps", sql.perSecond, "req/s");
    emit("record_page_to_sql_rps_ratio", http.perSecond / sql.perSecond, "ratio");
    console.error(
      `Record page, ${String(USERS)} concurrent users: p50 ${percentile(http.latencies, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(http.latencies, 95).toFixed(1)} ms, ${http.perSecond.toFixed(0)} req/s. ` +
        `Same reads in SQL: p95 ${percentile(sql.latencies, 95).toFixed(1)} ms, ${sql.perSecond.toFixed(0)} req/s. ` +
        `Ratio ${(http.perSecond / sql.perSecond).toFixed(2)}. ` +
        `At a steady 50 req/s: p95 ${percentile(paced, 95).toFixed(1)} ms (request time only).`,
    );
  } finally {
    service.kill();
  }
}

export async function runFoundationBench(args: string[]): Promise<void> {
  const adminUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  const { url, database } = await prepare(adminUrl, args.includes("--keep"));
  try {
    const people = await database.db
      .selectFrom("person")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    console.error(`Benchmarking on ${String(people.n)} people (PostgreSQL server).`);
    await benchSearch(database);
    await benchRecordPage(database, url);
  } finally {
    await database.close();
  }
}
