import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../csv.ts";
import { fixture903 } from "../fixture.ts";
import type { Row, Ssda903Return, TableName } from "../model.ts";
import {
  checksWithoutDefinition,
  rulesFor,
  rulesNotRun,
  runRule,
  ssda903Rules,
  validate903,
  type ListedRule,
} from "./index.ts";
import { adoptionChecks } from "./adoption.ts";
import { oc2Checks } from "./oc2.ts";
import { oc3Checks } from "./oc3.ts";

type Edit = [TableName, number, Record<string, string>];
const H = (i: number, v: Record<string, string>): Edit => ["Header", i, v];
const E = (i: number, v: Record<string, string>): Edit => ["Episodes", i, v];
const R = (i: number, v: Record<string, string>): Edit => ["Reviews", i, v];
const M = (i: number, v: Record<string, string>): Edit => ["Missing", i, v];
const U = (i: number, v: Record<string, string>): Edit => ["UASC", i, v];
const S = (i: number, v: Record<string, string>): Edit => ["SWEpisodes", i, v];

function edited(edits: readonly Edit[], extra?: [TableName, Row]): Ssda903Return {
  const ret = fixture903();
  const tables: Partial<Record<TableName, Row[]>> = {};
  for (const [name, rows] of Object.entries(ret)) tables[name as TableName] = [...rows];
  for (const [table, i, values] of edits) {
    const rows = tables[table] ?? [];
    rows[i] = { ...rows[i], ...values };
  }
  if (extra) tables[extra[0]]?.push(extra[1]);
  return tables;
}

