import { describe, expect, it } from "vitest";
import {
  checkAdoption,
  checkAdoptionDecision,
  checkOutcomes,
  checkPreviousPermanence,
  datePerm,
  type Adoption,
  type Outcomes,
} from "./permanence.ts";

const child = { dateOfBirth: "2021-02-20" };
const today = "2026-03-02";
const adoption: Adoption = {
  bestInterestOn: "2024-05-01",
  placementOrderOn: "2024-06-01",
  matchedOn: "2024-07-20",
  fosterCare: false,
  numberOfAdopters: 2,
  sexOfAdopters: "FF",
  legalStatusOfAdopters: "L12",
  adoptedOn: "2025-03-10",
};
const fields = (problems: { field: string }[]) => problems.map((p) => p.field);

describe("the order of an adoption's events", () => {
  it("takes an adoption in order, with adopters described one way", () => {
    expect(checkAdoption(adoption, child, today)).toEqual([]);
  });

  it("refuses a placement order before the decision, an order before the match, and a mismatch", () => {
    expect(
      fields(checkAdoption({ ...adoption, placementOrderOn: "2024-04-01" }, child, today)),
    ).toEqual(["placementOrderOn"]);
    expect(fields(checkAdoption({ ...adoption, adoptedOn: "2024-07-01" }, child, today))).toEqual([
      "adoptedOn",
    ]);
    expect(
      fields(
        checkAdoption({ ...adoption, adoptedOn: "2025-03-10", matchedOn: null }, child, today),
      ),
    ).toEqual(["matchedOn"]);
    expect(
      fields(checkAdoption({ ...adoption, legalStatusOfAdopters: "L11" }, child, today)),
    ).toEqual(["legalStatusOfAdopters"]);
    expect(
      fields(
        checkAdoption(
          {
            ...adoption,
            bestInterestOn: "2027-01-01",
            matchedOn: null,
            placementOrderOn: null,
            adoptedOn: null,
          },
          child,
          today,
        ),
      ),
    ).toEqual(["bestInterestOn"]);
  });
});

describe("decisions that a child should be placed for adoption", () => {
  const first = {
    id: "d1",
    decidedOn: "2024-05-01",
    placedOn: null,
    ceasedOn: "2024-09-01",
    ceasedReason: "RD3",
  };
  it("allows a new decision after the last one ended, not one overlapping it", () => {
    const next = { decidedOn: "2024-10-01", placedOn: null, ceasedOn: null, ceasedReason: null };
    expect(checkAdoptionDecision(next, [first], child, today)).toEqual([]);
    expect(
      fields(checkAdoptionDecision({ ...next, decidedOn: "2024-08-01" }, [first], child, today)),
    ).toEqual(["decidedOn"]);
    // Changing the decision itself is not an overlap with itself.
    expect(
      checkAdoptionDecision({ ...first, ceasedOn: "2024-09-02" }, [first], child, today),
    ).toEqual([]);
  });

  it("refuses a decision before birth", () => {
    const early = { decidedOn: "2020-01-01", placedOn: null, ceasedOn: null, ceasedReason: null };
    expect(fields(checkAdoptionDecision(early, [], child, today))).toEqual(["decidedOn"]);
  });
});

describe("previous permanence", () => {
  it("writes DATE_PERM with zz for what is not known", () => {
    expect(datePerm({ year: 2019, month: 7, day: null })).toBe("zz/07/2019");
    expect(datePerm({ year: 2019, month: null, day: null })).toBe("zz/zz/2019");
    expect(datePerm({ year: 2019, month: 7, day: 4 })).toBe("04/07/2019");
    expect(datePerm({ year: null, month: null, day: null })).toBe("");
  });

  it("refuses an order in the future, a malformed council code, and a date for no order", () => {
    const p = { prevPerm: "P2" as const, laPerm: "202", year: 2019, month: 7, day: null };
    expect(checkPreviousPermanence(p, { dateOfBirth: "2015-01-01" }, today)).toEqual([]);
    expect(
      fields(checkPreviousPermanence({ ...p, year: 2027 }, { dateOfBirth: null }, today)),
    ).toEqual(["permDate"]);
    expect(
      fields(checkPreviousPermanence({ ...p, laPerm: "20" }, { dateOfBirth: null }, today)),
    ).toEqual(["laPerm"]);
    expect(
      fields(checkPreviousPermanence({ ...p, prevPerm: "Z1" }, { dateOfBirth: null }, today)),
    ).toEqual(["prevPerm"]);
  });
});

describe("OC2 outcomes", () => {
  const answers: Outcomes = {
    sdqScore: 12,
    sdqReason: null,
    convicted: false,
    healthCheck: null,
    immunisations: true,
    teethCheck: true,
    healthAssessment: true,
    substanceMisuse: false,
    interventionReceived: null,
    interventionOffered: null,
  };
  it("asks convictions from 10 and development checks under 5 only", () => {
    expect(checkOutcomes(answers, "2012-05-10", "2025-03-31")).toEqual([]);
    expect(fields(checkOutcomes(answers, "2016-05-10", "2025-03-31"))).toEqual(["convicted"]);
    const toddler = { ...answers, convicted: null, sdqScore: null };
    expect(fields(checkOutcomes(toddler, "2022-05-10", "2025-03-31"))).toEqual(["healthCheck"]);
    expect(checkOutcomes({ ...toddler, healthCheck: true }, "2022-05-10", "2025-03-31")).toEqual(
      [],
    );
  });

  it("asks the substance misuse follow-ups in turn", () => {
    const misuse = { ...answers, substanceMisuse: true };
    expect(fields(checkOutcomes(misuse, "2012-05-10", "2025-03-31"))).toEqual([
      "interventionReceived",
    ]);
    expect(
      fields(checkOutcomes({ ...misuse, interventionReceived: false }, "2012-05-10", "2025-03-31")),
    ).toEqual(["interventionOffered"]);
    expect(
      checkOutcomes(
        { ...misuse, interventionReceived: false, interventionOffered: true },
        "2012-05-10",
        "2025-03-31",
      ),
    ).toEqual([]);
  });
});
