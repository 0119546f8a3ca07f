import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase, superuserOf } from "../../test/support/database.ts";
import type { Database } from "../platform/database.ts";
import { connectedAsSuperuser, createRoles, defaultRoles, grantRoles } from "../platform/roles.ts";
import { writeAudit } from "./audit.ts";
import { append, nobody } from "./audit-test-support.ts";
import { sealAuditLog } from "./seal.ts";

/**
 * The app's database role: on the PostgreSQL server the test database is connected as the
 * runtime role already (test/support/database.ts). Embedded PGlite has a single superuser, so
 * there the same roles and grants are set up and each statement runs under SET ROLE: the same
 * privilege checks, in both.
 */
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  if (database.kind === "embedded") {
    await createRoles(database, defaultRoles);
    await grantRoles(database, defaultRoles);
  }
  await append(database, 2);
});

function asRuntime(statement: string) {
  return database.db.transaction().execute(async (tx) => {
    if (database.kind === "embedded")
      await sql.raw(`set local role ${defaultRoles.runtime}`).execute(tx);
    return sql.raw(statement).execute(tx);
  });
}

describe("the role the app connects as", () => {
  it("is the runtime role, neither a superuser nor the owner of any table", async () => {
    const who = await asRuntime(
      `select current_user as name, r.rolsuper, r.rolcreaterole, r.rolbypassrls,
        (select count(*)::int from pg_class c where c.relowner = r.oid) as owns
       from pg_roles r where r.rolname = current_user`,
    );
    expect(who.rows).toEqual([
      {
        name: defaultRoles.runtime,
        rolsuper: false,
        rolcreaterole: false,
        rolbypassrls: false,
        owns: 0,
      },
    ]);
  });

  it("is told apart from a superuser, which start-up warns about", async () => {
    const runtime = await database.db.transaction().execute(async (tx) => {
      if (database.kind === "embedded")
        await sql.raw(`set local role ${defaultRoles.runtime}`).execute(tx);
      return connectedAsSuperuser(tx);
    });
    expect(runtime).toBe(false);
    expect(await connectedAsSuperuser(superuserOf(database).db)).toBe(true);
  });

  it("may not UPDATE, DELETE or TRUNCATE the audit log or its chain", async () => {
    for (const [table, column] of [
      ["audit_log", "seq"],
      ["audit_seal", "hash"],
      ["audit_log_identity", "id"],
    ] as const) {
      for (const statement of [
        `update ${table} set ${column} = ${column}`,
        `delete from ${table}`,
        `truncate ${table}`,
        ...(table === "audit_log_identity"
          ? ["insert into audit_log_identity default values"]
          : []),
      ]) {
        await expect(asRuntime(statement), statement).rejects.toThrow(/permission denied/);
      }
    }
  });

  it("may not alter the audit tables, disable their triggers or drop them", async () => {
    for (const statement of [
      "alter table audit_log disable trigger audit_log_no_update_delete",
      "alter table audit_seal disable trigger user",
      "alter table audit_log add column note text",
      "drop trigger audit_log_no_truncate on audit_log",
      "drop table audit_seal",
      "create trigger t before insert on audit_log execute function audit_log_append_only()",
    ]) {
      await expect(asRuntime(statement), statement).rejects.toThrow(
        /must be owner|permission denied/,
      );
    }
  });

  it("may not set session_replication_role, which would switch triggers off", async () => {
    await expect(asRuntime("set session_replication_role = replica")).rejects.toThrow(
      /permission denied/,
    );
  });

  it("may not create tables in the schema", async () => {
    await expect(asRuntime("create table sneaky (x int)")).rejects.toThrow(/permission denied/);
  });

  it("may still append and read audit rows, seal them, and change case data", async () => {
    await database.db.transaction().execute(async (tx) => {
      if (database.kind === "embedded")
        await sql.raw(`set local role ${defaultRoles.runtime}`).execute(tx);
      await writeAudit(tx, nobody, { action: "person.view", outcome: "allowed" }, new Date());
    });
    await expect(asRuntime("select count(*) from audit_log")).resolves.toBeDefined();
    await expect(
      asRuntime("update person set given_name = given_name where false"),
    ).resolves.toBeDefined();
    await expect(asRuntime("delete from user_session where false")).resolves.toBeDefined();
    if (database.kind === "server") expect(await sealAuditLog(database.db, { wait: true })).toBe(3);
  });

  it("gets the same rights on a table a later migration creates, by default privileges", async () => {
    await superuserOf(database).exec(
      `set role ${defaultRoles.owner}; create table later_migration (x int); reset role;`,
    );
    await expect(asRuntime("insert into later_migration values (1)")).resolves.toBeDefined();
    await expect(asRuntime("alter table later_migration add column y int")).rejects.toThrow(
      /must be owner/,
    );
  });
});
