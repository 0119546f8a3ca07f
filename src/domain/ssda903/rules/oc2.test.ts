import { describe, expect, it } from "vitest";
import { tableColumns, type Row, type Ssda903Return, type TableName } from "../model.ts";
import { runRule, ssda903Rules, validate903 } from "./index.ts";
import { lookedAfterAllYear, oc2Checks } from "./oc2.ts";
import { contextFor, episodesByChild } from "./engine.ts";

function row(table: TableName, values: Record<string, string>): Row {
  return Object.fromEntries(tableColumns[table].map((c) => [c, values[c] ?? ""]));
}

/**
 * Three children looked after all of 2024-25: K1 is 12 on 31 March, with a substance misuse
 * problem offered help; K2 is 3; K3 turns 17 in the year, moved placement in September with no
 * day out of care, and the carer refused the SDQ.
 */
function fixture(): Ssda903Return {
  const header = (CHILD: string, DOB: string) =>
    row("Header", { CHILD, SEX: "1", DOB, ETHNIC: "WBRI", UPN: "UN2" });
  const episode = (values: Record<string, string>) =>
    row("Episodes", { RNE: "S", LS: "C2", CIN: "N1", PLACE: "U4", ...values });
  return {
    Header: [header("K1", "10/05/2012"), header("K2", "01/06/2021"), header("K3", "15/01/2008")],
    Episodes: [
      episode({ CHILD: "K1", DECOM: "01/06/2023" }),
      episode({ CHILD: "K2", DECOM: "01/07/2022" }),
      episode({ CHILD: "K3", DECOM: "01/01/2023", DEC: "01/09/2024", REC: "X1" }),
      episode({ CHILD: "K3", DECOM: "01/09/2024", RNE: "P" }),
    ],
    OC2: [
      row("OC2", {
        CHILD: "K1",
        DOB: "10/05/2012",
        SDQ_SCORE: "12",
        CONVICTED: "0",
        IMMUNISATIONS: "1",
        TEETH_CHECK: "1",
        HEALTH_ASSESSMENT: "1",
        SUBSTANCE_MISUSE: "1",
        INTERVENTION_RECEIVED: "0",
        INTERVENTION_OFFERED: "1",
      }),
      row("OC2", {
        CHILD: "K2",
        DOB: "01/06/2021",
        HEALTH_CHECK: "1",
        IMMUNISATIONS: "1",
        TEETH_CHECK: "0",
        HEALTH_ASSESSMENT: "1",
        SUBSTANCE_MISUSE: "0",
      }),
      row("OC2", {
        CHILD: "K3",
        DOB: "15/01/2008",
        SDQ_REASON: "SDQ2",
        CONVICTED: "1",
        IMMUNISATIONS: "0",
        TEETH_CHECK: "1",
        HEALTH_ASSESSMENT: "1",
        SUBSTANCE_MISUSE: "0",
      }),
    ],
  };
}

type Edit = [TableName, number, Record<string, string>];
const O = (i: number, v: Record<string, string>): Edit => ["OC2", i, v];
const E = (i: number, v: Record<string, string>): Edit => ["Episodes", i, v];

function edited(edits: readonly Edit[]): Ssda903Return {
  const tables: Partial<Record<TableName, Row[]>> = {};
  for (const [name, rows] of Object.entries(fixture())) tables[name as TableName] = [...rows];
  for (const [table, i, values] of edits) {
    const rows = (tables[table] ??= []);
    rows[i] = { ...rows[i], ...values };
  }
  return tables;
}

const failing: Record<string, Edit[]> = {
  "187": [
    ["OC3", 0, { CHILD: "K1", DOB: "10/05/2012", IN_TOUCH: "YES", ACTIV: "F1", ACCOM: "D1" }],
  ],
  "215": [
    ["OC3", 0, { CHILD: "K3", DOB: "15/01/2008", IN_TOUCH: "YES", ACTIV: "F1", ACCOM: "D1" }],
  ],
  "157": [O(0, { SDQ_SCORE: "", SDQ_REASON: "SDQ1" })],
  "158": [O(0, { INTERVENTION_RECEIVED: "1" })],
  "159": [O(0, { INTERVENTION_OFFERED: "" })],
  "180": [O(0, { SDQ_SCORE: "41" })],
  "181": [O(0, { IMMUNISATIONS: "Y" })],
  "182": [O(0, { TEETH_CHECK: "" })],
  "185": [E(0, { DECOM: "01/06/2024" })],
  "186": [O(0, { SDQ_SCORE: "" })],
  "188": [O(1, { SDQ_SCORE: "5" })],
  "189": [O(2, { DOB: "15/01/2007" })],
  "190": [E(0, { DECOM: "01/06/2024" })],
  "191": [O(0, { HEALTH_ASSESSMENT: "" })],
  "192": [O(0, { INTERVENTION_RECEIVED: "" })],
  "193": [O(1, { INTERVENTION_RECEIVED: "1" })],
  "196": [O(2, { SDQ_REASON: "SDQ9" })],
  "197B": [O(2, { SDQ_REASON: "" })],
  "197a": [O(2, { SDQ_SCORE: "10" })],
  "198": [E(3, { DECOM: "05/09/2024" })],
  "542": [O(1, { CONVICTED: "0" })],
  "543": [O(0, { CONVICTED: "" })],
  "544": [O(2, { IMMUNISATIONS: "" })],
  "545": [O(1, { HEALTH_CHECK: "" })],
  "546": [O(0, { HEALTH_CHECK: "1" })],
  "547": [O(1, { IMMUNISATIONS: "" })],
  INT05: [O(0, { CHILD: "Z9" })],
  INT14: [O(0, { DOB: "11/05/2012" })],
  INT33: [O(2, { CHILD: "K1" })],
};

const oc2Rules = ssda903Rules.filter((r) => r.code in oc2Checks);

describe("the OC2 rules", () => {
  it("are registered with the engine, each with a failing case here", () => {
    expect(oc2Rules.map((r) => r.code).sort()).toEqual(Object.keys(failing).sort());
  });

  it("pass the clean children on every OC2 rule", () => {
    expect(oc2Rules.flatMap((rule) => runRule(rule, fixture(), "2024-25"))).toEqual([]);
  });

  it.each(Object.keys(failing))("rule %s fails on its failing case", (code) => {
    const rule = oc2Rules.find((r) => r.code === code);
    const failures = rule ? runRule(rule, edited(failing[code] ?? []), "2024-25") : [];
    expect(failures.length, `rule ${code}`).toBeGreaterThan(0);
    expect(failures.every((f) => f.crashed === undefined && f.childId !== null)).toBe(true);
  });

  it("reads looked after all year across a move with no day out of care, not across a gap", () => {
    const ctx = contextFor("2024-25");
    expect(lookedAfterAllYear(episodesByChild(fixture()).get("K3"), ctx)).toBe(true);
    const gap = edited([E(3, { DECOM: "05/09/2024" })]);
    expect(lookedAfterAllYear(episodesByChild(gap).get("K3"), ctx)).toBe(false);
  });

  it("names the child, table and field of a failure", () => {
    expect(validate903(edited([O(0, { SDQ_SCORE: "41" })]), "2024-25")).toContainEqual({
      rule: "180",
      childId: "K1",
      table: "OC2",
      field: "SDQ_SCORE",
      value: "41",
      row: 0,
    });
  });
});
