/**
 * One kept run of the SSDA903 (decision 0037): generate the tables from the records, run the
 * year's rules against them and against last year's stored run, and keep one CSV per table
 * with the failures (return_run kind '903', return_failure naming the table and the record
 * each failing row came from). Started by run-lock.ts (two people starting the same year get
 * one run) and done in the background, saying how far it has got (decision 0040).
 */
import { readReturnFiles } from "../../domain/ssda903/read-csv.ts";
import {
  isSsda903Year,
  type Ssda903Return,
  type Ssda903Year,
  type TableName,
} from "../../domain/ssda903/model.ts";
import { rulesFor, runRule, type RuleFailure } from "../../domain/ssda903/rules/index.ts";
import { writeAudit } from "../../audit/audit.ts";
import type { Db } from "../../platform/database.ts";
import { finishRun, type RunSummary } from "./run-lock.ts";
import { noProgress, yieldingEvery, type Progress } from "./run-progress.ts";
import { generate903, tableCsv } from "./ssda903-generate.ts";

const INSERT_BATCH = 1000;

/** The collection year before this one ("2024-25" -> "2023-24"). */
export function yearBefore(year: string): string {
  const first = Number(year.slice(0, 4)) - 1;
  return `${String(first)}-${String(first + 1).slice(2)}`;
}

/** A kept run's files back as a return (the CSVs Trellis wrote, read as any system's). */
export function returnOfFiles(files: Record<string, string> | null): Ssda903Return | undefined {
  if (!files) return undefined;
  const read = readReturnFiles(
    Object.entries(files).map(([table, text]) => ({
      name: `${table}.csv`,
      bytes: Buffer.from(text, "utf8"),
    })),
  );
  return read.ok ? read.tables : undefined;
}

/** The latest kept run of last year's 903 for the council, if there is one. */
export async function previousRun(db: Db, laId: string, year: Ssda903Year) {
  const before = yearBefore(year);
  if (!isSsda903Year(before)) return undefined;
  return db
    .selectFrom("return_run")
    .select(["id", "files", "generated_at"])
    .where("la_id", "=", laId)
    .where("return_kind", "=", "903")
    .where("collection_year", "=", before)
    .where("status", "=", "done")
    .orderBy("generated_at", "desc")
    .executeTakeFirst();
}

/** The 903's rules over the tables, one at a time, letting the event loop run between them. */
export async function check903(
  tables: Ssda903Return,
  year: Ssda903Year,
  previous: Ssda903Return | undefined,
  progress: Progress = noProgress,
): Promise<RuleFailure[]> {
  const rules = rulesFor(year, tables, previous);
  const children = (tables.Header ?? []).length.toLocaleString("en-GB");
  const stage = `Checking ${children} children against the DfE's rules`;
  const failures: RuleFailure[] = [];
  const breathe = yieldingEvery();
  for (const [i, rule] of rules.entries()) {
    await progress(stage, i, rules.length, "rules");
    failures.push(...runRule(rule, tables, year, previous));
    await breathe();
  }
  await progress(stage, rules.length, rules.length, "rules");
  return failures;
}

/**
 * A started run's work: generate the tables, audit the council-wide read naming every child
 * included (as the page always has), run the rules with last year's kept run, and keep one
 * CSV per table and the failures on the run.
 */
export async function complete903Run(
  db: Db,
  runId: string,
  who: { laId: string; userId: string; organisationId: string },
  year: Ssda903Year,
  now: Date,
  progress: Progress,
): Promise<RunSummary> {
  await progress("Reading the council's records");
  const generated = await generate903(db, who.laId, year);
  const children = generated.personByChildId.size;
  // The read is audited as soon as it is made, whatever becomes of the run.
  await writeAudit(
    db,
    who,
    {
      action: "returns.generate",
      outcome: "allowed",
      personIds: [...generated.personByChildId.values()],
      subjectType: "return_run",
      subjectId: runId,
      summary: { return: "903", year, scope: "council-wide", children },
    },
    now,
  );
  const last = await previousRun(db, who.laId, year);
  const failures = await check903(
    generated.tables,
    year,
    returnOfFiles(last?.files ?? null),
    progress,
  );
  await progress("Writing the tables");
  const files: Record<string, string> = {};
  for (const [table, rows] of Object.entries(generated.tables)) {
    files[table] = tableCsv(table as TableName, rows);
  }
  const rows = failures.map((f, position) => ({
    run_id: runId,
    la_id: who.laId,
    position,
    rule: f.rule,
    severity: "error" as const,
    person_id: f.childId === null ? null : (generated.personByChildId.get(f.childId) ?? null),
    la_child_id: f.childId,
    field: f.field,
    value: f.value ?? null,
    crashed: f.crashed ?? null,
    table_name: f.crashed === undefined ? f.table : null,
    record_id: f.row === null ? null : (generated.recordIds[f.table]?.[f.row] ?? null),
  }));
  await db.transaction().execute(async (tx) => {
    await finishRun(tx, runId, {
      children,
      // The 903's rules list has no severity: every failure is an error (decision 0035).
      errors: failures.length,
      queries: 0,
      // The 903 is CSV with no schema to pass; its column checks are the rules'.
      schemaValid: true,
      files: JSON.stringify(files),
      previousRunId: last?.id ?? null,
    });
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await progress("Saving the report", i, rows.length, "failures");
      await tx
        .insertInto("return_failure")
        .values(rows.slice(i, i + INSERT_BATCH))
        .execute();
    }
  });
  return { id: runId, children, errors: failures.length, queries: 0, schemaValid: true };
}
