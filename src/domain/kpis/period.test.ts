import { describe, expect, it } from "vitest";
import { lastDayOf, readPeriod, shiftMonth } from "./period.ts";

describe("a measure's period", () => {
  it("defaults to the 12 months up to this one", () => {
    expect(readPeriod("", "", "2026-03")).toEqual({ period: { from: "2025-04", to: "2026-03" } });
  });

  it("refuses a period that ends before it starts, or in the future, or not a month", () => {
    expect(readPeriod("2026-02", "2026-01", "2026-03")).toEqual({
      problem: "The period must not end before it starts",
    });
    expect(readPeriod("", "2026-04", "2026-03")).toHaveProperty("problem");
    expect(readPeriod("2026-13", "", "2026-03")).toHaveProperty("problem");
    expect(readPeriod("2020-01", "2026-03", "2026-03")).toHaveProperty("problem");
  });

  it("moves across years and knows month ends", () => {
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(shiftMonth("2025-12", 13)).toBe("2027-01");
    expect(lastDayOf("2024-02")).toBe("2024-02-29");
    expect(lastDayOf("2026-04")).toBe("2026-04-30");
  });
});
