import { describe, expect, it } from "vitest";
import { tableColumns, type Row, type Ssda903Return, type TableName } from "../model.ts";
import { adoptionChecks } from "./adoption.ts";
import { runRule, ssda903Rules, validate903 } from "./index.ts";

function row(table: TableName, values: Record<string, string>): Row {
  return Object.fromEntries(tableColumns[table].map((c) => [c, values[c] ?? ""]));
}

/**
 * 2024-25: A1, in care since 2023, should be placed for adoption from May 2024, matched in July,
 * placed with her foster carers in August and adopted in March 2025; A2 came into care in May
 * 2024, and the decision to place him for adoption was reversed in December (no adopters);
 * P1 came into care in June 2024 from a special guardianship order made in July 2019.
 */
function fixture(): Ssda903Return {
  const header = (CHILD: string, SEX: string, DOB: string) =>
    row("Header", { CHILD, SEX, DOB, ETHNIC: "WBRI", UPN: "UN2" });
  const episode = (values: Record<string, string>) =>
    row("Episodes", { RNE: "S", LS: "C2", CIN: "N1", PLACE: "U4", ...values });
  return {
    Header: [
      header("A1", "2", "20/02/2021"),
      header("A2", "1", "05/05/2015"),
      header("P1", "1", "03/03/2012"),
    ],
    Episodes: [
      episode({ CHILD: "A1", DECOM: "01/01/2023", DEC: "01/08/2024", REC: "X1" }),
      episode({
        CHILD: "A1",
        DECOM: "01/08/2024",
        RNE: "B",
        LS: "E1",
        PLACE: "A5",
        DEC: "10/03/2025",
        REC: "E11",
      }),
      episode({ CHILD: "A2", DECOM: "01/05/2024" }),
      episode({ CHILD: "P1", DECOM: "01/06/2024" }),
    ],
    AD1: [
      row("AD1", {
        CHILD: "A1",
        DOB: "20/02/2021",
        DATE_INT: "01/05/2024",
        DATE_MATCH: "20/07/2024",
        FOSTER_CARE: "1",
        NB_ADOPTR: "2",
        SEX_ADOPTR: "MF",
        LS_ADOPTR: "L11",
      }),
    ],
    PlacedAdoption: [
      row("PlacedAdoption", { CHILD: "A1", DOB: "20/02/2021", DATE_PLACED: "01/05/2024" }),
      row("PlacedAdoption", {
        CHILD: "A2",
        DOB: "05/05/2015",
        DATE_PLACED: "01/07/2024",
        DATE_PLACED_CEASED: "01/12/2024",
        REASON_PLACED_CEASED: "RD3",
      }),
    ],
    PrevPerm: [
      row("PrevPerm", { CHILD: "A2", DOB: "05/05/2015", PREV_PERM: "Z1" }),
      row("PrevPerm", {
        CHILD: "P1",
        DOB: "03/03/2012",
        PREV_PERM: "P2",
        LA_PERM: "202",
        DATE_PERM: "zz/07/2019",
      }),
    ],
  };
}

type Edit = [TableName, number, Record<string, string>];
const A = (i: number, v: Record<string, string>): Edit => ["AD1", i, v];
const D = (i: number, v: Record<string, string>): Edit => ["PlacedAdoption", i, v];
const P = (i: number, v: Record<string, string>): Edit => ["PrevPerm", i, v];
const E = (i: number, v: Record<string, string>): Edit => ["Episodes", i, v];

function edited(edits: readonly Edit[]): Ssda903Return {
  const tables: Partial<Record<TableName, Row[]>> = {};
  for (const [name, rows] of Object.entries(fixture())) tables[name as TableName] = [...rows];
  for (const [table, i, values] of edits) {
    const rows = (tables[table] ??= []);
    rows[i] = { ...(rows[i] ?? row(table, {})), ...values };
  }
  return tables;
}

