/**
 * `trellis returns validate 903 DIR --year 2024-25 [--previous DIR] [--json]`: checks SSDA903 CSV files made by
 * any system (one per table in DIR) against the DfE's rules Trellis checks. With --json, one
 * JSON object per failure on stdout; the rules that could not run, and why, go to stderr, so
 * none passes silently. Exit 0 when no error-level rule fails, 1 when one does or a rule could
 * not run, 2 when the files or the arguments are unusable.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { readReturnFiles, MAX_FILE_BYTES, type CsvFile } from "../../domain/ssda903/read-csv.ts";
import {
  isSsda903Year,
  ssda903Years,
  type Ssda903Year,
  type Ssda903Return,
} from "../../domain/ssda903/model.ts";
import {
  ruleByCode,
  rulesNotRun,
  validate903,
  type RuleFailure,
} from "../../domain/ssda903/rules/index.ts";
import { listedRules } from "./ssda903-coverage.ts";
import { readValidateArgs } from "./cli-args.ts";

const usage = `Usage: trellis returns validate 903 DIR --year ${ssda903Years.join("|")} [--previous DIR] [--json]`;

async function csvFiles(dir: string): Promise<CsvFile[] | string> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith(".csv")).sort();
  } catch {
    return `cannot read the folder ${dir}: give the folder that holds the return's CSV files`;
  }
  const files: CsvFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    // Refuse an enormous file before reading it into memory.
    if ((await stat(path)).size > MAX_FILE_BYTES)
      return `${name} is larger than ${String(MAX_FILE_BYTES / 1024 / 1024)} MB: check it is the right file`;
    files.push({ name, bytes: await readFile(path) });
  }
  return files;
}

const jsonLine = (f: RuleFailure): string =>
  JSON.stringify({
    rule: f.rule,
    child_id: f.childId,
    table: f.table,
    field: f.field,
    ...(f.crashed !== undefined ? { crashed: f.crashed } : {}),
  });

function notRunText(ret: Ssda903Return, year: Ssda903Year, previous?: Ssda903Return): string {
  const notRun = rulesNotRun(listedRules(), ret, year, previous);
  const byReason = new Map<string, string[]>();
  for (const r of notRun) byReason.set(r.detail, [...(byReason.get(r.detail) ?? []), r.code]);
  const lines = [`${String(notRun.length)} of the DfE's rules were not run:`];
  for (const [detail, codes] of byReason)
    lines.push(`  ${detail} (${String(codes.length)}): ${codes.join(" ")}`);
  return lines.join("\n");
}

function summary(failures: readonly RuleFailure[]): string {
  const byRule = new Map<string, RuleFailure[]>();
  for (const f of failures) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const lines: string[] = [];
  for (const [code, list] of [...byRule].sort(([a], [b]) =>
    a.localeCompare(b, "en", { numeric: true }),
  )) {
    lines.push(`${code} ERROR (${String(list.length)}): ${ruleByCode(code)?.message ?? ""}`);
    for (const f of list.slice(0, 10)) {
      lines.push(
        f.crashed !== undefined
          ? `    the rule could not run: ${f.crashed}`
          : `    child ${f.childId ?? "-"}: ${f.table}.${f.field}${f.value !== undefined ? ` = ${JSON.stringify(f.value)}` : ""}`,
      );
    }
    if (list.length > 10) lines.push(`    ... and ${String(list.length - 10)} more`);
  }
  lines.push(`${String(failures.length)} failures in ${String(byRule.size)} rules.`);
  return lines.join("\n");
}

export async function validate903Command(args: string[]): Promise<number> {
  const options = readValidateArgs(args, usage, isSsda903Year);
  if (!options) return 2;
  const { path: dir, year, json } = options;
  const files = await csvFiles(dir);
  const read =
    typeof files === "string" ? { ok: false as const, message: files } : readReturnFiles(files);
  if (!read.ok) {
    console.error(`trellis: ${read.message}`);
    return 2;
  }
  let previous: Ssda903Return | undefined;
  if (options.previous !== undefined) {
    const lastFiles = await csvFiles(options.previous);
    const last =
      typeof lastFiles === "string"
        ? { ok: false as const, message: lastFiles }
        : readReturnFiles(lastFiles);
    if (!last.ok) {
      console.error(`trellis: last year's files (--previous): ${last.message}`);
      return 2;
    }
    previous = last.tables;
  }
  const failures = validate903(read.tables, year, previous);
  if (json) {
    for (const f of failures) console.log(jsonLine(f));
    console.error(notRunText(read.tables, year, previous));
  } else {
    console.log(summary(failures));
    console.log(notRunText(read.tables, year, previous));
  }
  const blocking = failures.some(
    (f) => f.crashed !== undefined || ruleByCode(f.rule)?.severity === "error",
  );
  return blocking ? 1 : 0;
}
