/**
 * The CIN census generated from the large demo council's records on PostgreSQL: generation
 * (time and children), writing the XML, XSD validation and every rule, with peak memory.
 * Target: generation plus validation (schema and rules) under 10 s. The demo is generated
 * once into its own database, trellis_bench_returns; --keep reuses it.
 */
import { performance } from "node:perf_hooks";
import { collectionYears, censusPeriod } from "../src/domain/cin-census/model.ts";
import { validateCensus } from "../src/domain/cin-census/rules/index.ts";
import { writeCensusXml } from "../src/domain/cin-census/write-xml.ts";
import { demoPassword, generateDemo } from "../src/demo/generate.ts";
import { demoCensusYear } from "../src/demo/census.ts";
import { hashPassword } from "../src/modules/auth/passwords.ts";
import { generateCinCensus } from "../src/modules/returns/cin-generate.ts";
import { validateAgainstCinSchema } from "../src/modules/returns/xsd.ts";
import { openServer } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";

const DATABASE = "trellis_bench_returns";
type Emit = (metric: string, value: number, unit: string) => void;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function benchGeneration(adminUrl: string, keep: boolean, emit: Emit) {
  const admin = openServer(adminUrl, 1);
  if (!keep) {
    await admin.exec(`drop database if exists ${DATABASE} with (force)`);
    await admin.exec(`create database ${DATABASE}`);
  }
  await admin.close();
  const database = openServer(withDatabase(adminUrl, DATABASE), 10);
  const today = new Date().toISOString().slice(0, 10);
  try {
    await migrate(database);
    const la = await database.db.selectFrom("local_authority").select("id").executeTakeFirst();
    let laId = la?.id;
    if (!laId) {
      const started = performance.now();
      const summary = await generateDemo(database.db, {
        size: "large",
        seed: 1,
        passwordHash: await hashPassword(demoPassword),
        today,
      });
      laId = summary.laId;
      console.error(
        `Large demo generated in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      await database.exec("analyze");
    }
    const year = demoCensusYear(today);
    let peakRss = process.memoryUsage().rss;
    const sample = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 5);
    const t0 = performance.now();
    const { census } = await generateCinCensus(
      database.db,
      laId,
      year,
      new Date(`${censusPeriod(year).referenceDate}T12:00:00Z`),
    );
    const t1 = performance.now();
    const xml = writeCensusXml(census);
    const t2 = performance.now();
    const schema = await validateAgainstCinSchema(xml);
    const t3 = performance.now();
    const failures = validateCensus(census, year);
    const t4 = performance.now();
    clearInterval(sample);
    emit("db_cin_children", census.children.length, "count");
    emit("db_cin_generate_ms", t1 - t0, "ms");
    emit("db_cin_write_xml_ms", t2 - t1, "ms");
    emit("db_cin_xsd_ms", t3 - t2, "ms");
    emit("db_cin_rules_ms", t4 - t3, "ms");
    emit("db_cin_generate_and_validate_ms", t4 - t0, "ms");
    emit("db_cin_failures", failures.length, "count");
    emit("db_peak_rss_mb", peakRss / 1048576, "MB");
    console.error(
      `CIN census ${year} from the large demo (${collectionYears.join("/")} rules): ` +
        `${String(census.children.length)} children generated in ${(t1 - t0).toFixed(0)} ms, ` +
        `XML ${(Buffer.byteLength(xml) / 1048576).toFixed(1)} MB written in ${(t2 - t1).toFixed(0)} ms, ` +
        `XSD ${schema.valid ? "valid" : "INVALID"} in ${(t3 - t2).toFixed(0)} ms, ` +
        `${String(failures.length)} rule failures in ${(t4 - t3).toFixed(0)} ms; ` +
        `total ${((t4 - t0) / 1000).toFixed(1)} s (target < 10 s); peak RSS ${(peakRss / 1048576).toFixed(0)} MB.`,
    );
  } finally {
    await database.close();
  }
}
