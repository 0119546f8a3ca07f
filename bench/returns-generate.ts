/**
 * The CIN census generated from the large demo council's records on PostgreSQL: generation
 * (time and children), writing the XML, XSD validation and every rule, with peak memory.
 * Target: generation plus validation (schema and rules) under 10 s. The large demo database is
 * shared with the other benchmarks and reused (bench/large-demo.ts).
 */
import { performance } from "node:perf_hooks";
import { collectionYears, censusPeriod } from "../src/domain/cin-census/model.ts";
import { validateCensus } from "../src/domain/cin-census/rules/index.ts";
import { writeCensusXml } from "../src/domain/cin-census/write-xml.ts";
import { demoCensusYear } from "../src/demo/census.ts";
import { generateCinCensus } from "../src/modules/returns/cin-generate.ts";
import { checkCensus } from "../src/modules/returns/cin-run.ts";
import { throttled } from "../src/modules/returns/run-progress.ts";
import { validateAgainstCinSchema } from "../src/modules/returns/xsd.ts";
import { largeDemoDatabase } from "./large-demo.ts";

type Emit = (metric: string, value: number, unit: string) => void;

export async function benchGeneration(emit: Emit) {
  const database = await largeDemoDatabase();
  const today = new Date().toISOString().slice(0, 10);
  try {
    const la = await database.db
      .selectFrom("app_user")
      .select("la_id")
      .where("email", "=", "performance.officer@northmoor.example")
      .executeTakeFirstOrThrow();
    const laId = la.la_id;
    const year = demoCensusYear(today);
    let peakRss = process.memoryUsage().rss;
    const sample = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 5);
    const t0 = performance.now();
    const cpuStart = process.cpuUsage();
    const { census } = await generateCinCensus(
      database.db,
      laId,
      year,
      new Date(`${censusPeriod(year).referenceDate}T12:00:00Z`),
    );
    const t1 = performance.now();
    // As a run does it: the XML written, then the schema (in libxml2's worker) and the rules
    // at once, hearing the run's progress (throttled to one write every 250 ms; decision 0040).
    const reporter = throttled(() => Promise.resolve());
    const { xml, schema, failures } = await checkCensus(census, year, reporter.progress);
    await reporter.close();
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpuStart);
    // Each stage alone, for where the time goes.
    const s0 = performance.now();
    writeCensusXml(census);
    const s1 = performance.now();
    await validateAgainstCinSchema(xml);
    const s2 = performance.now();
    validateCensus(census, year);
    const s3 = performance.now();
    clearInterval(sample);
    emit("db_cin_children", census.children.length, "count");
    emit("db_cin_generate_ms", t1 - t0, "ms");
    emit("db_cin_check_ms", t2 - t1, "ms");
    emit("db_cin_generate_and_validate_ms", t2 - t0, "ms");
    // CPU of this process (all its threads) and of nothing else: the neighbours' load aside.
    emit("db_cin_generate_and_validate_cpu_ms", (cpu.user + cpu.system) / 1000, "ms");
    emit("db_cin_write_xml_alone_ms", s1 - s0, "ms");
    emit("db_cin_xsd_alone_ms", s2 - s1, "ms");
    emit("db_cin_rules_alone_ms", s3 - s2, "ms");
    emit("db_cin_failures", failures.length, "count");
    emit("db_peak_rss_mb", peakRss / 1048576, "MB");
    console.error(
      `CIN census ${year} from the large demo (${collectionYears.join("/")} rules): ` +
        `${String(census.children.length)} children generated in ${(t1 - t0).toFixed(0)} ms, ` +
        `written and checked in ${(t2 - t1).toFixed(0)} ms (XSD ${schema.valid ? "valid" : "INVALID"}, ` +
        `${String(failures.length)} rule failures); total ${((t2 - t0) / 1000).toFixed(1)} s ` +
        `(target < 10 s; ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU in this process). ` +
        `Alone: XML ${(Buffer.byteLength(xml) / 1048576).toFixed(1)} MB written in ${(s1 - s0).toFixed(0)} ms, ` +
        `XSD ${(s2 - s1).toFixed(0)} ms, rules ${(s3 - s2).toFixed(0)} ms. Peak RSS ${(peakRss / 1048576).toFixed(0)} MB.`,
    );
  } finally {
    await database.close();
  }
}
