import { describe, expect, it } from "vitest";
import {
  ACCOUNT_POLICY,
  currentFailures,
  decideAttempt,
  FORGET_AFTER_MS,
  noFailures,
  SOURCE_POLICY,
  waitSecondsAfter,
} from "./throttle.ts";

const t0 = new Date("2026-01-01T09:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const failed = (failures: number) => ({ failures, lastFailedAt: t0 });

describe("sign-in throttling", () => {
  it("waits nothing for an account's first 5 failures, then doubles up to a minute, never a lock", () => {
    expect(
      [0, 4, 5, 6, 7, 10, 11, 50, 1000].map((n) => waitSecondsAfter(n, ACCOUNT_POLICY)),
    ).toEqual([0, 0, 1, 2, 4, 32, 60, 60, 60]);
  });

  it("lets a source fail 10 times across accounts, then doubles up to 15 minutes", () => {
    expect([9, 10, 13, 20, 100].map((n) => waitSecondsAfter(n, SOURCE_POLICY))).toEqual([
      0, 1, 8, 900, 900,
    ]);
  });

  it("refuses a failing source inside the account's wait, and allows it after", () => {
    const counts = { account: failed(7), source: failed(2) };
    expect(decideAttempt(counts, at(3))).toEqual({
      check: false,
      by: "account",
      retryAfterSeconds: 1,
    });
    expect(decideAttempt(counts, at(4))).toEqual({ check: true });
  });

  it("still checks an attempt from a source with no recent failures, however many the account has", () => {
    expect(decideAttempt({ account: failed(500), source: noFailures }, at(1))).toEqual({
      check: true,
    });
  });

  it("refuses a source in its own wait whichever account it tries", () => {
    expect(decideAttempt({ account: noFailures, source: failed(20) }, at(60))).toEqual({
      check: false,
      by: "source",
      retryAfterSeconds: 840,
    });
  });

  it("forgets failures an hour after the last one", () => {
    expect(currentFailures(failed(50), at(FORGET_AFTER_MS / 1000 - 1))).toBe(50);
    expect(currentFailures(failed(50), at(FORGET_AFTER_MS / 1000))).toBe(0);
  });
});
