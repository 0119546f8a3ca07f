/**
 * Returns benchmark (`npm run bench -- returns`): the CIN census rules on a generated file of
 * 15,000 children read from disk (target: the rules alone under 2 s), reading that file, and
 * peak memory (the largest process.memoryUsage().rss seen). Pure domain code: no database.
 * The file is synthetic, made from the clean fixture with one child in twenty given a fault,
 * so the rules report failures as they would on a real return. Options: --children N,
 * --year 2024-25|2025-26, --runs N (rules timed N times; the median is reported).
 * Then, on a PostgreSQL server, the census generated from the large demo council's records
 * (bench/returns-generate.ts) and Annex A, on the shared large demo database (bench/
 * large-demo.ts). JSON lines on stdout; a summary on stderr.
 */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { cleanChild } from "../src/domain/cin-census/fixture.ts";
import {
  censusPeriod,
  isCollectionYear,
  type CinCensus,
  type CinChild,
} from "../src/domain/cin-census/model.ts";
import { readCensusFile } from "../src/domain/cin-census/read-xml.ts";
import { rulesFor, validateCensus } from "../src/domain/cin-census/rules/index.ts";
import { writeCensusXml } from "../src/domain/cin-census/write-xml.ts";
import { benchGeneration } from "./returns-generate.ts";
import { runAnnexABench } from "./returns-annex-a.ts";

const SUITE = "returns";

function emit(metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ suite: SUITE, metric, value: Math.round(value * 100) / 100, unit }));
}

/** Every twentieth child has one of a few common faults. */
function generatedChild(year: "2024-25" | "2025-26", n: number): CinChild {
  const child = cleanChild(year, n);
  const episode = child.CINdetails[0];
  if (n % 20 === 0 && episode) delete episode.PrimaryNeedCode;
  if (n % 20 === 5) delete child.ChildIdentifiers.UPN;
  if (n % 20 === 10 && episode) episode.ReasonForClosure = "RC2";
  if (n % 20 === 15) child.ChildCharacteristics.Disabilities = ["MOB"];
  return child;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function runReturnsBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      children: { type: "string", default: "15000" },
      year: { type: "string", default: "2024-25" },
      runs: { type: "string", default: "5" },
    },
  });
  const year = values.year;
  const children = Number(values.children);
  const runs = Number(values.runs);
  if (!isCollectionYear(year) || !Number.isInteger(children) || !Number.isInteger(runs)) {
    throw new Error("Use --children N --year 2024-25|2025-26 --runs N");
  }
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const dir = await mkdtemp(path.join(tmpdir(), "trellis-bench-returns-"));
  try {
    const census: CinCensus = {
      header: { Collection: "CIN", ReferenceDate: censusPeriod(year).referenceDate, LEA: "938" },
      children: Array.from({ length: children }, (_, i) => generatedChild(year, i + 1)),
    };
    const file = path.join(dir, "cin.xml");
    await writeFile(file, writeCensusXml(census));
    const bytes = (await stat(file)).size;

    const readStarted = performance.now();
    const readCpu = process.cpuUsage();
    const read = await readCensusFile(file);
    const readMs = performance.now() - readStarted;
    const readCpuUsed = process.cpuUsage(readCpu);
    if (!read.ok) throw new Error(read.message);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const timings: number[] = [];
    const cpuTimings: number[] = [];
    let failures = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      failures = validateCensus(read.census, year).length;
      timings.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpuTimings.push((used.user + used.system) / 1000);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const rulesMs = median(timings);

    emit("cin_children", read.census.children.length, "count");
    emit("cin_file_mb", bytes / 1048576, "MB");
    // CPU time beside wall time: on a shared machine the wall time measures the neighbours too.
    emit("cin_read_ms", readMs, "ms");
    emit("cin_read_cpu_ms", (readCpuUsed.user + readCpuUsed.system) / 1000, "ms");
    emit("cin_rules_ms", rulesMs, "ms");
    emit("cin_rules_cpu_ms", median(cpuTimings), "ms");
    emit("cin_rules_count", rulesFor(year).length, "count");
    emit("cin_failures", failures, "count");
    emit("peak_rss_mb", peakRss / 1048576, "MB");
    console.error(
      `CIN census ${year}: ${String(children)} children (${(bytes / 1048576).toFixed(1)} MB) read in ` +
        `${readMs.toFixed(0)} ms; ${String(rulesFor(year).length)} rules in ${rulesMs.toFixed(0)} ms ` +
        `(${median(cpuTimings).toFixed(0)} ms CPU; median of ${String(runs)}; target < 2000 ms), ${String(failures)} failures; ` +
        `peak RSS ${(peakRss / 1048576).toFixed(0)} MB.`,
    );
  } finally {
    clearInterval(sample);
    await rm(dir, { recursive: true, force: true });
  }
  // On PostgreSQL: the census generated from the large demo council's records.
  await benchGeneration(emit);
  // Annex A on the large demo council on PostgreSQL (bench/returns-annex-a.ts).
  await runAnnexABench(["--runs", String(runs)]);
}
