/**
 * Audit benchmark (`npm run bench -- audit`), on a PostgreSQL server with the large demo LA:
 *  - requests per second of an audited page (the child's record) at 1, 10 and 50 concurrent
 *    users, with the sealer running (decision 0017), against the same page with the audit row
 *    written but never chained (no sealer: the ceiling), and against the design it replaced
 *    (every audited transaction locking one chain-head row until commit, reproduced by a
 *    trigger in this scratch database only). Ratios near 1 mean chaining costs requests nothing.
 *  - `trellis audit verify` over at least 1,000,000 audit rows (made with generate_series, then
 *    sealed), and the sealing itself.
 * Runs as the least-privilege roles: the owner migrates, the service connects as the runtime
 * role. Figures are JSON lines on stdout; a summary goes to stderr.
 *
 * Uses BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test (a
 * superuser), in the scratch database trellis_bench_audit, which is kept and reused while its
 * GENERATOR matches. BENCH_SECONDS (default 8) is the time per measurement.
 */
import { signInOverHttp } from "./support.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { generateDemo, demoPassword } from "../src/demo/generate.ts";
import { hashPassword } from "../src/modules/auth/passwords.ts";
import { sealAuditLog } from "../src/audit/seal.ts";
import { openServer, type Database } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";
import { createRoles, defaultRoles, grantRoles } from "../src/platform/roles.ts";

const SUITE = "audit";
const DATABASE = "trellis_bench_audit";
/** Change when the generated data changes, so the scratch database is made again. */
const GENERATOR = "large demo, seed 1; 1,000,000 audit rows; v1";
const LEVELS = [1, 10, 50];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const AUDIT_ROWS = 1_000_000;

function emit(metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ suite: SUITE, metric, value: Math.round(value * 100) / 100, unit }));
}

function urlFor(base: string, database: string, user?: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = "";
  }
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