/** For each rule, the edit of the passing fixture that makes it fail. */
const failing: Record<string, Edit[]> = {
  "101": [H(0, { SEX: "3" })],
  "102": [H(0, { DOB: "31/02/2014" })],
  "103": [H(0, { ETHNIC: "XXXX" })],
  "168": [H(0, { UPN: "A123" })],
  "171": [H(1, { MC_DOB: "99/99/2024" })],
  "174": [H(0, { MC_DOB: "01/01/2024" })],
  "301": [H(0, { DOB: "01/06/2025" })],
  "351": [H(0, { DOB: "01/01/1990" })],
  "393": [H(1, { MOTHER: "", MC_DOB: "" })],
  "442": [H(0, { UPN: "" })],
  "611": [H(1, { MC_DOB: "" })],
  "612": [H(1, { MOTHER: "0" })],
  "620": [H(1, { DOB: "01/01/2015" })],
  "621": [H(1, { MC_DOB: "01/01/2007" })],
  "141": [E(0, { DECOM: "bad" })],
  "142": [E(0, { DEC: "", REC: "" })],
  "143": [E(0, { RNE: "X" })],
  "144": [E(0, { LS: "Z9" })],
  "145": [E(0, { CIN: "N0" })],
  "146": [E(0, { PLACE: "Q1" })],
  "147": [E(2, { DEC: "32/01/2025" })],
  "148": [E(2, { REC: "E8" })],
  "149": [E(5, { REC: "E99" })],
  "178": [E(0, { PLACE_PROVIDER: "PR9" })],
  "1009": [E(1, { REASON_PLACE_CHANGE: "XXX" })],
  "213": [E(2, { PLACE: "T4" })],
  "217": [E(5, { RNE: "B" })],
  "226": [E(1, { PLACE: "T1" })],
  "302": [E(0, { DECOM: "01/01/2014" })],
  "336": [E(4, { PLACE: "K2" })],
  "352": [H(1, { DOB: "01/01/2004" })],
  "353": [E(3, { DECOM: "01/01/1990" })],
  "354": [E(2, { DECOM: "01/04/2025" })],
  "355": [E(2, { DEC: "01/12/2024", REC: "E8" })],
  "356": [E(2, { DEC: "01/11/2024", REC: "E8" })],
  "357": [E(0, { RNE: "L" })],
  "358": [E(0, { LS: "J1" })],
  "361": [E(2, { LS: "L1" })],
  "362": [E(2, { LS: "L2" })],
  "363": [E(2, { LS: "L3" })],
  "365": [E(2, { LS: "V3" })],
  "371": [E(0, { PLACE: "H5" })],
  "372": [E(0, { PLACE: "R5" })],
  "373": [E(5, { PLACE: "S1" })],
  "374": [E(0, { PLACE: "P3" })],
  "375": [E(2, { PLACE: "T1" })],
  "376": [E(2, { PLACE: "T3" })],
  "378": [E(0, { PLACE: "P1" })],
  "379": [E(2, { PLACE: "T4" })],
  "380": [E(0, { PLACE: "T0" })],
  "381": [E(5, { PLACE: "T2" })],
  "382": [E(2, { LS: "V3", PLACE: "T1" })],
  "384": [E(2, { LS: "V4" })],
  "385": [E(5, { DEC: "10/04/2025" })],
  "386": [H(2, { DOB: "01/01/2005" })],
  "387": [E(5, { REC: "E5" })],
  "388": [E(2, { DEC: "01/03/2025", REC: "X1" })],
  "389": [E(5, { REC: "E7" })],
  "390": [E(5, { PLACE: "U5" })],
  "392c": [E(0, { HOME_POST: "NOTAPOST" })],
  "392d": [E(0, { PL_POST: "TS1 1AA" })],
  "407": [H(2, { DOB: "01/01/2005" }), E(5, { REC: "E45" })],
  "408": [E(5, { LS: "C2" })],
  "431": [E(1, { RNE: "S" })],
  "432": [E(0, { REC: "E8" })],
  "433": [E(1, { DECOM: "02/09/2024" })],
  "434": [E(2, { LS: "V2" })],
  "435": [E(1, { PLACE: "U6", PLACE_PROVIDER: "PR1" })],
  "436": [E(5, { LS: "C1" })],
  "437": [E(1, { REC: "E2" })],
  "445": [E(2, { LS: "D1" })],
  "446": [E(3, { LS: "E1", DECOM: "01/01/2005" })],
  "460": [E(5, { REC: "E17" })],
  "501": [E(1, { DECOM: "01/08/2024" })],
  "504": [E(1, { CIN: "N3" })],
  "516": [E(5, { REC: "E45" })],
  "526": [E(0, { PLACE_PROVIDER: "" })],
  "527": [E(0, { PLACE: "R2" })],
  "528": [E(0, { PLACE: "R2", PLACE_PROVIDER: "PR2" })],
  "529": [E(0, { PLACE_PROVIDER: "PR3" })],
  "530": [E(0, { PLACE: "P1", PLACE_PROVIDER: "PR4" })],
  "531": [E(0, { PLACE: "P1", PLACE_PROVIDER: "PR5" })],
  "550": [E(0, { PLACE_PROVIDER: "PR0" })],
  "1004": [M(0, { MIS_START: "bad" })],
  "1005": [M(0, { MIS_END: "bad" })],
  "1006": [M(0, { MISSING: "X" })],
  "564": [M(0, { MIS_START: "" })],
  "565": [M(0, { MISSING: "" })],
  "566": [M(0, { MISSING: "" })],
  "567": [M(0, { MIS_END: "30/06/2024" })],
  "570": [M(1, { MIS_START: "01/04/2025" })],
  "571": [M(0, { MIS_END: "01/04/2025" })],
  "574": [M(0, { MIS_END: "" })],
  "577": [E(3, { DEC: "01/03/2025", REC: "E8" })],
  "578": [E(3, { DEC: "01/08/2024", REC: "E8" })],
  "581": [M(0, { MIS_START: "01/01/2023" })],
  "586": [M(0, { MIS_START: "01/01/2007" })],
  "166": [R(0, { REVIEW: "" })],
  "167": [R(0, { REVIEW_CODE: "PN9" })],
  "440": [R(0, { REVIEW_CODE: "PN0" })],
  "441": [R(1, { REVIEW_CODE: "PN1" })],
  INT03: [E(0, { CHILD: "C9" })],
  INT04: [M(0, { CHILD: "C9" })],
  INT08: [R(0, { CHILD: "C9" })],
  INT13: [M(0, { DOB: "01/01/2001" })],
  INT17: [R(0, { DOB: "01/01/2001" })],
  INT32: [],
  "104": [U(0, { DUC: "bad" })],
  "304": [U(1, { DUC: "16/01/2026" })],
  INT09: [U(0, { CHILD: "C9" })],
  INT18: [U(0, { DOB: "01/01/2014" })],
  INT21: [U(1, { SEX: "1" })],
  INT36: [U(1, { CHILD: "C1", DOB: "01/06/2014", SEX: "1" })],
  SW01STG1: [S(2, { CHILD: "C3" })],
  SW02STG1: [S(0, { SW_ID: "AB1" })],
  SW03STG1: [S(0, { SW_ID: "" })],
  SW04STG1: [S(0, { SW_DECOM: "bad" })],
  SW05STG1: [S(0, { SW_DEC: "bad" })],
  SW06STG2: [S(1, { SW_DECOM: "01/04/2025" })],
  SW07STG2: [S(0, { SW_DEC: "01/04/2025" })],
  SW09STG2: [S(0, { SW_DEC: "01/05/2024" })],
  SW108STG2: [S(0, { SW_DEC: "", SW_REASON: "" })],
  SW10STG2: [S(1, { SW_DECOM: "01/09/2024" })],
  SW11STG2: [S(2, { SW_DEC: "01/03/2025", SW_REASON: "LEFTRL" })],
  SW12STG2: [S(0, { SW_DECOM: "01/06/2024" })],
  SW13STG1: [S(0, { SW_REASON: "NOPE" })],
  SW14STG2: [S(1, { SW_REASON: "MANAGE" })],
  SW15STG2: [S(0, { SW_REASON: "" })],
};
/** Rules that compare with last year's return: tested with one in previous-year.test.ts. */
const needsLastYear = (code: string) =>
  ssda903Rules.find((r) => r.code === code)?.tables.some((t) => t.endsWith("_last")) === true;
