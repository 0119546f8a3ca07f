import { describe, expect, it } from "vitest";
import { fixture903 } from "../fixture.ts";
import type { Row, Ssda903Return, TableName } from "../model.ts";
import { rulesFor, rulesNotRun, runRule, ssda903Rules, validate903 } from "./index.ts";

/** Last year's return for the fixture: C2 in care since June 2023 with one social worker. */
function lastYear(): Ssda903Return {
  const now = fixture903();
  const c2 = (table: TableName) => (now[table] ?? []).filter((r) => r.CHILD === "C2");
  return { Header: c2("Header"), Episodes: c2("Episodes"), SWEpisodes: c2("SWEpisodes") };
}

function edit(ret: Ssda903Return, table: TableName, child: string, values: Record<string, string>) {
  const rows = (ret[table] ?? []).map((r): Row => (r.CHILD === child ? { ...r, ...values } : r));
  return { ...ret, [table]: rows };
}

const lastYearRules = ssda903Rules.filter((r) => r.tables.some((t) => t.endsWith("_last")));

/** For each rule, this year's edit (or last year's) that makes it fail. */
const failing: Record<string, { now?: [TableName, Record<string, string>]; last?: Ssda903Return }> =
  {
    "202": { now: ["Header", { SEX: "1" }] },
    "203": { now: ["Header", { DOB: "16/01/2008" }] },
    "204": { now: ["Header", { ETHNIC: "WBRI" }] },
    "208": { last: edit(lastYear(), "Header", "C2", { UPN: "E901123456780" }) },
    "502": { now: ["Episodes", { DECOM: "02/06/2023" }] },
    "503A": { now: ["Episodes", { RNE: "L" }] },
    "503B": { now: ["Episodes", { LS: "C1" }] },
    "503C": { now: ["Episodes", { CIN: "N4" }] },
    "503E": { now: ["Episodes", { PLACE_PROVIDER: "PR2" }] },
    NoE: { last: { ...lastYear(), Episodes: [] } },
    SW16aSTG2: { now: ["SWEpisodes", { SW_ID: "SW9999" }] },
    SW16bSTG2: { now: ["SWEpisodes", { SW_DECOM: "02/06/2023" }] },
    SW16cSTG2: { last: edit(lastYear(), "SWEpisodes", "C2", { SW_REASON: "MANAGE" }) },
  };

describe("the SSDA903 rules that compare with last year's return", () => {
  it("run only when last year's return is given, and say so when it is not", () => {
    const ret = fixture903();
    expect(rulesFor("2024-25", ret).some((r) => r.code === "502")).toBe(false);
    expect(rulesFor("2024-25", ret, lastYear()).some((r) => r.code === "502")).toBe(true);
    const listed = [{ code: "502", tables: ["Episodes", "Episodes_last"], fields: ["DECOM"] }];
    expect(rulesNotRun(listed, ret, "2024-25")[0]?.reason).toBe("previous year");
    expect(rulesNotRun(listed, ret, "2024-25", lastYear())).toEqual([]);
  });

  it("pass a return that agrees with last year's", () => {
    const failures = validate903(fixture903(), "2024-25", lastYear());
    expect(failures.filter((f) => lastYearRules.some((r) => r.code === f.rule))).toEqual([]);
  });

  it.each(lastYearRules.map((r) => r.code))("rule %s fails on its failing case", (code) => {
    const rule = lastYearRules.find((r) => r.code === code);
    const edits = failing[code];
    expect(edits, `rule ${code} has no failing case`).toBeDefined();
    if (!rule || !edits) return;
    const now = edits.now ? edit(fixture903(), edits.now[0], "C2", edits.now[1]) : fixture903();
    const failures = runRule(rule, now, "2024-25", edits.last ?? lastYear());
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f.childId === "C2" && f.crashed === undefined)).toBe(true);
    expect(runRule(rule, fixture903(), "2024-25", lastYear())).toEqual([]);
  });

  it("lets a UPN replace last year's reason it was unknown", () => {
    const rule = lastYearRules.find((r) => r.code === "208");
    const now = edit(fixture903(), "Header", "C2", { UPN: "E901123456789" });
    expect(rule ? runRule(rule, now, "2024-25", lastYear()) : ["no rule"]).toEqual([]);
  });
});
