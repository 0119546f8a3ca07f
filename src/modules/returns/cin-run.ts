/**
 * One run of the CIN census: generate from the records, check the file against the DfE's XML
 * schema, run every rule of the year, and keep the file and its failures (return_run,
 * return_failure). Two people generating the same return at once get one run (run-lock.ts).
 */
import { sql } from "kysely";
import type { CinCensus, CollectionYear } from "../../domain/cin-census/model.ts";
import { ruleByCode, validateCensus } from "../../domain/cin-census/rules/index.ts";
import { writeCensusXml } from "../../domain/cin-census/write-xml.ts";
import type { Db } from "../../platform/database.ts";
import { runMadeWhileWaiting, type RunSummary } from "./run-lock.ts";
import { generateCinCensus } from "./cin-generate.ts";
import { validateAgainstCinSchema } from "./xsd.ts";

const INSERT_BATCH = 1000;

/** The census as XML, checked against the DfE's schema and by every rule of the year. */
export async function checkCensus(census: CinCensus, year: CollectionYear) {
  const xml = writeCensusXml(census);
  // The schema check runs in libxml2's worker thread while the rules run here.
  const schemaCheck = validateAgainstCinSchema(xml);
  const failures = validateCensus(census, year);
  return { xml, failures, schema: await schemaCheck };
}

export async function runCinCensus(
  db: Db,
  who: { laId: string; userId: string },
  year: CollectionYear,
  now: Date,
): Promise<RunSummary> {
  const concurrent = await runMadeWhileWaiting(db, who.laId, "cin", year);
  if (concurrent) return concurrent;

  const { census, personByChildId } = await generateCinCensus(db, who.laId, year, now);
  const { xml, schema, failures } = await checkCensus(census, year);
  const severityOf = (code: string) =>
    ruleByCode(code)?.severity === "query" ? ("query" as const) : ("error" as const);
  const errors = failures.filter((f) => f.crashed !== undefined || severityOf(f.rule) === "error");

  const run = await db
    .insertInto("return_run")
    .values({
      la_id: who.laId,
      return_kind: "cin",
      collection_year: year,
      generated_by: who.userId,
      generated_at: sql<Date>`clock_timestamp()`,
      children: census.children.length,
      errors: errors.length,
      queries: failures.length - errors.length,
      schema_valid: schema.valid,
      schema_errors: JSON.stringify(schema.errors),
      file_xml: xml,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const rows = failures.map((f, position) => ({
    run_id: run.id,
    la_id: who.laId,
    position,
    rule: f.rule,
    severity: f.crashed !== undefined ? ("error" as const) : severityOf(f.rule),
    person_id: f.childId === null ? null : (personByChildId.get(f.childId) ?? null),
    la_child_id: f.childId,
    field: f.field,
    value: f.value ?? null,
    crashed: f.crashed ?? null,
  }));
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db
      .insertInto("return_failure")
      .values(rows.slice(i, i + INSERT_BATCH))
      .execute();
  }
  return {
    id: run.id,
    children: census.children.length,
    errors: errors.length,
    queries: failures.length - errors.length,
    schemaValid: schema.valid,
    made: true,
  };
}