const duplicateHeader = fixture903().Header?.[0];

function dfeRules(): (ListedRule & { message: string })[] {
  const parsed = parseCsv(readFileSync("specs/ssda903/rules_2024_25.csv", "utf8"));
  if (!parsed.ok) throw new Error(parsed.message);
  const list = (text: string) => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? "");
  return parsed.rows.slice(1).map(([code = "", message = "", fields = "", tables = ""]) => ({
    code,
    message,
    fields: list(fields),
    tables: list(tables),
  }));
}

describe("the SSDA903 rules", () => {
  it("copies each rule's message, fields and tables from the DfE's list", () => {
    const dfe = new Map(dfeRules().map((r) => [r.code, r]));
    for (const rule of ssda903Rules) {
      const listed = dfe.get(rule.code);
      expect(listed, rule.code).toBeDefined();
      expect([rule.message, rule.fields, rule.tables]).toEqual([
        listed?.message,
        listed?.fields,
        listed?.tables,
      ]);
    }
    expect(checksWithoutDefinition).toEqual([]);
  });

  it("passes the clean return on every rule", () => {
    expect(validate903(fixture903(), "2024-25")).toEqual([]);
  });

  // The OC3, OC2 and adoption rules have their own fixtures and cases (oc3, oc2, adoption tests).
  const ownTests = { ...oc3Checks, ...oc2Checks, ...adoptionChecks };
  it.each(ssda903Rules.map((r) => r.code).filter((c) => !needsLastYear(c) && !(c in ownTests)))(
    "rule %s fails on its failing case",
    (code) => {
      const edits = failing[code];
      expect(edits, `rule ${code} has no failing case`).toBeDefined();
      const ret =
        code === "INT32" && duplicateHeader
          ? edited([], ["Header", duplicateHeader])
          : edited(edits ?? []);
      const rule = ssda903Rules.find((r) => r.code === code);
      const failures = rule ? runRule(rule, ret, "2024-25") : [];
      expect(failures.length, `rule ${code}`).toBeGreaterThan(0);
      expect(failures.every((f) => f.crashed === undefined && f.childId !== null)).toBe(true);
      // The same rule on the clean return passes.
      expect(rule ? runRule(rule, fixture903(), "2024-25") : ["no rule"]).toEqual([]);
    },
  );

  it("names the child, table and field, and T for a change of placement with the same carers", () => {
    expect(validate903(edited([E(5, { RNE: "B" })]), "2024-25")).toContainEqual({
      rule: "217",
      childId: "C3",
      table: "Episodes",
      field: "RNE",
      value: "B",
      row: 5,
    });
    // Placed for adoption with the current foster carers, legal status unchanged: T fits.
    const sameCarers = edited([E(5, { RNE: "T", LS: "C1", PLACE: "A3" })]);
    expect(
      validate903(sameCarers, "2024-25").filter((f) => ["217", "435", "436"].includes(f.rule)),
    ).toEqual([]);
    // B says the legal status changed too: 436 fails when it did not.
    const wrongB = edited([E(5, { RNE: "B", LS: "C1", PLACE: "A4" })]);
    expect(validate903(wrongB, "2024-25").map((f) => f.rule)).toContain("436");
  });

  it("says why every other DfE rule was not run: last year's return, reference data or a table not held", () => {
    const listed = dfeRules();
    // An OC3 table with no rows, so the OC3 rules run too.
    const ret = { ...fixture903(), OC3: [] };
    const notRun = rulesNotRun(listed, ret, "2024-25");
    expect(notRun.length + rulesFor("2024-25", ret).length).toBe(listed.length);
    const reason = (code: string) => notRun.find((r) => r.code === code)?.reason;
    expect(reason("503D")).toBe("previous year");
    expect(reason("1015")).toBe("reference data");
    expect(reason("1003")).toBe("table not in return");
    // A checked rule whose table the files lack is not run either (Missing rules without Missing).
    const noMissing = { ...ret };
    delete noMissing.Missing;
    expect(rulesNotRun(listed, noMissing, "2024-25").find((r) => r.code === "567")?.reason).toBe(
      "table not in return",
    );
  });

  it("reports a rule that throws as one crashed failure, and runs the others", () => {
    const rule = ssda903Rules[0];
    if (!rule) throw new Error("no rules");
    const broken = {
      ...rule,
      check: () => {
        throw new Error("boom");
      },
    };
    expect(runRule(broken, fixture903(), "2024-25")).toEqual([
      { rule: rule.code, childId: null, table: "Header", field: "", row: null, crashed: "boom" },
    ]);
  });
});
