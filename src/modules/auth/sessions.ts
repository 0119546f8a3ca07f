import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../platform/database.ts";

/**
 * Server-side sessions. The cookie holds a random token; the table holds only its SHA-256, so a
 * leaked database does not leak live sessions. A session ends after an idle period or an
 * absolute lifetime, whichever comes first, or at sign-out.
 */
export const SESSION_COOKIE = "trellis_session";

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export interface Session {
  id: string;
  userId: string;
  csrfToken: string;
}

/** last_seen_at is written at most this often, to keep reads cheap. */
const TOUCH_AFTER_MS = 60_000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export async function createSession(
  db: Db,
  userId: string,
  now: Date,
): Promise<{ token: string; session: Session }> {
  const token = randomToken();
  const session: Session = { id: hashToken(token), userId, csrfToken: randomToken() };
  await db
    .insertInto("user_session")
    .values({
      id: session.id,
      user_id: userId,
      csrf_token: session.csrfToken,
      created_at: now,
      last_seen_at: now,
    })
    .execute();
  return { token, session };
}

export async function findSession(
  db: Db,
  token: string | undefined,
  now: Date,
  policy: SessionPolicy,
): Promise<Session | undefined> {
  if (!token || token.length > 100) return undefined;
  const row = await db
    .selectFrom("user_session")
    .select(["id", "user_id", "csrf_token", "created_at", "last_seen_at", "ended_at"])
    .where("id", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.ended_at) return undefined;
  const idleLimit = row.last_seen_at.getTime() + policy.idleMinutes * 60_000;
  const absoluteLimit = row.created_at.getTime() + policy.absoluteHours * 3_600_000;
  if (now.getTime() >= idleLimit || now.getTime() >= absoluteLimit) {
    await endSession(db, row.id, now);
    return undefined;
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await db
      .updateTable("user_session")
      .set({ last_seen_at: now })
      .where("id", "=", row.id)
      .execute();
  }
  return { id: row.id, userId: row.user_id, csrfToken: row.csrf_token };
}

export async function endSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db
    .updateTable("user_session")
    .set({ ended_at: now })
    .where("id", "=", sessionId)
    .where("ended_at", "is", null)
    .execute();
}

/** Ends every open session of a user (a new sign-in, or the account deactivated). */
export async function endUserSessions(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .updateTable("user_session")
    .set({ ended_at: now })
    .where("user_id", "=", userId)
    .where("ended_at", "is", null)
    .execute();
}
