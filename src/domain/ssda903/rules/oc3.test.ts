import { describe, expect, it } from "vitest";
import { tableColumns, type Row, type Ssda903Return, type TableName } from "../model.ts";
import { runRule, ssda903Rules, validate903 } from "./index.ts";
import { oc3Checks } from "./oc3.ts";

function row(table: TableName, values: Record<string, string>): Row {
  return Object.fromEntries(tableColumns[table].map((c) => [c, values[c] ?? ""]));
}

/**
 * Four care leavers in 2024-25: L1 turns 17 after leaving care at 16, in touch; L2 turns 21,
 * not in touch, with no episodes this year; L3 died after care, at 19; L4 turns 18, with former
 * foster carers (staying put), having left care the day before the birthday.
 */
function fixture(): Ssda903Return {
  const header = (CHILD: string, SEX: string, DOB: string) =>
    row("Header", { CHILD, SEX, DOB, ETHNIC: "WBRI", UPN: "UN2" });
  const episode = (values: Record<string, string>) =>
    row("Episodes", { RNE: "S", LS: "C2", CIN: "N1", PLACE: "U1", ...values });
  return {
    Header: [
      header("L1", "1", "15/08/2007"),
      header("L2", "2", "10/01/2004"),
      header("L3", "1", "05/06/2005"),
      header("L4", "2", "01/12/2006"),
    ],
    Episodes: [
      episode({ CHILD: "L1", DECOM: "01/09/2021", DEC: "01/05/2024", REC: "E8" }),
      episode({ CHILD: "L4", DECOM: "01/03/2024", DEC: "30/11/2024", REC: "E17" }),
    ],
    OC3: [
      row("OC3", { CHILD: "L1", DOB: "15/08/2007", IN_TOUCH: "YES", ACTIV: "F2", ACCOM: "D1" }),
      row("OC3", { CHILD: "L2", DOB: "10/01/2004", IN_TOUCH: "NO", ACTIV: "0", ACCOM: "0" }),
      row("OC3", { CHILD: "L3", DOB: "05/06/2005", IN_TOUCH: "DIED" }),
      row("OC3", { CHILD: "L4", DOB: "01/12/2006", IN_TOUCH: "YES", ACTIV: "F5", ACCOM: "Z1" }),
    ],
  };
}

type Edit = [TableName, number, Record<string, string>];
const O = (i: number, v: Record<string, string>): Edit => ["OC3", i, v];
const E = (i: number, v: Record<string, string>): Edit => ["Episodes", i, v];
const H = (i: number, v: Record<string, string>): Edit => ["Header", i, v];

function edited(edits: readonly Edit[]): Ssda903Return {
  const tables: Partial<Record<TableName, Row[]>> = {};
  for (const [name, rows] of Object.entries(fixture())) tables[name as TableName] = [...rows];
  for (const [table, i, values] of edits) {
    const rows = tables[table] ?? [];
    rows[i] = { ...rows[i], ...values };
  }
  return tables;
}

const failing: Record<string, Edit[]> = {
  "131": [O(0, { IN_TOUCH: "MAYBE" })],
  "132": [O(0, { ACTIV: "Q1" })],
  "133": [O(0, { ACCOM: "Q1" })],
  "153": [O(0, { ACCOM: "" })],
  "344": [O(2, { ACTIV: "F1" })],
  "345": [O(0, { ACTIV: "0" })],
  "347": [O(0, { ACCOM: "T1" })],
  "391": [O(0, { DOB: "01/01/2010" })],
  "3001": [O(0, { ACCOM: "Z1" })],
  "1000": [E(0, { REC: "E2" })],
  "1007": [E(0, { DEC: "20/08/2024" })],
  "1011": [E(0, { REC: "E3" })],
  "1016": [E(0, { DEC: "20/08/2024" })],
  "628": [H(1, { MOTHER: "0" })],
  INT06: [O(1, { CHILD: "Z9" })],
  INT15: [O(1, { DOB: "11/01/2004" })],
  INT34: [O(3, { CHILD: "L1" })],
};

const oc3Rules = ssda903Rules.filter((r) => r.code in oc3Checks);

describe("the OC3 rules", () => {
  it("are registered with the engine, each with a failing case here", () => {
    expect(oc3Rules.map((r) => r.code).sort()).toEqual(Object.keys(failing).sort());
  });

  it("pass the clean care leavers on every OC3 rule", () => {
    expect(oc3Rules.flatMap((rule) => runRule(rule, fixture(), "2024-25"))).toEqual([]);
  });

  it.each(Object.keys(failing))("rule %s fails on its failing case", (code) => {
    const rule = oc3Rules.find((r) => r.code === code);
    const failures = rule ? runRule(rule, edited(failing[code] ?? []), "2024-25") : [];
    expect(failures.length, `rule ${code}`).toBeGreaterThan(0);
    expect(failures.every((f) => f.crashed === undefined && f.childId !== null)).toBe(true);
  });

  it("names the young person, table and field of a failure", () => {
    expect(validate903(edited([O(0, { ACTIV: "0" })]), "2024-25")).toContainEqual({
      rule: "345",
      childId: "L1",
      table: "OC3",
      field: "ACTIV",
      value: "0",
      row: 0,
    });
  });

  it("lets a young person who died have no activity or accommodation under both 153 and 344", () => {
    const codes = validate903(fixture(), "2024-25").map((f) => f.rule);
    expect(codes).not.toContain("153");
    expect(codes).not.toContain("344");
  });

  it("is not run on a return without an OC3 table", () => {
    const ret = fixture();
    delete ret.OC3;
    expect(validate903(ret, "2024-25").filter((f) => f.table === "OC3")).toEqual([]);
  });
});
