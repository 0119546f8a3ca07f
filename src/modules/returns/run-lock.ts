/**
 * A return's run from start to finish (decision 0040). Starting one takes a transaction lock
 * on its council, return and year, so two people starting the same return at once get one
 * run: the second, once the first commits, finds the first's running row (or a run finished
 * while it waited: the database's clock, not the request's, as a test clock stands still) and
 * joins it. The work then runs in the background of the server process, writing its progress
 * on the row; it ends done or failed with the reason. A running row whose run has given no
 * sign of life for STALE_SECONDS was left by a process that died and is marked failed when it
 * is next read or a run of the same return is started.
 */
import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";
import { runProgressWriter, throttled, type Progress } from "./run-progress.ts";

export type ReturnKind = "cin" | "903";

export interface RunSummary {
  id: string;
  children: number;
  errors: number;
  queries: number;
  schemaValid: boolean;
}

/** Silence longer than this means the run's process has gone (it beats every HEARTBEAT_MS). */
export const STALE_SECONDS = 90;
const HEARTBEAT_MS = 10_000;
export const STOPPED =
  "The run stopped before it finished: the service was restarted or the run was interrupted. Start it again.";

async function lockReturn(db: Db, laId: string, kind: ReturnKind, year: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`return:${kind}:${laId}:${year}`}))`.execute(
    db,
  );
}

/** Marks failed the running runs (of a council, or one run) whose process has gone. */
export async function markStoppedRuns(
  db: Db,
  where: { laId: string; runId?: string; kind?: ReturnKind; year?: string },
): Promise<void> {
  await db
    .updateTable("return_run")
    .set({ status: "failed", error: STOPPED, finished_at: sql<Date>`clock_timestamp()` })
    .where("la_id", "=", where.laId)
    .where("status", "=", "running")
    .where(
      sql<boolean>`coalesce(progress_at, started_at) < clock_timestamp() - make_interval(secs => ${STALE_SECONDS})`,
    )
    .$if(where.runId !== undefined, (q) => q.where("id", "=", where.runId ?? ""))
    .$if(where.kind !== undefined, (q) => q.where("return_kind", "=", where.kind ?? "cin"))
    .$if(where.year !== undefined, (q) => q.where("collection_year", "=", where.year ?? ""))
    .execute();
}

/**
 * In the caller's transaction: the running run of this return to join, or a new running row.
 * The lock is held until the caller commits, so a second start waits and then joins.
 */
export async function startRun(
  tx: Db,
  who: { laId: string; userId: string },
  kind: ReturnKind,
  year: string,
  /**
   * When the request arrived, for the embedded database only: there the wait is for its one
   * connection, before the transaction begins, and its clock is this process's. On a server
   * the wait is for the lock, inside the transaction, so the transaction's start says it.
   */
  arrivedAt?: Date,
): Promise<{ id: string; joined: boolean }> {
  await lockReturn(tx, who.laId, kind, year);
  await markStoppedRuns(tx, { laId: who.laId, kind, year });
  const current = await tx
    .selectFrom("return_run")
    .select("id")
    .where("la_id", "=", who.laId)
    .where("return_kind", "=", kind)
    .where("collection_year", "=", year)
    .where((eb) =>
      eb.or([
        eb("status", "=", "running"),
        // A run finished after this request's transaction began was made while it waited.
        eb.and([
          eb("status", "=", "done"),
          eb(
            "generated_at",
            ">=",
            arrivedAt ? sql<Date>`${arrivedAt}::timestamptz` : sql<Date>`now()`,
          ),
        ]),
      ]),
    )
    .orderBy("generated_at", "desc")
    .executeTakeFirst();
  if (current) return { id: current.id, joined: true };
  const run = await tx
    .insertInto("return_run")
    .values({
      la_id: who.laId,
      return_kind: kind,
      collection_year: year,
      generated_by: who.userId,
      generated_at: sql<Date>`clock_timestamp()`,
      started_at: sql<Date>`clock_timestamp()`,
      progress_at: sql<Date>`clock_timestamp()`,
      status: "running",
      stage: "Waiting to start",
      children: 0,
      errors: 0,
      queries: 0,
      schema_valid: false,
      file_xml: "",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: run.id, joined: false };
}

/** Runs of the server process still working; the app waits for them when it closes. */
const working = new Set<Promise<void>>();

export function waitForRuns(): Promise<void> {
  return Promise.all([...working]).then(() => undefined);
}

export interface StartedRun {
  id: string;
  laId: string;
  kind: ReturnKind;
  year: string;
}

/**
 * Does a started run's work in the background. It first takes the return's lock, so it
 * begins only once the transaction that started it has committed (and not at all if that
 * rolled back); then it beats every HEARTBEAT_MS and hears the work's progress, and marks the
 * run failed, with the reason, if the work throws.
 */
export function runInBackground(
  db: Db,
  run: StartedRun,
  work: (progress: Progress) => Promise<void>,
): void {
  const job = (async () => {
    const claimed = await db.transaction().execute(async (tx) => {
      await lockReturn(tx, run.laId, run.kind, run.year);
      const row = await tx
        .selectFrom("return_run")
        .select("status")
        .where("id", "=", run.id)
        .executeTakeFirst();
      return row?.status === "running";
    });
    if (!claimed) return;
    const write = runProgressWriter(db, run.id);
    const reporter = throttled(write);
    let latest = { stage: "Starting" } as Parameters<typeof write>[0];
    const heartbeat = setInterval(() => void write(latest).catch(() => undefined), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      await work((stage, done, total, unit) => {
        latest = { stage, done, total, unit };
        return reporter.progress(stage, done, total, unit);
      });
    } catch (error) {
      await db
        .updateTable("return_run")
        .set({
          status: "failed",
          error: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
          stage: null,
          finished_at: sql<Date>`clock_timestamp()`,
        })
        .where("id", "=", run.id)
        .where("status", "=", "running")
        .execute();
    } finally {
      clearInterval(heartbeat);
      await reporter.close();
    }
  })().catch((error: unknown) => {
    // The database went away under the run (the service is closing): the row stays running
    // and is marked failed as stopped when next read.
    console.error(`trellis: a return's run ${run.id} could not finish:`, error);
  });
  working.add(job);
  void job.finally(() => working.delete(job));
}

/**
 * In the run's final transaction: claims the row for its results. False when the run was no
 * longer running (marked stopped meanwhile), so nothing is saved twice.
 */
export async function finishRun(
  tx: Db,
  runId: string,
  results: {
    children: number;
    errors: number;
    queries: number;
    schemaValid: boolean;
    schemaErrors?: string;
    fileXml?: string;
    files?: string;
    previousRunId?: string | null;
  },
): Promise<void> {
  const updated = await tx
    .updateTable("return_run")
    .set({
      status: "done",
      stage: null,
      finished_at: sql<Date>`clock_timestamp()`,
      children: results.children,
      errors: results.errors,
      queries: results.queries,
      schema_valid: results.schemaValid,
      ...(results.schemaErrors !== undefined ? { schema_errors: results.schemaErrors } : {}),
      ...(results.fileXml !== undefined ? { file_xml: results.fileXml } : {}),
      ...(results.files !== undefined ? { files: results.files } : {}),
      ...(results.previousRunId !== undefined ? { previous_run_id: results.previousRunId } : {}),
    })
    .where("id", "=", runId)
    .where("status", "=", "running")
    .returning("id")
    .executeTakeFirst();
  if (!updated) throw new Error(STOPPED);
}
