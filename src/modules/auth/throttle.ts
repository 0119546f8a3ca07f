/**
 * Throttling of password sign-in, as a pure rule (NCSC password guidance: throttle, do not lock
 * out). Failures are counted per account (the email typed, whether or not an account has it, so
 * the count reveals nothing) and per source address. After a key's free failures, each further
 * attempt must wait twice as long as the last, up to its cap; a key with no failure for an hour
 * starts afresh. Nothing ever locks: the most a guesser can impose on an account is a wait of one
 * minute, and only on attempts from sources that have themselves failed recently, so the real
 * user, from a source with no recent failures, still gets in with the right password.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  maxWaitSeconds: number;
}

/** One account: enough for typos; then at most one guess a minute from failing sources. */
export const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 5, maxWaitSeconds: 60 };
/** One address, across all accounts: slows password spraying and guessing from one place. */
export const SOURCE_POLICY: ThrottlePolicy = { freeFailures: 10, maxWaitSeconds: 15 * 60 };
/** A key with no failure for this long starts afresh. */
export const FORGET_AFTER_MS = 60 * 60_000;

export interface FailureCount {
  failures: number;
  lastFailedAt: Date | null;
}

export const noFailures: FailureCount = { failures: 0, lastFailedAt: null };

export type ThrottleDecision =
  { check: true } | { check: false; by: "account" | "source"; retryAfterSeconds: number };

/** Failures that still count at `now` (none once forgotten). */
export function currentFailures(count: FailureCount, now: Date): number {
  if (!count.lastFailedAt || now.getTime() - count.lastFailedAt.getTime() >= FORGET_AFTER_MS) {
    return 0;
  }
  return count.failures;
}

export function waitSecondsAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(2 ** (failures - policy.freeFailures), policy.maxWaitSeconds);
}

/** Seconds still to wait before this key may try again (0: it may). */
export function secondsToWait(count: FailureCount, policy: ThrottlePolicy, now: Date): number {
  const wait = waitSecondsAfter(currentFailures(count, now), policy);
  if (wait === 0 || !count.lastFailedAt) return 0;
  const remaining = count.lastFailedAt.getTime() + wait * 1000 - now.getTime();
  return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
}

/** Whether an attempt is checked at all; a refused attempt is not counted as a failure. */
export function decideAttempt(
  counts: { account: FailureCount; source: FailureCount },
  now: Date,
): ThrottleDecision {
  const sourceWait = secondsToWait(counts.source, SOURCE_POLICY, now);
  if (sourceWait > 0) return { check: false, by: "source", retryAfterSeconds: sourceWait };
  const accountWait = secondsToWait(counts.account, ACCOUNT_POLICY, now);
  if (accountWait > 0 && currentFailures(counts.source, now) > 0) {
    return { check: false, by: "account", retryAfterSeconds: accountWait };
  }
  return { check: true };
}
