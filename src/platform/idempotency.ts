import { randomBytes } from "node:crypto";
import type { Db } from "./database.ts";

/**
 * Every form a signed-in user sends is saved once (decision 0018). A page's CSRF token is
 * `<session token>.<nonce>`, the nonce drawn afresh for each rendering of the page, so every
 * form on it can be told apart from a resubmission of itself. The kernel claims
 * (user, request, nonce) inside the request's own transaction: a concurrent duplicate's claim
 * waits on the first's unique key until it commits and then finds the first's result; a first
 * attempt that rolls back leaves no claim, so trying again saves.
 */

/** What a repeat of a saved submission is answered with: the first one's result. */
export type KeptResult = { redirect: string } | { json: unknown; status?: number };

export interface SubmissionKey {
  userId: string;
  /** Method and URL, e.g. "POST /people/<id>/case-notes". */
  request: string;
  nonce: string;
}

/** Claims are kept a day: long enough for any retry, short enough to keep the table small. */
const KEEP_FOR_MS = 24 * 60 * 60 * 1000;

export function tokenWithNonce(csrfToken: string): string {
  return `${csrfToken}.${randomBytes(16).toString("base64url")}`;
}

/** The session part and the nonce of a submitted token (a bare token has no nonce). */
export function splitToken(given: string): { csrf: string; nonce: string | undefined } {
  const dot = given.indexOf(".");
  return dot < 0
    ? { csrf: given, nonce: undefined }
    : { csrf: given.slice(0, dot), nonce: given.slice(dot + 1) || undefined };
}

/**
 * Claims a submission: "claimed" if this is its first arrival, else the first one's result
 * ("unknown" when that result cannot be repeated, e.g. a file already sent).
 */
export async function claimSubmission(
  db: Db,
  key: SubmissionKey,
  now: Date,
): Promise<"claimed" | KeptResult | "unknown"> {
  await db
    .deleteFrom("form_submission")
    .where("user_id", "=", key.userId)
    .where("submitted_at", "<", new Date(now.getTime() - KEEP_FOR_MS))
    .execute();
  const claimed = await db
    .insertInto("form_submission")
    .values({ user_id: key.userId, request: key.request, nonce: key.nonce, submitted_at: now })
    .onConflict((oc) => oc.columns(["user_id", "nonce", "request"]).doNothing())
    .returning("nonce")
    .executeTakeFirst();
  if (claimed) return "claimed";
  const earlier = await db
    .selectFrom("form_submission")
    .select("result")
    .where("user_id", "=", key.userId)
    .where("nonce", "=", key.nonce)
    .where("request", "=", key.request)
    .executeTakeFirst();
  return (earlier?.result as KeptResult | null | undefined) ?? "unknown";
}

/**
 * Keeps a saved submission's result for its repeats. A form shown again (with errors, or
 * refused) keeps no claim: sending it again is a new attempt.
 */
export async function keepResult(
  db: Db,
  key: SubmissionKey,
  result: KeptResult | "shown again" | "sent",
): Promise<void> {
  const where = db
    .updateTable("form_submission")
    .where("user_id", "=", key.userId)
    .where("nonce", "=", key.nonce)
    .where("request", "=", key.request);
  if (result === "shown again") {
    await db
      .deleteFrom("form_submission")
      .where("user_id", "=", key.userId)
      .where("nonce", "=", key.nonce)
      .where("request", "=", key.request)
      .execute();
  } else if (result !== "sent") {
    await where.set({ result: JSON.stringify(result) }).execute();
  }
}
