/**
 * Two people generating the same return at once get one run (issue 12): each run takes a
 * transaction lock on its council, return and year, and the second, once the first commits,
 * finds the first's run, made after it asked (the database's clock, not the request's: a test
 * clock stands still).
 */
import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";

export interface RunSummary {
  id: string;
  children: number;
  errors: number;
  queries: number;
  schemaValid: boolean;
  /** False when someone else's run, made after this request began, was returned instead. */
  made: boolean;
}

/** Takes the return's lock; the run someone else made while this request waited, if any. */
export async function runMadeWhileWaiting(
  db: Db,
  laId: string,
  kind: "cin" | "903",
  year: string,
): Promise<RunSummary | undefined> {
  await sql`select pg_advisory_xact_lock(hashtext(${`return:${kind}:${laId}:${year}`}))`.execute(
    db,
  );
  const concurrent = await db
    .selectFrom("return_run")
    .select(["id", "children", "errors", "queries", "schema_valid"])
    .where("la_id", "=", laId)
    .where("return_kind", "=", kind)
    .where("collection_year", "=", year)
    // A run finished after this request's transaction began was made while it waited.
    .where("generated_at", ">=", sql<Date>`now()`)
    .orderBy("generated_at", "desc")
    .executeTakeFirst();
  if (!concurrent) return undefined;
  return {
    id: concurrent.id,
    children: concurrent.children,
    errors: concurrent.errors,
    queries: concurrent.queries,
    schemaValid: concurrent.schema_valid,
    made: false,
  };
}
