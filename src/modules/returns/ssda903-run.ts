/**
 * One kept run of the SSDA903 (decision 0037): generate the tables from the records, run the
 * year's rules against them and against last year's stored run, and keep one CSV per table
 * with the failures (return_run kind '903', return_failure naming the table and the record
 * each failing row came from). Two people generating the same year at once get one run, as
 * with the CIN census (cin-run.ts).
 */
import { sql } from "kysely";
import { readReturnFiles } from "../../domain/ssda903/read-csv.ts";
import {
  isSsda903Year,
  type Ssda903Return,
  type Ssda903Year,
  type TableName,
} from "../../domain/ssda903/model.ts";
import { validate903 } from "../../domain/ssda903/rules/index.ts";
import type { Db } from "../../platform/database.ts";
import { runMadeWhileWaiting, type RunSummary } from "./run-lock.ts";
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
    .orderBy("generated_at", "desc")
    .executeTakeFirst();
}

export async function run903(
  db: Db,
  who: { laId: string; userId: string },
  year: Ssda903Year,
): Promise<RunSummary & { personIds: string[] }> {
  const concurrent = await runMadeWhileWaiting(db, who.laId, "903", year);
  if (concurrent) return { ...concurrent, personIds: [] };

  const generated = await generate903(db, who.laId, year);
  const last = await previousRun(db, who.laId, year);
  const failures = validate903(generated.tables, year, returnOfFiles(last?.files ?? null));
  const files: Record<string, string> = {};
  for (const [table, rows] of Object.entries(generated.tables)) {
    files[table] = tableCsv(table as TableName, rows);
  }
  const run = await db
    .insertInto("return_run")
    .values({
      la_id: who.laId,
      return_kind: "903",
      collection_year: year,
      generated_by: who.userId,
      generated_at: sql<Date>`clock_timestamp()`,
      children: generated.personByChildId.size,
      // The 903's rules list has no severity: every failure is an error (decision 0035).
      errors: failures.length,
      queries: 0,
      // The 903 is CSV with no schema to pass; its column checks are the rules'.
      schema_valid: true,
      file_xml: "",
      files: JSON.stringify(files),
      previous_run_id: last?.id ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const rows = failures.map((f, position) => ({
    run_id: run.id,
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
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db
      .insertInto("return_failure")
      .values(rows.slice(i, i + INSERT_BATCH))
      .execute();
  }
  return {
    id: run.id,
    children: generated.personByChildId.size,
    errors: failures.length,
    queries: 0,
    schemaValid: true,
    made: true,
    personIds: [...generated.personByChildId.values()],
  };
}
