import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkList, problemText } from "./check.ts";
import { annexAPeriod, annexCell, codeKey, monthsBefore, UNKNOWN } from "./codes.ts";
import { annexASpec, type AnnexAColumn } from "./spec.ts";

// Guards against drift from Ofsted's lists, kept in the repository's specs/ folder.
const published = JSON.parse(
  readFileSync(new URL("../../../specs/annex-a/lists.json", import.meta.url), "utf8"),
) as Record<
  string,
  { column: string; type: string; canbeblank: boolean; codes: string[] | null }[]
>;

const column = (list: keyof typeof annexASpec, name: string): AnnexAColumn => {
  const found = annexASpec[list].find((c) => c.column === name);
  if (!found) throw new Error(`${list} has no ${name}`);
  return found;
};

describe("Annex A's lists", () => {
  it("are Ofsted's lists 1 to 11, column for column", () => {
    expect(Object.keys(annexASpec)).toEqual(Object.keys(published));
    for (const [list, columns] of Object.entries(published)) {
      expect(annexASpec[list as keyof typeof annexASpec], list).toEqual(
        columns.map((c) => ({
          column: c.column,
          type: c.type,
          canBeBlank: c.canbeblank,
          codes: c.codes,
        })),
      );
    }
  });
});

describe("Ofsted's code formats", () => {
  it("finds the bare code in each of Ofsted's styles", () => {
    expect(codeKey("a) 1A: Individual")).toBe("1A");
    expect(codeKey("s) NOBT")).toBe("NOBT");
    expect(codeKey("N1 - Abuse or neglect")).toBe("N1");
    expect(codeKey("zz) T4: Temporary placement - seven days or less")).toBe("T4");
    expect(codeKey("RC8 - Case closed after assessment, no further action")).toBe("RC8");
  });

  it("writes Trellis's codes in Ofsted's words, and keeps a code Ofsted lacks as it is", () => {
    expect(annexCell(column("List 1", "Gender"), "1")).toBe("a) Male");
    expect(annexCell(column("List 1", "Gender"), "0")).toBe("c) Not stated/recorded");
    expect(annexCell(column("List 1", "Ethnicity"), "REFU")).toBe("s) REFU");
    expect(annexCell(column("List 3", "Referral Source"), "10")).toBe("u) 10: Unknown");
    expect(annexCell(column("List 3", "Referral Source"), "5D")).toBe("5D");
    expect(annexCell(column("List 7", "Initial Category of Abuse"), "MUL")).toBe(
      "e) Multiple/not recommended",
    );
    expect(annexCell(column("List 3", "Referral NFA?"), true)).toBe("a) Yes");
    expect(annexCell(column("List 3", "Referral NFA?"), false)).toBe("b) No");
    expect(annexCell(column("List 4", "Does the Child have a Disability"), UNKNOWN)).toBe(
      "c) Unknown",
    );
    expect(annexCell(column("List 3", "Date of referral"), null)).toBeNull();
    expect(annexCell(column("List 3", "Number of Referrals in Last 12 Months"), 3)).toBe(3);
  });
});

describe("the period", () => {
  it("is the months before the day Ofsted names, clamped to the end of a short month", () => {
    expect(annexAPeriod("2026-03-01")).toEqual({ from: "2025-09-01", to: "2026-03-01", months: 6 });
    expect(monthsBefore("2026-08-31", 6)).toBe("2026-02-28");
    expect(monthsBefore("2024-08-31", 6)).toBe("2024-02-29");
    expect(monthsBefore("2026-01-15", 12)).toBe("2025-01-15");
  });
});

describe("the blank-or-invalid check", () => {
  const columns = annexASpec["List 1"];
  const good = ["C1", "b) Female", "a) WBRI", null, null, "2025-10-01", "e) 2A: Schools"];

  it("passes a row with every required value from Ofsted's lists", () => {
    expect(checkList("List 1", columns, [{ personId: "p1", cells: good }])).toEqual([]);
  });

  it("names a blank Ofsted needs, a code not on the list, and a date that is not one", () => {
    const bad = ["C1", null, "a) WBRI", "2015-02-30", null, "2025-10-01", "5D"];
    const problems = checkList("List 1", columns, [{ personId: "p1", cells: bad }]);
    expect(problems.map((p) => [p.column, p.kind])).toEqual([
      ["Gender", "blank"],
      ["Date of Birth", "not_a_date"],
      ["Contact Source", "not_in_list"],
    ]);
    const [, , uncoded] = problems;
    if (!uncoded) throw new Error("no third problem");
    expect(problemText(uncoded)).toBe(`Contact Source is "5D", which is not one of Ofsted's codes`);
  });

  it("leaves out the columns Trellis does not hold", () => {
    const blankGender = good.map((v, i) => (i === 1 ? null : v));
    const rows = [{ personId: "p1", cells: blankGender }];
    expect(checkList("List 1", columns, rows, new Set(["Gender"]))).toEqual([]);
  });
});
