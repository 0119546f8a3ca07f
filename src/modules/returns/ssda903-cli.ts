/**
 * `trellis returns 903 --year 2024-25 --out DIR [--la CODE]`: writes the SSDA903 tables Trellis
 * holds, one CSV per table named as the DfE names it, from the records of the whole council.
 * Producing a return is a council-wide read: it writes one `returns.generate` audit row naming
 * every child included, in the same transaction as the reads. Progress goes to stderr, as for
 * `trellis returns cin` (decision 0040).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAudit } from "../../audit/audit.ts";
import { isSsda903Year, ssda903Years, type TableName } from "../../domain/ssda903/model.ts";
import type { Db } from "../../platform/database.ts";
import { readGenerateArgs } from "./cli-args.ts";
import { chooseCouncil } from "./council-choice.ts";
import { streamProgress } from "./run-progress.ts";
import { generate903, tableCsv } from "./ssda903-generate.ts";

const usage = `Usage: trellis returns 903 --year ${ssda903Years.join("|")} --out DIR [--la CODE]`;

export async function generate903Command(
  db: Db,
  args: string[],
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const options = readGenerateArgs(args, usage, isSsda903Year);
  if (!options) return 2;
  const council = await chooseCouncil(db, options.la);
  if (!council) return 2;
  const { year, out } = options;
  const progress = streamProgress(stderr);
  let generated;
  try {
    await progress.progress("Reading the council's records");
    generated = await db.transaction().execute(async (tx) => {
      const result = await generate903(tx, council.id, year);
      await writeAudit(
        tx,
        { userId: null, laId: council.id, organisationId: null },
        {
          action: "returns.generate",
          outcome: "allowed",
          personIds: [...result.personByChildId.values()],
          subjectType: "return",
          summary: {
            return: "903",
            year,
            scope: "council-wide",
            via: "command line",
            children: result.personByChildId.size,
          },
        },
        new Date(),
      );
      return result;
    });
    await mkdir(out, { recursive: true });
    const tables = Object.entries(generated.tables);
    for (const [i, [table, rows]] of tables.entries()) {
      await progress.progress("Writing the tables", i, tables.length, "tables");
      await writeFile(join(out, `${table}.csv`), tableCsv(table as TableName, rows), "utf8");
    }
    await progress.progress("Writing the tables", tables.length, tables.length, "tables");
  } finally {
    await progress.close();
  }
  for (const [table, rows] of Object.entries(generated.tables)) {
    console.log(`${table}.csv: ${String(rows.length)} rows`);
  }
  console.log(`Not held by Trellis yet, so not written: ${generated.notHeld.join(", ")}`);
  return 0;
}
