/**
 * `trellis returns 903 --year 2024-25 --out DIR [--la CODE]`: writes the SSDA903 tables Trellis
 * holds, one CSV per table named as the DfE names it, from the records of the whole council.
 * Producing a return is a council-wide read: it writes one `returns.generate` audit row naming
 * every child included, in the same transaction as the reads.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeAudit } from "../../audit/audit.ts";
import { isSsda903Year, ssda903Years, type TableName } from "../../domain/ssda903/model.ts";
import type { Db } from "../../platform/database.ts";
import { generate903, tableCsv } from "./ssda903-generate.ts";

const usage = `Usage: trellis returns 903 --year ${ssda903Years.join("|")} --out DIR [--la CODE]`;

export async function generate903Command(db: Db, args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { year: { type: "string" }, out: { type: "string" }, la: { type: "string" } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const { year, out } = values;
  if (!isSsda903Year(year) || !out) {
    console.error(usage);
    return 2;
  }
  const councils = await db
    .selectFrom("local_authority")
    .select(["id", "code"])
    .$if(values.la !== undefined, (q) => q.where("code", "=", values.la ?? ""))
    .execute();
  const council = councils[0];
  if (!council || councils.length > 1) {
    console.error(
      council
        ? `trellis: this database holds several councils (${councils.map((c) => c.code).join(", ")}): choose one with --la CODE`
        : `trellis: no council${values.la ? ` with code ${values.la}` : ""} in this database`,
    );
    return 2;
  }
  const generated = await db.transaction().execute(async (tx) => {
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
  for (const [table, rows] of Object.entries(generated.tables)) {
    await writeFile(join(out, `${table}.csv`), tableCsv(table as TableName, rows), "utf8");
    console.log(`${table}.csv: ${String(rows.length)} rows`);
  }
  console.log(`Not held by Trellis yet, so not written: ${generated.notHeld.join(", ")}`);
  return 0;
}
