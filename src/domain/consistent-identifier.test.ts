import { describe, expect, it } from "vitest";
import {
  exceptionLabel,
  identifierExceptions,
  needsConsistentIdentifier,
} from "./consistent-identifier.ts";

describe("the consistent identifier (Children Act 2004 s16LC)", () => {
  it("is required of a child's record, up to the day before the 18th birthday", () => {
    expect(needsConsistentIdentifier("2008-03-02", "2026-03-01")).toBe(true);
    expect(needsConsistentIdentifier("2008-03-02", "2026-03-02")).toBe(false);
    expect(needsConsistentIdentifier("2026-03-02", "2026-03-02")).toBe(true);
  });

  it("is not required without a date of birth, since the record does not say it is a child's", () => {
    expect(needsConsistentIdentifier(null, "2026-03-02")).toBe(false);
  });

  it("has the three exceptions of the Act, each in plain words", () => {
    expect(identifierExceptions.map((e) => e.code)).toEqual([
      "unlikely_to_help",
      "more_detrimental",
      "unknown_delay",
    ]);
    expect(exceptionLabel("unknown_delay")).toMatch(/unreasonable delay/);
    expect(exceptionLabel("nope")).toBeUndefined();
  });
});
