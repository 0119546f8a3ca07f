import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { Database } from "./database.ts";
import { StartupError } from "./startup.ts";

export const migrationsDir = fileURLToPath(new URL("../../migrations/", import.meta.url));

const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

/**
 * Applies numbered plain-SQL migrations in order, each in its own transaction, recording
 * them in schema_migration. A session-level advisory lock stops two processes racing.
 */
export async function migrate(database: Database, dir = migrationsDir): Promise<string[]> {
  const files = (await readdir(dir).catch(() => [])).filter((f) => FILE_NAME.test(f)).sort();
  // Without them the service would start on an empty schema and fail on the first page.
  if (files.length === 0) {
    throw new StartupError(
      `No migrations found in ${dir}: this copy of Trellis is incomplete. Restore the migrations folder (for example: git checkout -- migrations) and try again.`,
    );
  }
  // Checked first: the runtime role may not create tables, even "if not exists" (decision 0017).
  const existing = await sql<{ t: string | null }>`
    select to_regclass('schema_migration')::text as t`.execute(database.db);
  if (!existing.rows[0]?.t) {
    await database.exec(
      "create table if not exists schema_migration (version text primary key, applied_at timestamptz not null default now())",
    );
  }
  const applied: string[] = [];
  for (const file of files) {
    const version = path.basename(file, ".sql");
    const done = await sql<{ n: number }>`
      select count(*)::int as n from schema_migration where version = ${version}
    `.execute(database.db);
    if ((done.rows[0]?.n ?? 0) > 0) continue;
    const body = await readFile(path.join(dir, file), "utf8");
    await database.exec(
      `begin;\nselect pg_advisory_xact_lock(7240301);\n` +
        `do $$ begin if exists (select 1 from schema_migration where version = '${version}') then raise exception 'migration ${version} already applied by another process'; end if; end $$;\n` +
        `${body}\n;insert into schema_migration (version) values ('${version}');\ncommit;`,
    );
    applied.push(version);
  }
  return applied;
}
