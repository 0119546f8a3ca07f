/**
 * The large demo council in one scratch database on a PostgreSQL server, shared by the
 * benchmarks that read it (returns, Annex A, KPIs). Generating it takes many minutes, so it is
 * kept and reused while the demo generator is unchanged: the database records a hash of
 * src/demo/ and is made again when that hash differs. Migrations added since are applied on
 * reuse.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { demoPassword, generateDemo } from "../src/demo/generate.ts";
import { hashPassword } from "../src/modules/auth/passwords.ts";
import { openServer, type Database } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";

// BENCH_LARGE_DATABASE names a copy (made with `create database ... template trellis_bench_large`)
// for a branch whose migrations should not reach the shared one.
const DATABASE = process.env.BENCH_LARGE_DATABASE ?? "trellis_bench_large";
const demoDir = fileURLToPath(new URL("../src/demo/", import.meta.url));

/** The admin URL the benchmarks use: BENCH_DATABASE_URL, else DATABASE_URL, else local. */
export function benchAdminUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test"
  );
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A hash of the demo generator's code: the data it makes changes only when this does. */
export async function generatorVersion(): Promise<string> {
  const hash = createHash("sha256");
  const files = (await readdir(demoDir, { recursive: true }))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort();
  for (const file of files) {
    hash.update(file);
    hash.update(await readFile(path.join(demoDir, file)));
  }
  return `large demo, seed 1, ${hash.digest("hex").slice(0, 16)}`;
}

/** Opens the large demo database, generating it first when it is missing or out of date. */
export async function largeDemoDatabase(adminUrl = benchAdminUrl()): Promise<Database> {
  const version = await generatorVersion();
  const admin = openServer(adminUrl, 1);
  const exists = await sql<{ n: number }>`
    select count(*)::int as n from pg_database where datname = ${DATABASE}`.execute(admin.db);
  let current = false;
  if ((exists.rows[0]?.n ?? 0) > 0) {
    const probe = openServer(withDatabase(adminUrl, DATABASE), 1);
    const marker = await sql<{ generator: string }>`select generator from bench_generator`
      .execute(probe.db)
      .catch(() => ({ rows: [] as { generator: string }[] }));
    await probe.close();
    current = marker.rows[0]?.generator === version;
  }
  if (!current) {
    await admin.exec(`drop database if exists ${DATABASE} with (force)`);
    await admin.exec(`create database ${DATABASE}`);
  }
  await admin.close();
  const database = openServer(withDatabase(adminUrl, DATABASE), 4);
  await migrate(database);
  if (current) {
    console.error(`Reusing ${DATABASE} (${version}).`);
    return database;
  }
  const started = performance.now();
  await generateDemo(database.db, {
    size: "large",
    seed: 1,
    passwordHash: await hashPassword(demoPassword),
    today: new Date().toISOString().slice(0, 10),
  });
  // A synthetic child population for every council without one, so that rates are computed.
  await database.exec(`
    insert into child_population (la_id, age_band, sex, ethnicity, children, source)
    select la.id, b.age_band, s.sex, e.ethnicity, 2000, 'Synthetic, for the benchmark'
    from local_authority la
    cross join (values ('under_1'), ('1_4'), ('5_9'), ('10_15'), ('16_17')) b(age_band)
    cross join (values ('1'), ('2')) s(sex)
    cross join (values ('WBRI'), ('WOTH'), ('MWBC'), ('AIND'), ('APKN'), ('BCRB'), ('BAFR'))
      e(ethnicity)
    where not exists (select 1 from child_population p where p.la_id = la.id)
    on conflict do nothing;
    create table bench_generator (generator text not null);
    insert into bench_generator values ('${version}');
    analyze;`);
  console.error(
    `Generated ${DATABASE} in ${((performance.now() - started) / 1000).toFixed(0)} s (${version}).`,
  );
  return database;
}
