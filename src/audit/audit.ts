import { createHash } from "node:crypto";
import type { Db } from "../platform/database.ts";
import type { Actor } from "../access/actor.ts";

/**
 * The audit log: the only writer of audit_log. Every read and write of personal data, and every
 * refused attempt, is written in the same transaction as the work. Rows are hash-chained: each
 * row's hash covers its content and the previous row's hash, so an altered, inserted or deleted
 * row breaks the chain (verify.ts). Writers take the next number from the chain head row, which
 * locks it until commit: that orders writers and keeps sequence numbers gap-free.
 */
export type AuditOutcome = "allowed" | "denied" | "failed";

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  personIds?: readonly string[];
  subjectType?: string;
  subjectId?: string;
  /** A curated summary (ids, counts, reasons): never the payload. */
  summary?: Record<string, unknown>;
}

export interface AuditActor {
  userId: string | null;
  laId: string | null;
  organisationId: string | null;
}

export function auditActorOf(actor: Actor | undefined): AuditActor {
  return actor
    ? { userId: actor.userId, laId: actor.laId, organisationId: actor.organisationId }
    : { userId: null, laId: null, organisationId: null };
}

export interface ChainedFields {
  seq: number;
  occurred_at: Date;
  la_id: string | null;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  action: string;
  outcome: AuditOutcome;
  person_ids: readonly string[];
  subject_type: string | null;
  subject_id: string | null;
  summary: unknown;
  prev_hash: string;
}

/** JSON with object keys sorted at every level, so jsonb's reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function hashAuditRow(row: ChainedFields): string {
  return createHash("sha256")
    .update(
      canonicalJson([
        row.seq,
        row.occurred_at,
        row.la_id,
        row.actor_user_id,
        row.actor_organisation_id,
        row.action,
        row.outcome,
        row.person_ids,
        row.subject_type,
        row.subject_id,
        row.summary,
        row.prev_hash,
      ]),
    )
    .digest("hex");
}

export async function writeAudit(
  tx: Db,
  actor: AuditActor,
  entry: AuditEntry,
  now: Date,
): Promise<void> {
  // Taking the next sequence number locks the chain head until commit; the hash it returns is
  // still the previous row's, which this row chains to.
  const head = await tx
    .updateTable("audit_chain_head")
    .set((eb) => ({ seq: eb("seq", "+", 1) }))
    .returning(["seq", "hash"])
    .executeTakeFirstOrThrow();
  const summary = entry.summary ?? {};
  const fields: ChainedFields = {
    seq: head.seq,
    occurred_at: now,
    la_id: actor.laId,
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    action: entry.action,
    outcome: entry.outcome,
    person_ids: [...new Set(entry.personIds ?? [])],
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId ?? null,
    summary,
    prev_hash: head.hash,
  };
  const hash = hashAuditRow(fields);
  await tx
    .with("appended", (db) =>
      db.insertInto("audit_log").values({
        ...fields,
        person_ids: [...fields.person_ids],
        summary: JSON.stringify(summary),
        hash,
      }),
    )
    .updateTable("audit_chain_head")
    .set({ hash })
    .execute();
}
