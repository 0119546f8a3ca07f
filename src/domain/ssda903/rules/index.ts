/**
 * Every SSDA903 rule Trellis checks: the DfE's definition (catalogue.ts) joined to its check.
 * `validate903` runs the year's rules whose tables the return has; a rule that throws on odd
 * data is one failure naming the rule, and the others still run. `rulesNotRun` says of every
 * other DfE rule why it was not run, so nothing passes silently.
 */
import { isTableName, type Ssda903Return, type Ssda903Year } from "../model.ts";
import { ruleDefinitions, type RuleDefinition } from "./catalogue.ts";
import { contextFor, type Check, type RuleFailure } from "./engine.ts";
import { episodeChecks } from "./episodes.ts";
import { headerChecks } from "./header.ts";
import { missingChecks } from "./missing.ts";
import { oc3Checks, oc3RuleDefinitions } from "./oc3.ts";
import { sequenceChecks } from "./sequence.ts";

export type { RuleDefinition, Severity } from "./catalogue.ts";
export type { RuleContext, RuleFailure } from "./engine.ts";

export interface Ssda903Rule extends RuleDefinition {
  readonly check: Check;
}

const checks: Record<string, Check> = {
  ...headerChecks,
  ...episodeChecks,
  ...sequenceChecks,
  ...missingChecks,
  ...oc3Checks,
};

/** Every definition: the catalogue's, and each subject file's own (OC3: decision 0038). */
const definitions: readonly RuleDefinition[] = [...ruleDefinitions, ...oc3RuleDefinitions];

export const ssda903Rules: readonly Ssda903Rule[] = definitions.map((definition) => {
  const check = checks[definition.code];
  if (!check) throw new Error(`SSDA903 rule ${definition.code} has no check`);
  return { ...definition, check };
});

export const checksWithoutDefinition = Object.keys(checks).filter(
  (code) => !definitions.some((d) => d.code === code),
);

/** The DfE's table names as its rules list spells them ("MIssing", "HEader_last", "OC2s"). */
export function tableNameOf(listed: string): string {
  const lower = listed.toLowerCase();
  const known = [
    "Header",
    "Episodes",
    "Reviews",
    "UASC",
    "OC2",
    "OC3",
    "AD1",
    "PlacedAdoption",
    "PrevPerm",
    "Missing",
    "SWEpisodes",
  ];
  const base = lower.endsWith("_last") ? lower.slice(0, -5) : lower;
  const name = known.find((k) => k.toLowerCase() === base || `${k.toLowerCase()}s` === base);
  return name ? `${name}${lower.endsWith("_last") ? "_last" : ""}` : listed;
}

/** The tables a rule reads that this return lacks. */
function missingTables(rule: { tables: readonly string[] }, ret: Ssda903Return): string[] {
  return rule.tables.map(tableNameOf).filter((t) => !(isTableName(t) && ret[t] !== undefined));
}

export function rulesFor(year: Ssda903Year, ret: Ssda903Return): Ssda903Rule[] {
  return ssda903Rules.filter((r) => r.years.includes(year) && missingTables(r, ret).length === 0);
}

export function runRule(rule: Ssda903Rule, ret: Ssda903Return, year: Ssda903Year): RuleFailure[] {
  const failures: RuleFailure[] = [];
  try {
    rule.check(ret, contextFor(year), (table, row, field, value) => {
      const child = ret[table]?.[row]?.CHILD?.trim();
      failures.push({
        rule: rule.code,
        childId: child === undefined || child === "" ? null : child,
        table,
        field,
        ...(value !== undefined && value !== "" ? { value } : {}),
        row,
      });
    });
  } catch (error) {
    const crashed = error instanceof Error ? error.message : String(error);
    return [{ rule: rule.code, childId: null, table: "Header", field: "", row: null, crashed }];
  }
  return failures;
}

export function validate903(ret: Ssda903Return, year: Ssda903Year): RuleFailure[] {
  return rulesFor(year, ret).flatMap((rule) => runRule(rule, ret, year));
}

export function ruleByCode(code: string): Ssda903Rule | undefined {
  return ssda903Rules.find((rule) => rule.code === code);
}

/** A DfE rule as its list gives it (code, tables, fields): enough to say why it did not run. */
export interface ListedRule {
  code: string;
  tables: readonly string[];
  fields: readonly string[];
  message?: string;
}

export type NotRunReason =
  "previous year" | "reference data" | "table not in return" | "not yet checked";

/** Fields only the DfE's reference data (Ofsted's provider lists, postcode lookups) can check. */
const REFERENCE_FIELDS = ["PL_LA", "PL_LOCATION", "PL_DISTANCE", "URN"];

/** Why each listed rule was not run on this return: every rule is either run or here. */
export function rulesNotRun(
  listed: readonly ListedRule[],
  ret: Ssda903Return,
  year: Ssda903Year,
): { code: string; reason: NotRunReason; detail: string }[] {
  const run = new Set(rulesFor(year, ret).map((r) => r.code));
  return listed
    .filter((r) => !run.has(r.code))
    .map((r) => {
      const tables = r.tables.map(tableNameOf);
      const last = tables.filter((t) => t.endsWith("_last"));
      if (last.length === 0 && /\b(last|previous|prior) year/i.test(r.message ?? "")) {
        last.push("return");
      }
      if (last.length > 0) {
        return {
          code: r.code,
          reason: "previous year" as const,
          detail: `needs last year's ${last.join(", ")}`,
        };
      }
      if (tables.includes("Provider Info") || r.fields.some((f) => REFERENCE_FIELDS.includes(f))) {
        return {
          code: r.code,
          reason: "reference data" as const,
          detail:
            "needs reference data (Ofsted's provider lists, postcode lookups) that has not been imported",
        };
      }
      const absent = missingTables(r, ret);
      if (absent.length > 0) {
        return {
          code: r.code,
          reason: "table not in return" as const,
          detail: `needs ${absent.join(", ")}, not in this return`,
        };
      }
      return {
        code: r.code,
        reason: "not yet checked" as const,
        detail: "not yet checked by Trellis",
      };
    });
}
