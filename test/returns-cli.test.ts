import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** Runs `trellis returns validate cin ...` as a user would; no database is opened. */
async function validate(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node", [
      "bin/trellis.js",
      "returns",
      "validate",
      "cin",
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const fixture = (name: string) => `test/fixtures/cin/${name}`;

describe("npx trellis returns validate cin", () => {
  it("prints nothing and exits 0 for a clean file", async () => {
    const result = await validate(fixture("clean-2024-25.xml"), "--year", "2024-25", "--json");
    expect(result).toMatchObject({ code: 0, stdout: "" });
  });

  it("prints one JSON object per failure and exits 1 when an error-level rule fails", async () => {
    const result = await validate(fixture("errors-2024-25.xml"), "--year", "2024-25", "--json");
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        rule: "8610",
        child_id: "C000002",
        field: "PrimaryNeedCode",
        severity: "error",
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        rule: "8585Q",
        child_id: "C000001",
        field: "ReasonForClosure",
        severity: "query",
      }),
    );
    expect(lines.filter((l) => l.rule === "8510")).toHaveLength(2);
  });

  it("without --json prints a summary grouped by rule, errors first", async () => {
    const result = await validate(fixture("errors-2024-25.xml"), "--year", "2024-25");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^8510 ERROR \(2\): More than one child record with the same LA Child ID/m,
    );
    expect(result.stdout).toMatch(/^8610 ERROR \(1\):.*\n {4}child C000002: PrimaryNeedCode/m);
    expect(result.stdout).toMatch(/^8585Q QUERY \(1\)/m);
    expect(result.stdout.indexOf("8610")).toBeLessThan(result.stdout.indexOf("8585Q"));
    expect(result.stdout).toMatch(
      /3 children checked: 3 error failures and 1 query failures in 3 rules\./,
    );
  });

  it("refuses an entity bomb with exit 2 and a clear message, printing no failures", async () => {
    const result = await validate(fixture("entity-bomb.xml"), "--year", "2024-25", "--json");
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/DOCTYPE.*not read/);
  });

  it("exits 2 for a file that is missing or a year it does not know", async () => {
    const missing = await validate(fixture("nothing-here.xml"), "--year", "2024-25");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot be opened/);
    const year = await validate(fixture("clean-2024-25.xml"), "--year", "2019-20");
    expect(year.code).toBe(2);
    expect(year.stderr).toMatch(/--year 2024-25\|2025-26/);
  });

  it("checks the clean 2024-25 file against 2025-26's rules as a different year's return", async () => {
    // The reference date is a year out, so rule 100 and the in-year date rules fail.
    const result = await validate(fixture("clean-2024-25.xml"), "--year", "2025-26", "--json");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('{"rule":"100","child_id":null,"field":"ReferenceDate"');
  });
});
