import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll } from "vitest";
import type { Database } from "../platform/database.ts";
import { hashAuditRow, writeAudit } from "./audit.ts";
import {
  checkpointSinkFor,
  loadPublicKeys,
  loadSigningKey,
  writeCheckpoint,
  type AuditKeyConfig,
} from "./checkpoints.ts";
import { sealAuditLog } from "./seal.ts";
import { verifyAuditLog } from "./verify.ts";

/** Helpers for the audit tests: write rows, seal and sign, and tamper as a database insider. */
export const nobody = { userId: null, laId: null, organisationId: null };
export const personId = "6f1c3a52-8a0e-4d4b-9a51-2b0f3c7d9e10";

export async function append(database: Database, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i += 1) {
    await database.db.transaction().execute((tx) =>
      writeAudit(
        tx,
        nobody,
        {
          action: "person.view",
          outcome: "allowed",
          personIds: [personId],
          summary: { i, nested: { b: 1, a: [2, 3] } },
        },
        new Date(Date.UTC(2026, 0, 1, 9, 0, i)),
      ),
    );
  }
}

/** A folder of its own for keys and checkpoints, removed after the file. */
export async function auditFolder(): Promise<AuditKeyConfig> {
  const dir = await mkdtemp(path.join(tmpdir(), "trellis-audit-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return {
    dir,
    signingKey: undefined,
    signingKeyFile: undefined,
    publicKeysDir: path.join(dir, "public-keys"),
    checkpointFile: undefined,
  };
}

const quiet = (): void => undefined;

export async function checkpoint(database: Database, config: AuditKeyConfig) {
  const key = await loadSigningKey(config, quiet);
  const sink = await checkpointSinkFor(database.db, config);
  return writeCheckpoint(database.db, key, sink, new Date(), { force: true });
}

export async function verify(database: Database, config: AuditKeyConfig) {
  await sealAuditLog(database.db, { wait: true });
  const sink = await checkpointSinkFor(database.db, config);
  const log = (await database.db.selectFrom("audit_log_identity").select("id").executeTakeFirst())
    ?.id;
  return verifyAuditLog(
    database.db,
    log ? await sink.read(log) : [],
    await loadPublicKeys(config.publicKeysDir),
  );
}

/** What a superuser can do: switch the append-only triggers off, change rows, switch them on. */
export async function tamper(superuser: Database, statements: string): Promise<void> {
  await superuser.exec(
    `alter table audit_log disable trigger user; alter table audit_seal disable trigger user;
     ${statements};
     alter table audit_log enable trigger user; alter table audit_seal enable trigger user;`,
  );
}

/**
 * The insider's best forgery: change a row, then recompute every chain hash from it to the end,
 * so the chain is consistent again.
 */
export async function rewriteAndRehash(
  superuser: Database,
  seq: number,
  change: string,
): Promise<void> {
  await tamper(superuser, `update audit_log set ${change} where seq = ${String(seq)}`);
  const entries = await sql<{
    position: number;
    seq: number;
    prev_hash: string;
    occurred_at: Date;
    la_id: string | null;
    actor_user_id: string | null;
    actor_organisation_id: string | null;
    action: string;
    outcome: "allowed" | "denied" | "failed";
    person_ids: string[];
    subject_type: string | null;
    subject_id: string | null;
    summary: unknown;
  }>`select s.position, s.prev_hash, l.* from audit_seal s join audit_log l on l.seq = s.seq
     order by s.position`.execute(superuser.db);
  let previous: string | undefined;
  const updates: string[] = [];
  for (const e of entries.rows) {
    const prev = previous ?? e.prev_hash;
    if (previous !== undefined || e.seq === seq) {
      const hash = hashAuditRow({ ...e, seq: e.position, prev_hash: prev });
      updates.push(
        `update audit_seal set prev_hash = '${prev}', hash = '${hash}' where position = ${String(e.position)}`,
      );
      previous = hash;
    }
  }
  await tamper(superuser, updates.join(";\n"));
}