/** The scratch database, owned by the owner role; generated unless GENERATOR matches. */
async function prepare(adminUrl: string): Promise<void> {
  const admin = openServer(adminUrl, 1);
  await createRoles(admin, defaultRoles);
  const exists = await sql<{ n: number }>`
    select count(*)::int as n from pg_database where datname = ${DATABASE}`.execute(admin.db);
  let current = false;
  if ((exists.rows[0]?.n ?? 0) > 0) {
    const probe = openServer(urlFor(adminUrl, DATABASE), 1);
    const marker = await sql<{ generator: string }>`
      select generator from bench_generator`
      .execute(probe.db)
      .catch(() => ({ rows: [] }));
    await probe.close();
    current = marker.rows[0]?.generator === GENERATOR;
  }
  if (!current) {
    await admin.exec(`drop database if exists ${DATABASE} with (force)`);
    await admin.exec(`create database ${DATABASE} owner ${defaultRoles.owner}`);
  }
  await admin.close();
  const dbAdmin = openServer(urlFor(adminUrl, DATABASE), 1);
  await grantRoles(dbAdmin, defaultRoles);
  await dbAdmin.close();
  const owner = openServer(urlFor(adminUrl, DATABASE, defaultRoles.owner), 4);
  try {
    await migrate(owner);
    if (current) {
      console.error(`Reusing ${DATABASE} (${GENERATOR}).`);
      await sealBacklog(owner);
      return;
    }
    const started = performance.now();
    // As the superuser, so the bulk load may skip foreign key checks (journeys-sink.ts).
    const superuser = openServer(urlFor(adminUrl, DATABASE), 4);
    await generateDemo(superuser.db, {
      size: "large",
      seed: 1,
      passwordHash: await hashPassword(demoPassword),
      today: new Date().toISOString().slice(0, 10),
    });
    await superuser.close();
    emit("large_demo_generation_s", (performance.now() - started) / 1000, "s");
    await owner.exec(`
      insert into audit_log (occurred_at, la_id, actor_user_id, action, outcome, person_ids, summary)
      select date_trunc('milliseconds', now()) - g * interval '1 second', u.la_id, u.id,
             'person.view', 'allowed', array[p.id], jsonb_build_object('bench', g)
      from generate_series(1, ${String(AUDIT_ROWS)}) g
      cross join lateral (select id, la_id from app_user order by id limit 1) u
      cross join lateral (select id from person order by id limit 1) p;
      create table bench_generator (generator text not null);
      insert into bench_generator values ('${GENERATOR}');
      analyze;`);
    await sealBacklog(owner);
    console.error(
      `Generated ${DATABASE} in ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    );
  } finally {
    await owner.close();
  }
}

/** Seals what the generator wrote, so the page measurements start with nothing to seal. */
async function sealBacklog(database: Database): Promise<void> {
  const started = performance.now();
  const sealed = await sealAuditLog(database.db, { wait: true });
  if (sealed === 0) return;
  const seconds = (performance.now() - started) / 1000;
  emit("seal_rows", sealed, "count");
  emit("seal_s", seconds, "s");
  console.error(`Sealed ${String(sealed)} audit rows in ${seconds.toFixed(1)} s.`);
}

type Variant = "sealed" | "unchained" | "global_lock";

async function startService(
  adminUrl: string,
  port: number,
  variant: Variant,
  auditDir: string,
): Promise<ChildProcess> {
  const never = String(24 * 3600);
  const child = spawn("node", ["bin/trellis.js", "serve"], {
    env: {
      ...process.env,
      DATABASE_URL: urlFor(adminUrl, DATABASE, defaultRoles.runtime),
      MIGRATION_DATABASE_URL: urlFor(adminUrl, DATABASE, defaultRoles.owner),
      DATABASE_POOL_SIZE: "10",
      PORT: String(port),
      HOST: "127.0.0.1",
      AUDIT_DIR: auditDir,
      AUDIT_SEAL_SECONDS: variant === "sealed" ? "1" : never,
      AUDIT_CHECKPOINT_SECONDS: variant === "sealed" ? "5" : never,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  for (let i = 0; i < 600; i += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${String(port)}/health`);
      if (response.ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`the service did not start:\n${log}`);
}

/** Social workers with an allocated child each. */
async function workers(database: Database, count: number) {
  return database.db
    .selectFrom("allocation as a")
    .innerJoin("app_user as u", "u.id", "a.worker_id")
    .select(["u.email", sql<string>`min(a.person_id::text)`.as("person_id")])
    .where("u.role", "=", "social_worker")
    .where("a.end_date", "is", null)
    .groupBy("u.email")
    .orderBy("u.email")
    .limit(count)
    .execute();
}

/** `users` users each asking for their child's record, back to back, for SECONDS. */
async function requestsPerSecond(
  base: string,
  users: { cookie: string; personId: string }[],
): Promise<number> {
  let done = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    users.map(async (u) => {
      while (performance.now() < until) {
        const response = await fetch(`${base}/people/${u.personId}`, {
          headers: { cookie: u.cookie, accept: "text/html" },
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`record page ${String(response.status)}`);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function benchPages(adminUrl: string, auditDir: string): Promise<void> {
  const superuser = openServer(urlFor(adminUrl, DATABASE), 1);
  const people = await workers(superuser, Math.max(...LEVELS));
  if (people.length < Math.max(...LEVELS)) throw new Error("not enough allocated workers");
  const results = new Map<string, number>();
  for (const variant of ["unchained", "sealed", "global_lock"] as const) {
    if (variant === "global_lock") {
      // The replaced design: each audited transaction takes one row's lock until it commits.
      await superuser.exec(`
        create table if not exists bench_chain_head (id int primary key, seq bigint not null);
        insert into bench_chain_head values (1, 0) on conflict do nothing;
        grant update, select on bench_chain_head to ${defaultRoles.runtime};
        create or replace function bench_take_chain_head() returns trigger language plpgsql as
          $$ begin update bench_chain_head set seq = seq + 1 where id = 1; return new; end $$;
        drop trigger if exists bench_global_lock on audit_log;
        create trigger bench_global_lock before insert on audit_log
          for each row execute function bench_take_chain_head();`);
    }
    const port = await freePort();
    const service = await startService(adminUrl, port, variant, auditDir);
    try {
      const base = `http://127.0.0.1:${String(port)}`;
      const signedIn = [];
      for (const p of people) {
        signedIn.push({ cookie: await signInOverHttp(base, p.email), personId: p.person_id });
      }
      await requestsPerSecond(base, signedIn.slice(0, 10)); // warm up
      for (const level of LEVELS) {
        const rps = await requestsPerSecond(base, signedIn.slice(0, level));
        results.set(`${variant}:${String(level)}`, rps);
        emit(`record_page_${variant}_${String(level)}_users_rps`, rps, "req/s");
      }
    } finally {
      service.kill();
      await once(service, "exit");
      if (variant === "global_lock") {
        await superuser.exec("drop trigger bench_global_lock on audit_log");
      }
    }
  }
  await superuser.close();
  for (const level of LEVELS) {
    const ceiling = results.get(`unchained:${String(level)}`) ?? Number.NaN;
    const sealed = (results.get(`sealed:${String(level)}`) ?? Number.NaN) / ceiling;
    const locked = (results.get(`global_lock:${String(level)}`) ?? Number.NaN) / ceiling;
    emit(`record_page_sealed_to_ceiling_${String(level)}_users`, sealed, "ratio");
    emit(`record_page_global_lock_to_ceiling_${String(level)}_users`, locked, "ratio");
    console.error(
      `${String(level).padStart(2)} users: ceiling ${ceiling.toFixed(0)} req/s; ` +
        `sealed ${sealed.toFixed(2)} of it; the old global lock ${locked.toFixed(2)} of it`,
    );
  }
}

async function benchVerify(adminUrl: string, auditDir: string): Promise<void> {
  const runtime = openServer(urlFor(adminUrl, DATABASE, defaultRoles.runtime), 2);
  let started = performance.now();
  const sealed = await sealAuditLog(runtime.db, { wait: true });
  const rows = await runtime.db
    .selectFrom("audit_seal")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  await runtime.close();
  const env = {
    ...process.env,
    DATABASE_URL: urlFor(adminUrl, DATABASE, defaultRoles.runtime),
    MIGRATION_DATABASE_URL: urlFor(adminUrl, DATABASE, defaultRoles.owner),
    AUDIT_DIR: auditDir,
  };
  const trellis = async (...args: string[]): Promise<number> => {
    const child = spawn("node", ["bin/trellis.js", ...args], { env, stdio: "inherit" });
    const [code] = (await once(child, "exit")) as [number];
    return code;
  };
  await trellis("audit", "checkpoint");
  started = performance.now();
  const code = await trellis("audit", "verify");
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error("audit verify failed on the benchmark database");
  emit("audit_verify_rows", rows.n, "count");
  emit("audit_verify_s", seconds, "s");
  console.error(
    (sealed > 0 ? `Sealed ${String(sealed)} rows; ` : "") +
      `trellis audit verify over ${String(rows.n)} rows: ${seconds.toFixed(1)} s`,
  );
}

export async function runAuditBench(_args: string[]): Promise<void> {
  const adminUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  await prepare(adminUrl);
  const auditDir = await mkdtemp(path.join(tmpdir(), "trellis-bench-audit-"));
  try {
    await benchPages(adminUrl, auditDir);
    await benchVerify(adminUrl, auditDir);
  } finally {
    await rm(auditDir, { recursive: true, force: true });
  }
}
