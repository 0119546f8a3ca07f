import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  accommodationCodes,
  activityCodes,
  birthday,
  birthdayFor,
  contactDue,
  contactWindow,
  daysLookedAfter,
  deriveStatus,
  inTouchCodes,
  pathwayReviewDue,
  type CareEpisode,
} from "./care-leavers.ts";
import { codesOf } from "./code-list.ts";

const DOB = "2008-04-20";
const care = (startDate: string, endDate: string | null, legalStatus = "C2"): CareEpisode => ({
  startDate,
  endDate,
  legalStatus,
});

describe("care leaver status from the looked-after history", () => {
  it("is eligible while looked after at 16 or 17 with 13 weeks in care since 14", () => {
    expect(deriveStatus(DOB, [care("2024-01-01", null)], "2024-06-01").status).toBe("eligible");
  });

  it("is relevant after leaving care at 16 or 17 as an eligible child", () => {
    expect(deriveStatus(DOB, [care("2022-06-01", "2024-10-01")], "2025-01-01").status).toBe(
      "relevant",
    );
  });

  it("is former relevant from 18, and stays so to 25 when they ask for support", () => {
    const episodes = [care("2022-06-01", "2024-10-01")];
    expect(deriveStatus(DOB, episodes, "2026-04-20").status).toBe("former_relevant");
    expect(deriveStatus(DOB, episodes, "2030-01-01").reason).toContain("s23CZB");
    expect(deriveStatus(DOB, episodes, "2033-04-20").status).toBeNull();
  });

  it("is no care leaver under 16, with under 13 weeks, or with care that ended before 16", () => {
    expect(deriveStatus(DOB, [care("2022-06-01", null)], "2024-01-01").status).toBeNull();
    // 12 weeks after the 16th birthday, and nothing before.
    expect(deriveStatus(DOB, [care("2024-05-01", "2024-07-24")], "2024-09-01").status).toBeNull();
    // Three years of care that ended at 15.
    const early = deriveStatus(DOB, [care("2020-06-01", "2023-06-01")], "2025-01-01");
    expect(early.status).toBeNull();
    expect(early.reason).toContain("none of it after their 16th");
  });

  it("leaves out a series of short breaks (V3, V4) and counts overlapping days once", () => {
    expect(deriveStatus(DOB, [care("2022-06-01", "2024-10-01", "V3")], "2025-01-01").status).toBe(
      null,
    );
    expect(
      daysLookedAfter(
        [care("2024-01-01", "2024-03-01"), care("2024-02-01", "2024-04-01")],
        "2022-04-20",
        "2025-01-01",
      ),
    ).toBe(91);
  });
});

describe("keeping-in-touch windows", () => {
  it("runs from the 17th birthday (never before) to a month after it", () => {
    expect(contactWindow(DOB, 17)).toEqual({ from: "2025-04-20", to: "2025-05-20" });
    expect(birthdayFor(DOB, "2025-04-19")).toBeUndefined();
  });

  it("opens three months before the 18th to 21st birthdays", () => {
    expect(contactWindow(DOB, 18)).toEqual({ from: "2026-01-20", to: "2026-05-20" });
    expect(birthdayFor(DOB, "2029-03-01")).toBe(21);
    expect(birthdayFor(DOB, "2029-05-21")).toBeUndefined();
  });

  it("puts a 29 February birthday on 1 March in other years", () => {
    expect(birthday("2008-02-29", 17)).toBe("2025-03-01");
    expect(birthday("2008-02-29", 20)).toBe("2028-02-29");
  });

  it("says a contact is due while a window is open and none recorded, overdue after the birthday", () => {
    expect(contactDue(DOB, "2026-03-02", [])).toMatchObject({ age: 18, overdue: false });
    expect(contactDue(DOB, "2026-05-01", [])).toMatchObject({ age: 18, overdue: true });
    expect(contactDue(DOB, "2026-03-02", [18])).toBeUndefined();
    expect(contactDue(DOB, "2026-07-01", [])).toBeUndefined();
  });
});

describe("pathway plan reviews", () => {
  it("are due six months after the plan or the latest review (reg. 7)", () => {
    expect(pathwayReviewDue("2024-10-15", [])).toBe("2025-04-15");
    expect(pathwayReviewDue("2024-10-15", ["2025-04-10"])).toBe("2025-10-10");
  });
});

describe("the OC3 code lists", () => {
  const schema = readFileSync("specs/ssda903/SSDA903_schema_2024.yml", "utf8");
  const block = schema.slice(schema.indexOf("    OC3:"), schema.indexOf("    PlacedAdoption:"));
  const codesIn = (column: string) => {
    const from = block.indexOf(`${column}:`);
    const part = block.slice(from, block.indexOf("canbeblank", from));
    return [...part.matchAll(/code: "([^"]+)"/g)].map((m) => m[1]);
  };

  it("hold the schema's codes (ACTIV and ACCOM less the 0 of 'not asked')", () => {
    expect(codesOf(inTouchCodes).sort()).toEqual(codesIn("IN_TOUCH").sort());
    expect([...codesOf(activityCodes), "0"].sort()).toEqual(codesIn("ACTIV").sort());
    expect([...codesOf(accommodationCodes), "0"].sort()).toEqual(codesIn("ACCOM").sort());
  });
});
