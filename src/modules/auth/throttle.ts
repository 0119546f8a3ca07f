/**
 * Back-off and lockout for password sign-in, as a pure rule. After FREE_ATTEMPTS failures each
 * further attempt must wait twice as long as the last (1 s, 2 s, 4 s ... up to a minute); at
 * LOCK_AFTER failures the account locks for LOCK_MINUTES. A success clears the count.
 */
export const FREE_ATTEMPTS = 3;
export const LOCK_AFTER = 10;
export const LOCK_MINUTES = 30;
const MAX_WAIT_SECONDS = 60;

export interface ThrottleState {
  failedSignIns: number;
  lastFailedAt: Date | null;
  lockedUntil: Date | null;
}

export type ThrottleDecision =
  | { allowed: true; resetCount: boolean }
  | { allowed: false; reason: "locked" | "wait"; retryAfterSeconds: number };

export function waitSecondsAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(2 ** (failures - FREE_ATTEMPTS), MAX_WAIT_SECONDS);
}

export function decideAttempt(state: ThrottleState, now: Date): ThrottleDecision {
  if (state.lockedUntil) {
    const remaining = state.lockedUntil.getTime() - now.getTime();
    if (remaining > 0) {
      return { allowed: false, reason: "locked", retryAfterSeconds: Math.ceil(remaining / 1000) };
    }
    return { allowed: true, resetCount: true };
  }
  const wait = waitSecondsAfter(state.failedSignIns);
  if (wait > 0 && state.lastFailedAt) {
    const remaining = state.lastFailedAt.getTime() + wait * 1000 - now.getTime();
    if (remaining > 0) {
      return { allowed: false, reason: "wait", retryAfterSeconds: Math.ceil(remaining / 1000) };
    }
  }
  return { allowed: true, resetCount: false };
}

/** The state after a failed attempt that was allowed to be checked. */
export function afterFailure(failuresBefore: number, now: Date): ThrottleState {
  const failedSignIns = failuresBefore + 1;
  return {
    failedSignIns,
    lastFailedAt: now,
    lockedUntil:
      failedSignIns >= LOCK_AFTER ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null,
  };
}
