import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";
import { timingDummyHash, verifyPassword } from "./passwords.ts";
import { decideAttempt, FORGET_AFTER_MS, noFailures, type FailureCount } from "./throttle.ts";

/**
 * Password sign-in. Every refusal (wrong password, unknown or inactive email, throttled) looks
 * the same to the person signing in and costs one argon2 verification, so neither the answer
 * nor its timing tells a guesser whether an account exists.
 */
export type PasswordSignIn =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" | "throttled"; userId: string | undefined };

/** Rows untouched this long are deleted as failures are written. */
const KEEP_ROWS_MS = 24 * 3_600_000;

/** Throttle keys hold a hash, so the table is not a list of emails and addresses. */
export function throttleKey(kind: "account" | "source", value: string): string {
  return `${kind}:${createHash("sha256").update(value).digest("hex")}`;
}

export function accountKey(email: string): string {
  return throttleKey("account", email.trim().toLowerCase());
}

async function failureCount(tx: Db, key: string, lock: boolean): Promise<FailureCount> {
  const query = tx
    .selectFrom("sign_in_throttle")
    .select(["failures", "last_failed_at"])
    .where("key", "=", key);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  return row ? { failures: row.failures, lastFailedAt: row.last_failed_at } : noFailures;
}

async function recordFailure(tx: Db, keys: string[], now: Date): Promise<void> {
  const forgotten = new Date(now.getTime() - FORGET_AFTER_MS);
  for (const key of keys) {
    await tx
      .insertInto("sign_in_throttle")
      .values({ key, failures: 1, last_failed_at: now })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({
          failures: sql<number>`case when sign_in_throttle.last_failed_at is null
            or sign_in_throttle.last_failed_at <= ${forgotten} then 1
            else sign_in_throttle.failures + 1 end`,
          last_failed_at: now,
        }),
      )
      .execute();
  }
  await tx
    .deleteFrom("sign_in_throttle")
    .where("last_failed_at", "<", new Date(now.getTime() - KEEP_ROWS_MS))
    .execute();
}

/** Checks a password sign-in from `source` (the client address). Runs inside the request's tx. */
export async function checkPasswordSignIn(
  tx: Db,
  attempt: { email: string; password: string; source: string },
  now: Date,
): Promise<PasswordSignIn> {
  const keys = {
    account: accountKey(attempt.email),
    source: throttleKey("source", attempt.source),
  };
  // The account's row is locked for the whole check, so parallel guesses at one account queue
  // rather than each slipping under the count.
  await tx
    .insertInto("sign_in_throttle")
    .values({ key: keys.account })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const counts = {
    account: await failureCount(tx, keys.account, true),
    source: await failureCount(tx, keys.source, false),
  };
  const user = await tx
    .selectFrom("app_user")
    .select(["id", "password_hash", "active"])
    .where(sql`lower(email)`, "=", attempt.email.trim().toLowerCase())
    .executeTakeFirst();
  const hash = user?.active && user.password_hash ? user.password_hash : undefined;
  if (!decideAttempt(counts, now).check) {
    await verifyPassword(await timingDummyHash(), attempt.password);
    return { ok: false, reason: "throttled", userId: user?.id };
  }
  const right = await verifyPassword(hash ?? (await timingDummyHash()), attempt.password);
  if (right && hash && user) {
    await tx
      .updateTable("sign_in_throttle")
      .set({ failures: 0, last_failed_at: null })
      .where("key", "=", keys.account)
      .execute();
    return { ok: true, userId: user.id };
  }
  await recordFailure(tx, [keys.account, keys.source], now);
  return { ok: false, reason: "invalid", userId: user?.id };
}
