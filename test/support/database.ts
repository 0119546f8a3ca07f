import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, inject } from "vitest";
import { openEmbedded, openServer, type Database } from "../../src/platform/database.ts";
import { migrate } from "../../src/platform/migrate.ts";
import { defaultRoles } from "../../src/platform/roles.ts";
import { withDatabase, withUser } from "../global-setup.ts";

let snapshot: Promise<Blob> | undefined;

/**
 * A fresh, migrated database for one test file: in-memory PGlite started from the migrated snapshot by default, or a clone of the
 * migrated template on the PostgreSQL server when DATABASE_URL is set. Closed after the file.
 */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    snapshot ??= readFile(inject("embeddedSnapshot")).then((buffer) => new Blob([buffer]));
    const database = await openEmbedded(undefined, await snapshot);
    await migrate(database);
    afterAll(() => database.close());
    return database;
  }
  const name = `trellis_test_${randomBytes(6).toString("hex")}`;
  const admin = openServer(url, 1);
  await admin.exec(
    `create database ${name} template ${inject("templateDatabase")} owner ${defaultRoles.owner}`,
  );
  // As the app connects: the runtime role, which owns nothing (decision 0017).
  const database = openServer(withUser(withDatabase(url, name), defaultRoles.runtime), 5);
  superusers.set(database, () => openServer(withDatabase(url, name), 1));
  afterAll(async () => {
    await database.close();
    await opened.get(database)?.close();
    await admin.exec(`drop database if exists ${name} with (force)`);
    await admin.close();
  });
  return database;
}

const superusers = new WeakMap<Database, () => Database>();

/**
 * The same database as a superuser, for tests that tamper as a database insider would. Embedded
 * PGlite has one user, a superuser, so it is the database itself there.
 */
export function superuserOf(database: Database): Database {
  const open = superusers.get(database);
  if (!open) return database;
  let superuser = opened.get(database);
  if (!superuser) {
    superuser = open();
    opened.set(database, superuser);
  }
  return superuser;
}

const opened = new WeakMap<Database, Database>();

/** The newest audit row: what the last request recorded. */
export function latestAudit(database: Database) {
  return database.db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("seq", "desc")
    .executeTakeFirstOrThrow();
}
