import { describe, expect, it } from "vitest";
import { relativeRate, relativeRates } from "./disproportionality.ts";

describe("the relative rate index", () => {
  it("matches a worked example of the Katz log interval", () => {
    // 30 of 2,000 Black Caribbean children and 60 of 20,000 White British children on a plan:
    // rates 150 and 30 per 10,000, RRI 5. se = sqrt(1/30 - 1/2000 + 1/60 - 1/20000) = 0.22234;
    // exp(ln 5 -/+ 1.96 x 0.22234) = 3.2335 to 7.7316.
    const { rri, lower, upper } = relativeRate(30, 2000, 60, 20000);
    expect(rri).toBeCloseTo(5, 10);
    expect(lower).toBeCloseTo(3.2335, 3);
    expect(upper).toBeCloseTo(7.7316, 3);
  });

  it("gives no index without a comparison group in the cohort, and no interval for an empty group", () => {
    expect(relativeRate(5, 100, 0, 100).rri).toBeUndefined();
    expect(relativeRate(0, 100, 5, 100)).toEqual({ rri: 0, lower: undefined, upper: undefined });
    expect(relativeRate(5, 0, 5, 100).rri).toBeUndefined();
  });

  it("compares each group with a named group, which is 1 against itself", () => {
    const rates = relativeRates(
      [
        { group: "WBRI", cohort: 60, population: 20000 },
        { group: "BCRB", cohort: 30, population: 2000 },
      ],
      "WBRI",
    );
    expect(rates.map((r) => [r.group, r.rate, r.rri])).toEqual([
      ["WBRI", 30, 1],
      ["BCRB", 150, 5],
    ]);
  });

  it("without a named group compares each group with every other child", () => {
    const [first] = relativeRates([
      { group: "A", cohort: 10, population: 1000 },
      { group: "B", cohort: 10, population: 4000 },
      { group: "C", cohort: 10, population: 5000 },
    ]);
    // A: 100 per 10,000 against (20 / 9,000) = 22.2 per 10,000: RRI 4.5.
    expect(first?.rri).toBeCloseTo(4.5, 10);
  });
});
