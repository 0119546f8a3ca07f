import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";
import { timingDummyHash, verifyPassword } from "./passwords.ts";
import { afterFailure, decideAttempt } from "./throttle.ts";

export type PasswordSignIn =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked" | "wait"; retryAfterSeconds: number; userId: string };

/** Checks a password sign-in, applying back-off and lockout. Runs inside the request's tx. */
export async function checkPasswordSignIn(
  tx: Db,
  email: string,
  password: string,
  now: Date,
): Promise<PasswordSignIn> {
  const user = await tx
    .selectFrom("app_user")
    .select([
      "id",
      "password_hash",
      "active",
      "failed_sign_ins",
      "last_failed_sign_in_at",
      "locked_until",
    ])
    .where(sql`lower(email)`, "=", email.trim().toLowerCase())
    .forUpdate()
    .executeTakeFirst();
  if (!user?.active || !user.password_hash) {
    await verifyPassword(await timingDummyHash(), password);
    return { ok: false, reason: "invalid" };
  }
  const decision = decideAttempt(
    {
      failedSignIns: user.failed_sign_ins,
      lastFailedAt: user.last_failed_sign_in_at,
      lockedUntil: user.locked_until,
    },
    now,
  );
  if (!decision.allowed) {
    return {
      ok: false,
      reason: decision.reason,
      retryAfterSeconds: decision.retryAfterSeconds,
      userId: user.id,
    };
  }
  const failuresBefore = decision.resetCount ? 0 : user.failed_sign_ins;
  if (await verifyPassword(user.password_hash, password)) {
    await tx
      .updateTable("app_user")
      .set({ failed_sign_ins: 0, last_failed_sign_in_at: null, locked_until: null })
      .where("id", "=", user.id)
      .execute();
    return { ok: true, userId: user.id };
  }
  const next = afterFailure(failuresBefore, now);
  await tx
    .updateTable("app_user")
    .set({
      failed_sign_ins: next.failedSignIns,
      last_failed_sign_in_at: next.lastFailedAt,
      locked_until: next.lockedUntil,
    })
    .where("id", "=", user.id)
    .execute();
  return { ok: false, reason: "invalid" };
}
