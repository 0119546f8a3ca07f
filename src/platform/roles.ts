import { sql } from "kysely";
import type { Database, Db } from "./database.ts";

/**
 * Least-privilege database roles (decision 0017). The owner role owns the database and its
 * schema and runs the migrations; the runtime role, which the app connects as, may read and
 * change case data but only INSERT and SELECT the audit tables, and, owning nothing, cannot
 * alter a table, disable a trigger or set session_replication_role. Default privileges give it
 * the same rights on every table a later migration creates; migration 008 takes the audit
 * tables' UPDATE, DELETE and TRUNCATE back from every role but their owner.
 */
export interface Roles {
  owner: string;
  runtime: string;
}

export const defaultRoles: Roles = { owner: "trellis_owner", runtime: "trellis_app" };

/** Tables the runtime role may only append to and read. */
export const AUDIT_TABLES = ["audit_log", "audit_seal", "audit_log_identity"] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checked(name: string): string {
  if (!ROLE_NAME.test(name)) throw new Error(`not a plain role name: ${name}`);
  return name;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Creates both roles if they do not exist yet; safe when several processes do it at once
 * (roles are cluster-wide, and test runs share a cluster). Needs CREATEROLE.
 */
export async function createRoles(
  admin: Database,
  roles: Roles = defaultRoles,
  passwords: { owner?: string; runtime?: string } = {},
): Promise<void> {
  for (const [name, password] of [
    [checked(roles.owner), passwords.owner],
    [checked(roles.runtime), passwords.runtime],
  ] as const) {
    const withPassword = password ? ` password ${literal(password)}` : "";
    await admin.exec(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${name}') then
        create role ${name} login nosuperuser nocreatedb nocreaterole noreplication${withPassword};
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$;`);
    if (password) await admin.exec(`alter role ${name} password ${literal(password)}`);
  }
}

/**
 * Gives the database to the owner and the runtime role its grants, in the database `admin` is
 * connected to (a superuser, or on managed PostgreSQL an administrator who is a member of the
 * owner role). Idempotent: run it before the first migration and again whenever roles change.
 */
export async function grantRoles(admin: Database, roles: Roles = defaultRoles): Promise<void> {
  const owner = checked(roles.owner);
  const runtime = checked(roles.runtime);
  await admin.exec(`do $$
    declare r record;
    begin
      execute format('alter database %I owner to ${owner}', current_database());
      execute format('grant connect, temporary on database %I to ${runtime}', current_database());
      alter schema public owner to ${owner};
      for r in select c.relname, c.relkind from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and pg_get_userbyid(c.relowner) <> '${owner}'
          and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i'))
      loop
        execute format('alter %s %I owner to ${owner}',
          case r.relkind when 'S' then 'sequence' when 'v' then 'view'
            when 'm' then 'materialized view' else 'table' end, r.relname);
      end loop;
      for r in select p.oid::regprocedure as f from pg_proc p
        join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> '${owner}'
          and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
      loop
        execute format('alter function %s owner to ${owner}', r.f);
      end loop;
    end $$;
    revoke create on schema public from public;
    grant usage on schema public to ${runtime};
    alter default privileges for role ${owner} in schema public
      grant select, insert, update, delete on tables to ${runtime};
    alter default privileges for role ${owner} in schema public
      grant usage, select on sequences to ${runtime};
    grant select, insert, update, delete on all tables in schema public to ${runtime};
    grant usage, select on all sequences in schema public to ${runtime};
    do $$ begin
      if to_regclass('audit_seal') is not null then
        revoke update, delete, truncate, references, trigger
          on ${AUDIT_TABLES.join(", ")} from ${runtime};
        revoke insert on audit_log_identity from ${runtime};
      end if;
    end $$;`);
}

/** Whether this connection's role is a superuser (the service should never run as one). */
export async function connectedAsSuperuser(db: Db): Promise<boolean> {
  const { rows } = await sql<{ superuser: boolean }>`
    select rolsuper as superuser from pg_roles where rolname = current_user`.execute(db);
  return rows[0]?.superuser === true;
}
