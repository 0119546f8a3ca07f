/**
 * One run of the DfE's daily feed (decision 0034). Every in-scope child's document is built
 * and hashed; a child is sent when its hash differs from the one the DfE last accepted
 * (`dfe_feed_child`), with `purge` entries for episodes and items sent before and gone now. A
 * child sent before who is now merged away or deleted (out of scope) is sent as a purge. Only
 * a send the receiver accepted (2xx) updates `dfe_feed_child`, so a refused or failed child is
 * simply different again next run: no change can be missed. Every send is recorded
 * (`dfe_feed_send`) and the run keeps its counts (`dfe_feed_run`).
 *
 * The run works in the caller's transaction, under a per-council advisory lock, so two runs
 * never send the same change twice at once. If the transaction is lost, so is the record of
 * what it sent: the next run sends those children again, which the DfE takes as a repeat.
 */
import { sql } from "kysely";
import { documentHash, documentItems, withPurges } from "../../domain/dfe-feed/changes.ts";
import { childDocument } from "../../domain/dfe-feed/document.ts";
import { feedDocumentProblems } from "../../domain/dfe-feed/validate.ts";
import type { DfeFeedConfig } from "../../platform/config.ts";
import type { Db } from "../../platform/database.ts";
import { feedLaCode, readFeedChildren } from "./dfe-feed-read.ts";
import { FeedSender, FeedTokenError, realTransport, type FeedTransport } from "./dfe-feed-send.ts";

export interface FeedCounts {
  /** Children in scope now. */
  children: number;
  unchanged: number;
  sent: number;
  rejected: number;
  failed: number;
  /** Children purged (merged away or deleted), counted also as sent when accepted. */
  purged: number;
  /** Documents the schema refused, so never sent. */
  invalid: number;
}

export type FeedRunResult =
  | { kind: "not_configured"; message: string }
  | { kind: "dry_run"; counts: FeedCounts; toSend: number; problems: InvalidDocument[] }
  | { kind: "sent"; runId: string; counts: FeedCounts; problem: string | null };

export interface InvalidDocument {
  laChildId: string;
  problems: string[];
}

export const NOT_CONFIGURED =
  "The DfE feed is not configured: set DFE_FEED_URL, DFE_FEED_TOKEN_URL, DFE_FEED_CLIENT_ID " +
  "and DFE_FEED_CLIENT_SECRET (from the DfE's onboarding). Nothing was sent.";

export interface FeedRunOptions {
  laId: string;
  /** The user who pressed "Send changes now"; null for the command line's daily job. */
  startedBy: string | null;
  settings: DfeFeedConfig | undefined;
  dryRun?: boolean;
  transport?: FeedTransport;
  clock?: () => Date;
}

interface Outgoing {
  personId: string;
  laChildId: string;
  purge: boolean;
  /** The hash and items stored once accepted (of the document as built, without purges). */
  hash: string;
  items: string[];
  body: unknown;
  problems: string[];
}

/** What would be sent: changed children with their purges, and children now gone. */
async function plan(db: Db, laId: string) {
  const [children, stored, laCode] = await Promise.all([
    readFeedChildren(db, laId),
    db
      .selectFrom("dfe_feed_child")
      .select(["person_id", "la_child_id", "document_hash", "items", "purged_at"])
      .where("la_id", "=", laId)
      .execute(),
    feedLaCode(db, laId),
  ]);
  const before = new Map(stored.map((s) => [s.person_id, s]));
  const outgoing: Outgoing[] = [];
  let unchanged = 0;
  const inScope = new Set<string>();
  for (const child of children) {
    inScope.add(child.personId);
    const document = childDocument(child);
    const hash = documentHash(document);
    const last = before.get(child.personId);
    if (last && last.purged_at === null && last.document_hash === hash) {
      unchanged += 1;
      continue;
    }
    const sentBefore = last && last.purged_at === null ? last.items : [];
    const { document: body } = withPurges(document, sentBefore);
    outgoing.push({
      personId: child.personId,
      laChildId: child.laChildId,
      purge: false,
      hash,
      items: documentItems(document),
      body,
      problems: feedDocumentProblems(body).map((p) => `${p.path} ${p.message}`),
    });
  }
  for (const last of stored) {
    if (last.purged_at !== null || inScope.has(last.person_id)) continue;
    const body = childDocument({
      laCode,
      personId: last.person_id,
      laChildId: last.la_child_id,
      purge: true,
      details: null,
      episodes: [],
    });
    outgoing.push({
      personId: last.person_id,
      laChildId: last.la_child_id,
      purge: true,
      hash: documentHash(body),
      items: [],
      body,
      problems: feedDocumentProblems(body).map((p) => `${p.path} ${p.message}`),
    });
  }
  return { laCode, children: children.length, unchanged, outgoing };
}

