/**
 * `trellis returns feed [--dry-run] [--la CODE]`: the DfE's daily feed (decision 0034), for a
 * scheduler to run each day. Sends each changed child's document, prints a summary and exits 0
 * when everything was accepted, 1 when a document was rejected, failed, was invalid or the
 * feed is not configured, 2 for unusable arguments. `--dry-run` builds and checks every
 * document and sends nothing. The run is audited as one council-wide row.
 */
import { parseArgs } from "node:util";
import { writeAudit } from "../../audit/audit.ts";
import type { Config } from "../../platform/config.ts";
import type { Database } from "../../platform/database.ts";
import { NOT_CONFIGURED, runDfeFeed, type FeedRunResult } from "./dfe-feed-run.ts";

const usage = "Usage: trellis returns feed [--dry-run] [--la CODE]";

export function feedSummary(result: Exclude<FeedRunResult, { kind: "not_configured" }>): string {
  const c = result.counts;
  const head = `${String(c.children)} children in scope, ${String(c.unchanged)} unchanged`;
  if (result.kind === "dry_run") {
    const lines = [
      `DfE feed (dry run, nothing sent): ${head}; ${String(result.toSend)} to send, ${String(c.invalid)} invalid.`,
    ];
    for (const p of result.problems.slice(0, 20)) {
      lines.push(`    ${p.laChildId}: ${p.problems.join("; ")}`);
    }
    return lines.join("\n");
  }
  return [
    `DfE feed: ${head}; sent ${String(c.sent)} (of which purged ${String(c.purged)}), ` +
      `rejected ${String(c.rejected)}, failed ${String(c.failed)}, invalid ${String(c.invalid)}.`,
    ...(result.problem ? [result.problem] : []),
    `Run ${result.runId}.`,
  ].join("\n");
}

async function councilOf(database: Database, code: string | undefined) {
  const las = await database.db
    .selectFrom("local_authority")
    .select(["id", "code", "name"])
    .$if(code !== undefined, (q) => q.where("code", "=", code ?? ""))
    .execute();
  return las.length === 1 ? las[0] : undefined;
}

export async function feedCommand(
  args: string[],
  config: Config,
  open: () => Promise<Database>,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { "dry-run": { type: "boolean", default: false }, la: { type: "string" } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const dryRun = values["dry-run"];
  if (!config.dfeFeed && !dryRun) {
    console.error(`trellis: ${NOT_CONFIGURED}`);
    return 1;
  }
  const database = await open();
  try {
    const la = await councilOf(database, values.la);
    if (!la) {
      console.error(
        values.la
          ? `trellis: no council has the code ${values.la}.`
          : `trellis: there is not exactly one council here: name one with --la CODE.\n${usage}`,
      );
      return 2;
    }
    const result = await database.db.transaction().execute(async (tx) => {
      const outcome = await runDfeFeed(tx, {
        laId: la.id,
        startedBy: null,
        settings: config.dfeFeed,
        dryRun,
      });
      if (outcome.kind !== "not_configured") {
        await writeAudit(
          tx,
          { userId: null, laId: la.id, organisationId: null },
          {
            action: "returns.feed.send",
            outcome: "allowed",
            ...(outcome.kind === "sent"
              ? { subjectType: "dfe_feed_run", subjectId: outcome.runId }
              : {}),
            summary: { scope: "council-wide", by: "command line", dryRun, ...outcome.counts },
          },
          new Date(),
        );
      }
      return outcome;
    });
    if (result.kind === "not_configured") {
      console.error(`trellis: ${result.message}`);
      return 1;
    }
    console.log(feedSummary(result));
    const c = result.counts;
    return c.rejected + c.failed + c.invalid > 0 || (result.kind === "sent" && result.problem)
      ? 1
      : 0;
  } finally {
    await database.close();
  }
}
