import { createHash } from "node:crypto";
import type { Db } from "../platform/database.ts";
import type { Actor } from "../access/actor.ts";

/**
 * The audit log: the only writer of audit_log. Every read and write of personal data, and every
 * refused attempt, is written in the same transaction as the work. A writer only inserts (its
 * number from a sequence, its transaction's id by default) and takes no lock, so audited
 * requests never wait for one another (decision 0017). The sealer (seal.ts) later appends
 * finished rows to the hash chain; each chain entry's hash covers the row's content, its
 * position and the previous entry's hash, so an altered or deleted row breaks the chain
 * (verify.ts), and signed checkpoints held outside the database (checkpoints.ts) catch a
 * re-hashed or truncated chain.
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

/** What a chain entry's hash covers: the row's content, its chain position and the previous hash. */
export interface ChainedFields {
  /** The chain position (equal to the row's seq for rows chained before decision 0017). */
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
  await tx
    .insertInto("audit_log")
    .values({
      occurred_at: now,
      la_id: actor.laId,
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      action: entry.action,
      outcome: entry.outcome,
      person_ids: [...new Set(entry.personIds ?? [])],
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId ?? null,
      summary: JSON.stringify(entry.summary ?? {}),
    })
    .execute();
}
