import { describe, expect, it } from "vitest";
import {
  afterFailure,
  decideAttempt,
  LOCK_AFTER,
  LOCK_MINUTES,
  waitSecondsAfter,
} from "./throttle.ts";

const t0 = new Date("2026-01-01T09:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe("sign-in back-off", () => {
  it("waits nothing for the first 3 failures, then doubles up to a minute", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(waitSecondsAfter)).toEqual([
      0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60,
    ]);
  });

  it("refuses an attempt inside the wait and allows one after it", () => {
    const state = { failedSignIns: 5, lastFailedAt: t0, lockedUntil: null };
    expect(decideAttempt(state, at(3))).toEqual({
      allowed: false,
      reason: "wait",
      retryAfterSeconds: 1,
    });
    expect(decideAttempt(state, at(4))).toEqual({ allowed: true, resetCount: false });
  });

  it("locks at the 10th failure for 30 minutes, then starts counting afresh", () => {
    const locked = afterFailure(LOCK_AFTER - 1, t0);
    expect(locked.failedSignIns).toBe(LOCK_AFTER);
    expect(locked.lockedUntil?.getTime()).toBe(t0.getTime() + LOCK_MINUTES * 60_000);
    expect(decideAttempt(locked, at(LOCK_MINUTES * 60 - 1))).toMatchObject({
      allowed: false,
      reason: "locked",
    });
    expect(decideAttempt(locked, at(LOCK_MINUTES * 60))).toEqual({
      allowed: true,
      resetCount: true,
    });
    expect(afterFailure(LOCK_AFTER - 2, t0).lockedUntil).toBeNull();
  });
});
