/**
 * Checking a CIN census file made by another system (issue 12): a council moving to Trellis
 * checks its old system's file, or a file it edited by hand, against the DfE's schema and
 * every rule of the year. Nothing of the file is kept (decision 0039): the report is shown once.
 */
import { isCollectionYear, type CollectionYear } from "../../domain/cin-census/model.ts";
import { readCensusXml } from "../../domain/cin-census/read-xml.ts";
import {
  ruleByCode,
  validateCensus,
  type RuleFailure,
} from "../../domain/cin-census/rules/index.ts";
import { validateAgainstCinSchema, type SchemaVerdict } from "./xsd.ts";

export type FileCheck =
  | { ok: false; message: string }
  | {
      ok: true;
      year: CollectionYear;
      children: number;
      errors: number;
      queries: number;
      schema: SchemaVerdict;
      groups: FileRuleGroup[];
    };

export interface FileRuleGroup {
  rule: string;
  severity: "error" | "query";
  message: string;
  count: number;
  /** The first failures, for the page; the count says how many there are. */
  failures: RuleFailure[];
}

const SHOWN_PER_RULE = 20;

/** The file's bytes as text: UTF-8, as the DfE's schema files are, or a clear refusal. */
function textOf(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export async function checkCensusFile(bytes: Buffer, year: string): Promise<FileCheck> {
  if (!isCollectionYear(year)) return { ok: false, message: "Select a collection year" };
  if (bytes.length === 0) return { ok: false, message: "The file you chose is empty" };
  const xml = textOf(bytes);
  if (xml === undefined) {
    return { ok: false, message: "The file is not UTF-8 text. Save it as UTF-8 XML and try again" };
  }
  // The reader refuses a DOCTYPE, so the schema check never sees entities or anything external.
  const read = readCensusXml(xml);
  if (!read.ok) return { ok: false, message: read.message };
  const schemaCheck = validateAgainstCinSchema(xml);
  const failures = validateCensus(read.census, year);
  const schema = await schemaCheck;
  const groups = new Map<string, FileRuleGroup>();
  for (const failure of failures) {
    const severity =
      failure.crashed === undefined && ruleByCode(failure.rule)?.severity === "query"
        ? "query"
        : "error";
    let group = groups.get(failure.rule);
    if (!group) {
      group = {
        rule: failure.rule,
        severity,
        message: ruleByCode(failure.rule)?.message ?? "The rule could not be run",
        count: 0,
        failures: [],
      };
      groups.set(failure.rule, group);
    }
    group.count++;
    if (group.failures.length < SHOWN_PER_RULE) group.failures.push(failure);
  }
  const sorted = [...groups.values()].sort(
    (a, b) =>
      (a.severity === "error" ? 0 : 1) - (b.severity === "error" ? 0 : 1) ||
      a.rule.localeCompare(b.rule, "en", { numeric: true }),
  );
  const count = (severity: "error" | "query") =>
    sorted.filter((g) => g.severity === severity).reduce((n, g) => n + g.count, 0);
  return {
    ok: true,
    year,
    children: read.census.children.length,
    errors: count("error"),
    queries: count("query"),
    schema,
    groups: sorted,
  };
}
