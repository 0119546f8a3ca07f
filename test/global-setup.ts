import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import type { TestProject } from "vitest/node";
import { openEmbedded, openServer } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";
import { createRoles, defaultRoles, grantRoles } from "../src/platform/roles.ts";

/**
 * Prepares one migrated database that every test file clones, which is far faster than
 * migrating per file: on a PostgreSQL server (DATABASE_URL set) a template database for
 * CREATE DATABASE ... TEMPLATE; embedded, a dumped PGlite data folder.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = await mkdtemp(path.join(tmpdir(), "trellis-test-"));
    const database = await openEmbedded(undefined);
    await migrate(database);
    const snapshot = await database.dumpSnapshot?.();
    await database.close();
    if (!snapshot) throw new Error("the embedded database could not be dumped");
    const file = path.join(dir, "migrated.tar");
    await writeFile(file, Buffer.from(await snapshot.arrayBuffer()));
    project.provide("embeddedSnapshot", file);
    project.provide("templateDatabase", "");
    return () => rm(dir, { recursive: true, force: true });
  }
  // The template belongs to the owner role, which migrates it; test files connect as the
  // runtime role (decision 0017). DATABASE_URL is a superuser's, for setting this up.
  const template = `trellis_template_${String(process.pid)}`;
  const admin = openServer(url, 1);
  await createRoles(admin, defaultRoles);
  await admin.exec(`drop database if exists ${template}`);
  await admin.exec(`create database ${template} owner ${defaultRoles.owner}`);
  const templateAdmin = openServer(withDatabase(url, template), 1);
  await grantRoles(templateAdmin, defaultRoles);
  await templateAdmin.close();
  const templateDb = openServer(withUser(withDatabase(url, template), defaultRoles.owner), 2);
  await migrate(templateDb);
  await templateDb.close();
  // A closed connection's server process ends a moment later; CREATE DATABASE ... TEMPLATE
  // refuses while any remains.
  for (let i = 0; i < 100; i += 1) {
    const left = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = ${template}`.execute(
      admin.db,
    );
    if ((left.rows[0]?.n ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await admin.close();
  project.provide("templateDatabase", template);
  project.provide("embeddedSnapshot", "");
  return async () => {
    const cleanup = openServer(url, 1);
    await cleanup.exec(`drop database if exists ${template} with (force)`);
    await cleanup.close();
  };
}

export function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = "";
  return u.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    embeddedSnapshot: string;
  }
}
