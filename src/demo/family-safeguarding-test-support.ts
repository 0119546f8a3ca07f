/**
 * Shared by the Family Safeguarding demo tests: the small demo generated into a fresh database,
 * and helpers to read it back.
 */
import { freshDatabase } from "../../test/support/database.ts";
import type { Database, Db } from "../platform/database.ts";
import { generateDemo, type DemoSummary } from "./generate.ts";

export const today = "2026-03-01";
export const now = new Date(`${today}T12:00:00Z`);
export const options = { size: "small", seed: 7, passwordHash: "not-a-real-hash", today } as const;

export interface GeneratedDemo {
  database: Database;
  summary: DemoSummary;
}

/** Call in beforeAll: the database is closed after the test file. */
export async function generatedDemo(): Promise<GeneratedDemo> {
  const database = await freshDatabase();
  return { database, summary: await generateDemo(database.db, options) };
}

export async function userId(db: Db, email: string): Promise<string> {
  const row = await db
    .selectFrom("app_user")
    .select("id")
    .where("email", "=", `${email}@northmoor.example`)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function resultsOf(db: Db, code: string) {
  return db
    .selectFrom("measure_result")
    .selectAll()
    .where("instrument_code", "=", code)
    .orderBy("administered_on")
    .execute();
}

/** Each person's (and goal's) series of totals, oldest first. */
export function series(
  rows: { person_id: string; goal: string | null; total: number }[],
): number[][] {
  const map = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.person_id} ${r.goal ?? ""}`;
    map.set(key, [...(map.get(key) ?? []), r.total]);
  }
  return [...map.values()];
}

export const first = (s: number[]) => s[0] ?? 0;
export const last = (s: number[]) => s[s.length - 1] ?? 0;
