/**
 * `trellis returns validate cin FILE.xml --year 2024-25 [--json]`: checks a CIN census file
 * made by any system against the DfE's rules. Exit 0 when no error-level rule fails (queries
 * may), 1 when one does or a rule could not run, 2 when the file or the arguments are unusable.
 */
import { collectionYears, isCollectionYear } from "../../domain/cin-census/model.ts";
import { readCensusFile } from "../../domain/cin-census/read-xml.ts";
import {
  ruleByCode,
  validateCensus,
  type RuleFailure,
} from "../../domain/cin-census/rules/index.ts";
import { readValidateArgs } from "./cli-args.ts";

const usage = `Usage: trellis returns validate cin FILE.xml --year ${collectionYears.join("|")} [--json]`;

function jsonLine(failure: RuleFailure): string {
  const rule = ruleByCode(failure.rule);
  return JSON.stringify({
    rule: failure.rule,
    child_id: failure.childId,
    field: failure.field,
    severity: rule?.severity ?? "error",
    ...(failure.value !== undefined ? { value: failure.value } : {}),
    ...(failure.crashed !== undefined ? { crashed: failure.crashed } : {}),
  });
}

/** Failures grouped by rule, errors first, each with its count and the first few children. */
export function failureSummary(failures: readonly RuleFailure[], children: number): string {
  const byRule = new Map<string, RuleFailure[]>();
  for (const f of failures) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const groups = [...byRule.entries()].sort(([a], [b]) => {
    const sa = ruleByCode(a)?.severity === "query" ? 1 : 0;
    const sb = ruleByCode(b)?.severity === "query" ? 1 : 0;
    return sa - sb || a.localeCompare(b, "en", { numeric: true });
  });
  const lines: string[] = [];
  let errors = 0;
  let queries = 0;
  for (const [code, list] of groups) {
    const rule = ruleByCode(code);
    const query = rule?.severity === "query";
    if (query) queries += list.length;
    else errors += list.length;
    lines.push(
      `${code} ${query ? "QUERY" : "ERROR"} (${String(list.length)}): ${rule?.message ?? ""}`,
    );
    for (const f of list.slice(0, 10)) {
      if (f.crashed !== undefined) {
        lines.push(`    the rule could not run on this file: ${f.crashed}`);
        continue;
      }
      const who = f.childId === null ? "whole return" : `child ${f.childId}`;
      const value = f.value === undefined ? "" : ` = ${JSON.stringify(f.value)}`;
      lines.push(`    ${who}: ${f.field}${value}`);
    }
    if (list.length > 10) lines.push(`    ... and ${String(list.length - 10)} more`);
  }
  lines.push(
    `${String(children)} children checked: ${String(errors)} error failures and ${String(queries)} query failures in ${String(groups.length)} rules.`,
  );
  return lines.join("\n");
}

export async function validateCinCommand(args: string[]): Promise<number> {
  const options = readValidateArgs(args, usage, isCollectionYear);
  if (!options) return 2;
  const { path: file, year, json } = options;
  const read = await readCensusFile(file);
  if (!read.ok) {
    console.error(`trellis: ${read.message}`);
    return 2;
  }
  const failures = validateCensus(read.census, year);
  if (json) {
    for (const failure of failures) console.log(jsonLine(failure));
  } else {
    console.log(failureSummary(failures, read.census.children.length));
  }
  const blocking = failures.some(
    (f) => f.crashed !== undefined || ruleByCode(f.rule)?.severity === "error",
  );
  return blocking ? 1 : 0;
}
