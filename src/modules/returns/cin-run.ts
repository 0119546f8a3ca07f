/**
 * One run of the CIN census: generate from the records, check the file against the DfE's XML
 * schema, run every rule of the year, and keep the file and its failures (return_run,
 * return_failure). The run is started by run-lock.ts (two people starting the same return
 * get one run) and done in the background, saying how far it has got (decision 0040).
 */
import type { CinCensus, CollectionYear } from "../../domain/cin-census/model.ts";
import {
  ruleByCode,
  rulesFor,
  runRule,
  type RuleFailure,
} from "../../domain/cin-census/rules/index.ts";
import { writeCensusXml } from "../../domain/cin-census/write-xml.ts";
import { writeAudit } from "../../audit/audit.ts";
import type { Db } from "../../platform/database.ts";
import { finishRun, type RunSummary } from "./run-lock.ts";
import { noProgress, yieldingEvery, type Progress } from "./run-progress.ts";
import { generateCinCensus } from "./cin-generate.ts";
import { validateAgainstCinSchema } from "./xsd.ts";

const INSERT_BATCH = 1000;

/**
 * The census as XML, checked against the DfE's schema and by every rule of the year. The
 * rules are whole-return checks, so progress counts rules, not children; the loop lets the
 * event loop run between rules so the progress is written and other requests are answered.
 */
export async function checkCensus(
  census: CinCensus,
  year: CollectionYear,
  progress: Progress = noProgress,
) {
  const children = census.children.length.toLocaleString("en-GB");
  await progress(`Writing the census file for ${children} children`);
  const xml = writeCensusXml(census);
  // The schema check runs in libxml2's worker thread while the rules run here.
  const schemaState = { done: false };
  const schemaCheck = validateAgainstCinSchema(xml).finally(() => (schemaState.done = true));
  const rules = rulesFor(year);
  const failures: RuleFailure[] = [];
  const breathe = yieldingEvery();
  const stage = `Checking ${children} children against the DfE's rules`;
  for (const [i, rule] of rules.entries()) {
    await progress(stage, i, rules.length, "rules");
    failures.push(...runRule(rule, census, year));
    await breathe();
  }
  await progress(stage, rules.length, rules.length, "rules");
  if (!schemaState.done) await progress("Checking the file against the DfE's XML schema");
  return { xml, failures, schema: await schemaCheck };
}

/** Generated and checked, with what the run's report and the command line need. */
export async function produceCinCensus(
  db: Db,
  laId: string,
  year: CollectionYear,
  now: Date,
  progress: Progress = noProgress,
) {
  await progress("Reading the council's records");
  const { census, personByChildId } = await generateCinCensus(db, laId, year, now);
  const checked = await checkCensus(census, year, progress);
  const severityOf = (code: string) =>
    ruleByCode(code)?.severity === "query" ? ("query" as const) : ("error" as const);
  const errors = checked.failures.filter(
    (f) => f.crashed !== undefined || severityOf(f.rule) === "error",
  ).length;
  return {
    ...checked,
    census,
    personByChildId,
    severityOf,
    children: census.children.length,
    errors,
    queries: checked.failures.length - errors,
  };
}

/**
 * A started run's work: produce the census, audit the council-wide read as the page always
 * has (the actor who started it, naming the run), and keep the file and failures on the run.
 */
export async function completeCinRun(
  db: Db,
  runId: string,
  who: { laId: string; userId: string; organisationId: string },
  year: CollectionYear,
  now: Date,
  progress: Progress,
): Promise<RunSummary> {
  const made = await produceCinCensus(db, who.laId, year, now, progress);
  const rows = made.failures.map((f, position) => ({
    run_id: runId,
    la_id: who.laId,
    position,
    rule: f.rule,
    severity: f.crashed !== undefined ? ("error" as const) : made.severityOf(f.rule),
    person_id: f.childId === null ? null : (made.personByChildId.get(f.childId) ?? null),
    la_child_id: f.childId,
    field: f.field,
    value: f.value ?? null,
    crashed: f.crashed ?? null,
  }));
  // The read is audited as soon as it is made, whatever becomes of the run.
  await writeAudit(
    db,
    who,
    {
      action: "returns.generate",
      outcome: "allowed",
      subjectType: "return_run",
      subjectId: runId,
      summary: {
        return: "cin",
        year,
        scope: "council-wide",
        children: made.children,
        errors: made.errors,
        queries: made.queries,
      },
    },
    now,
  );
  await db.transaction().execute(async (tx) => {
    await finishRun(tx, runId, {
      children: made.children,
      errors: made.errors,
      queries: made.queries,
      schemaValid: made.schema.valid,
      schemaErrors: JSON.stringify(made.schema.errors),
      fileXml: made.xml,
    });
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await progress("Saving the report", i, rows.length, "failures");
      await tx
        .insertInto("return_failure")
        .values(rows.slice(i, i + INSERT_BATCH))
        .execute();
    }
  });
  return {
    id: runId,
    children: made.children,
    errors: made.errors,
    queries: made.queries,
    schemaValid: made.schema.valid,
  };
}
