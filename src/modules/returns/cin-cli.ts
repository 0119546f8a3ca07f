/**
 * `trellis returns cin --year 2024-25 --out FILE.xml [--la CODE]`: generates the CIN census
 * from the records of the whole council, checks it against the DfE's XML schema and every
 * rule of the year, and writes the XML (decision 0040). Producing a return is a council-wide
 * read, audited as a run from the page is: one `returns.generate` row with its counts, written
 * as soon as the return is made. Progress goes to stderr (a bar on a terminal, a line a stage
 * otherwise); the summary to stdout. The file is written even with error-level failures, so
 * it can be inspected, but the command then exits 1: such a file is not to be sent.
 */
import { writeFile } from "node:fs/promises";
import { writeAudit } from "../../audit/audit.ts";
import { collectionYears, isCollectionYear } from "../../domain/cin-census/model.ts";
import type { Db } from "../../platform/database.ts";
import { readGenerateArgs } from "./cli-args.ts";
import { produceCinCensus } from "./cin-run.ts";
import { chooseCouncil } from "./council-choice.ts";
import { streamProgress } from "./run-progress.ts";
import { failureSummary } from "./validate-cli.ts";

const usage = `Usage: trellis returns cin --year ${collectionYears.join("|")} --out FILE.xml [--la CODE]`;

export async function generateCinCommand(
  db: Db,
  args: string[],
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const options = readGenerateArgs(args, usage, isCollectionYear);
  if (!options) return 2;
  const council = await chooseCouncil(db, options.la);
  if (!council) return 2;
  const { year, out } = options;
  const progress = streamProgress(stderr);
  const now = new Date();
  let made;
  try {
    made = await produceCinCensus(db, council.id, year, now, progress.progress);
  } finally {
    await progress.close();
  }
  await writeAudit(
    db,
    { userId: null, laId: council.id, organisationId: null },
    {
      action: "returns.generate",
      outcome: "allowed",
      subjectType: "return",
      summary: {
        return: "cin",
        year,
        scope: "council-wide",
        via: "command line",
        children: made.children,
        errors: made.errors,
        queries: made.queries,
      },
    },
    now,
  );
  await writeFile(out, made.xml, "utf8");
  console.log(failureSummary(made.failures, made.children));
  const schema = made.schema.valid
    ? "passes the DfE's XML schema"
    : `does not pass the DfE's XML schema (${String(made.schema.errors.length)} problems)`;
  console.log(
    `Wrote ${out} for council ${council.code}: ${String(made.children)} children, ${String(made.errors)} errors, ${String(made.queries)} queries; the file ${schema}.`,
  );
  if (made.errors > 0 || !made.schema.valid) {
    console.log("Fix the errors and run it again before sending the file to the DfE.");
    return 1;
  }
  return 0;
}