const failing: Record<string, Edit[]> = {
  "134": [
    ["OC3", 0, { CHILD: "A1", DOB: "20/02/2021", IN_TOUCH: "YES", ACTIV: "F1", ACCOM: "D1" }],
  ],
  "112": [A(0, { DATE_INT: "31/02/2024" })],
  "113": [A(0, { DATE_MATCH: "soon" })],
  "114": [A(0, { FOSTER_CARE: "2" })],
  "175": [A(0, { NB_ADOPTR: "3" })],
  "176": [A(0, { SEX_ADOPTR: "XY" })],
  "177": [A(0, { LS_ADOPTR: "L9" })],
  "151": [A(0, { FOSTER_CARE: "" })],
  "331": [A(0, { DATE_MATCH: "05/08/2024" })],
  "333": [A(0, { DATE_INT: "25/07/2024" })],
  "334": [A(0, { DATE_INT: "01/12/2022" })],
  "335": [A(0, { FOSTER_CARE: "0" })],
  "511": [A(0, { SEX_ADOPTR: "M1" })],
  "514": [A(0, { LS_ADOPTR: "L0" })],
  "517": [A(0, { LS_ADOPTR: "L3", SEX_ADOPTR: "MM" })],
  "518": [A(0, { LS_ADOPTR: "L4" })],
  "519": [A(0, { LS_ADOPTR: "L2", SEX_ADOPTR: "M1" })],
  "520": [A(0, { SEX_ADOPTR: "FF" })],
  "524": [A(0, { LS_ADOPTR: "L12" })],
  "521": [E(1, { DECOM: "01/04/2024" })],
  "582": [A(0, { DATE_MATCH: "10/03/2025" })],
  "601": [A(0, { LS_ADOPTR: "" })],
  "602": [E(1, { REC: "E4A" })],
  INT01: [A(0, { CHILD: "Z9" })],
  INT11: [A(0, { DOB: "21/02/2021" })],
  INT31: [A(1, { CHILD: "A1", DOB: "20/02/2021" })],
  "115": [D(0, { DATE_PLACED: "99/99/2024" })],
  "116": [D(1, { DATE_PLACED_CEASED: "31/13/2024" })],
  "117": [D(1, { DATE_PLACED_CEASED: "01/04/2025" })],
  "118": [D(1, { DATE_PLACED_CEASED: "01/03/2024" })],
  "119": [D(1, { REASON_PLACED_CEASED: "" })],
  "120": [D(1, { REASON_PLACED_CEASED: "RD9" })],
  "184": [D(0, { DATE_PLACED: "01/01/2021" })],
  "522": [D(1, { DATE_PLACED: "02/12/2024" })],
  "523": [D(0, { DATE_PLACED: "02/05/2024" })],
  "525": [D(0, { DATE_PLACED_CEASED: "01/09/2024", REASON_PLACED_CEASED: "RD4" })],
  "551": [D(0, { CHILD: "A2" })],
  "552": [D(0, { DATE_PLACED: "05/08/2024" })],
  "553": [D(0, { CHILD: "A2" })],
  "554": [D(0, { DATE_PLACED: "05/08/2024" })],
  "555": [E(1, { LS: "D1" }), D(0, { CHILD: "A2" })],
  "556": [E(1, { LS: "D1" }), D(0, { DATE_PLACED: "05/08/2024" })],
  "557": [
    E(2, { DEC: "01/02/2025", REC: "E4A" }),
    D(1, { DATE_PLACED_CEASED: "", REASON_PLACED_CEASED: "" }),
  ],
  "558": [D(0, { DATE_PLACED_CEASED: "01/03/2025", REASON_PLACED_CEASED: "RD4" })],
  "563": [D(1, { DATE_PLACED: "" })],
  "579": [D(2, { CHILD: "A2", DOB: "05/05/2015", DATE_PLACED: "01/11/2024" })],
  "583": [D(2, { CHILD: "A1", DOB: "20/02/2021", DATE_PLACED: "01/06/2024" })],
  "1003": [D(0, { DATE_PLACED: "01/12/2022" })],
  INT02: [D(0, { CHILD: "Z9" })],
  INT12: [D(0, { DOB: "21/02/2021" })],
  "630": [P(0, { CHILD: "Z9" })],
  "631": [P(0, { PREV_PERM: "" })],
  "632": [P(1, { DATE_PERM: "zz/07/2025" })],
  "633": [P(1, { LA_PERM: "20X" })],
  "634": [E(3, { DECOM: "01/06/2015" })],
  "635": [P(0, { LA_PERM: "202" })],
  INT07: [P(0, { CHILD: "Z9" })],
  INT16: [P(1, { DOB: "04/03/2012" })],
};

const adoptionRules = ssda903Rules.filter((r) => r.code in adoptionChecks);

describe("the AD1, PlacedAdoption and PrevPerm rules", () => {
  it("are registered with the engine, each with a failing case here", () => {
    expect(adoptionRules.map((r) => r.code).sort()).toEqual(Object.keys(failing).sort());
  });

  it("pass the clean adoption, decisions and previous permanence on every rule", () => {
    expect(adoptionRules.flatMap((rule) => runRule(rule, fixture(), "2024-25"))).toEqual([]);
  });

  it.each(Object.keys(failing))("rule %s fails on its failing case", (code) => {
    const rule = adoptionRules.find((r) => r.code === code);
    const failures = rule ? runRule(rule, edited(failing[code] ?? []), "2024-25") : [];
    expect(failures.length, `rule ${code}`).toBeGreaterThan(0);
    expect(failures.every((f) => f.crashed === undefined && f.childId !== null)).toBe(true);
  });

  it("reads a previous permanence date known to the year only, and refuses a day without a month", () => {
    const yearOnly = edited([P(1, { DATE_PERM: "zz/zz/2019" })]);
    expect(validate903(yearOnly, "2024-25").filter((f) => f.rule === "632")).toEqual([]);
    const dayOnly = edited([P(1, { DATE_PERM: "04/zz/2019" })]);
    expect(validate903(dayOnly, "2024-25").map((f) => f.rule)).toContain("632");
  });

  it("names the child, table and field of a failure", () => {
    expect(validate903(edited([A(0, { DATE_MATCH: "05/08/2024" })]), "2024-25")).toContainEqual({
      rule: "331",
      childId: "A1",
      table: "AD1",
      field: "DATE_MATCH",
      value: "05/08/2024",
      row: 0,
    });
  });
});