async function remember(db: Db, laId: string, item: Outgoing, at: Date): Promise<void> {
  const values = item.purge
    ? { document_hash: null, items: [], sent_at: at, purged_at: at }
    : { document_hash: item.hash, items: item.items, sent_at: at, purged_at: null };
  await db
    .insertInto("dfe_feed_child")
    .values({ la_id: laId, person_id: item.personId, la_child_id: item.laChildId, ...values })
    .onConflict((oc) =>
      oc.columns(["la_id", "person_id"]).doUpdateSet({ la_child_id: item.laChildId, ...values }),
    )
    .execute();
}

export async function runDfeFeed(db: Db, options: FeedRunOptions): Promise<FeedRunResult> {
  const { laId, settings } = options;
  const clock = options.clock ?? (() => new Date());
  if (!settings && !options.dryRun) return { kind: "not_configured", message: NOT_CONFIGURED };
  await sql`select pg_advisory_xact_lock(hashtext(${`dfe-feed:${laId}`}))`.execute(db);
  const planned = await plan(db, laId);
  const invalid = planned.outgoing.filter((o) => o.problems.length > 0);
  const counts: FeedCounts = {
    children: planned.children,
    unchanged: planned.unchanged,
    sent: 0,
    rejected: 0,
    failed: 0,
    purged: 0,
    invalid: invalid.length,
  };
  const problems = invalid.map((o) => ({ laChildId: o.laChildId, problems: o.problems }));
  if (options.dryRun || !settings) {
    return { kind: "dry_run", counts, toSend: planned.outgoing.length - invalid.length, problems };
  }

  const sender = new FeedSender(settings, options.transport ?? realTransport);
  const run = await db
    .insertInto("dfe_feed_run")
    .values({
      la_id: laId,
      started_by: options.startedBy,
      endpoint: sender.endpointFor(planned.laCode),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  let stopped: string | null = null;
  for (const item of planned.outgoing) {
    const startedAt = clock();
    let outcome;
    if (item.problems.length > 0) {
      outcome = {
        status: "invalid" as const,
        attempts: 0,
        httpStatus: null,
        problem: item.problems.join("; ").slice(0, 2000),
      };
    } else {
      try {
        outcome = await sender.send(planned.laCode, item.body);
      } catch (error) {
        if (!(error instanceof FeedTokenError)) throw error;
        // Without a token nothing more can go: the rest are still different next run.
        stopped = `Stopped: ${error.message}.`;
        break;
      }
    }
    const finishedAt = clock();
    await db
      .insertInto("dfe_feed_send")
      .values({
        run_id: run.id,
        la_id: laId,
        person_id: item.personId,
        la_child_id: item.laChildId,
        purge: item.purge,
        status: outcome.status,
        attempts: outcome.attempts,
        http_status: outcome.httpStatus,
        document_hash: item.hash,
        problem: outcome.problem,
        started_at: startedAt,
        finished_at: finishedAt,
      })
      .execute();
    if (outcome.status === "accepted") {
      await remember(db, laId, item, finishedAt);
      counts.sent += 1;
      if (item.purge) counts.purged += 1;
    } else if (outcome.status === "rejected") counts.rejected += 1;
    else if (outcome.status === "failed") counts.failed += 1;
  }
  await db
    .updateTable("dfe_feed_run")
    .set({ finished_at: clock(), ...counts, problem: stopped })
    .where("id", "=", run.id)
    .execute();
  return { kind: "sent", runId: run.id, counts, problem: stopped };
}
