/**
 * Every SSDA903 rule Trellis checks: the DfE's definition (catalogue.ts) joined to its check.
 * `validate903` runs the year's rules whose tables the return has; a rule that throws on odd
 * data is one failure naming the rule, and the others still run. `rulesNotRun` says of every
 * other DfE rule why it was not run, so nothing passes silently.
 */
import { isTableName, type Ssda903Return, type Ssda903Year } from "../model.ts";
import { ruleDefinitions as ruleDefinitionsHeld, type RuleDefinition } from "./catalogue.ts";
import { adoptionRuleDefinitions } from "./catalogue-adoption.ts";
import { oc2RuleDefinitions } from "./catalogue-oc2.ts";
import { uascAndSocialWorkerDefinitions } from "./catalogue-uasc-sw.ts";
import { contextFor, type Check, type RuleFailure } from "./engine.ts";
import { adoptionChecks } from "./adoption.ts";
import { episodeChecks } from "./episodes.ts";
import { headerChecks } from "./header.ts";
import { missingChecks } from "./missing.ts";
import { oc2Checks } from "./oc2.ts";
import { oc3Checks, oc3RuleDefinitions } from "./oc3.ts";
import { previousYearChecks } from "./previous-year.ts";
import { sequenceChecks } from "./sequence.ts";
import { socialWorkerChecks } from "./sw-episodes.ts";
import { uascChecks } from "./uasc.ts";

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
  ...uascChecks,
  ...socialWorkerChecks,
  ...previousYearChecks,
  ...oc2Checks,
  ...adoptionChecks,
};

/** Every definition: the catalogue's, and each subject file's own (OC3: decision 0038; OC2, AD1,
 * PlacedAdoption, PrevPerm: decision 0042). */
const ruleDefinitions: readonly RuleDefinition[] = [
  ...ruleDefinitionsHeld,
  ...uascAndSocialWorkerDefinitions,
  ...oc3RuleDefinitions,
  ...oc2RuleDefinitions,
  ...adoptionRuleDefinitions,
];

export const ssda903Rules: readonly Ssda903Rule[] = ruleDefinitions.map((definition) => {
  const check = checks[definition.code];
  if (!check) throw new Error(`SSDA903 rule ${definition.code} has no check`);
  return { ...definition, check };
});

export const checksWithoutDefinition = Object.keys(checks).filter(
  (code) => !ruleDefinitions.some((d) => d.code === code),
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

/** The tables a rule reads that this return (or last year's, for a `_last` table) lacks. */
function missingTables(
  rule: { tables: readonly string[] },
  ret: Ssda903Return,
  previous?: Ssda903Return,
): string[] {
  return rule.tables.map(tableNameOf).filter((t) => {
    const last = t.endsWith("_last");
    const name = last ? t.slice(0, -5) : t;
    const from = last ? previous : ret;
    return !(isTableName(name) && from?.[name] !== undefined);
  });
}

export function rulesFor(
  year: Ssda903Year,
  ret: Ssda903Return,
  previous?: Ssda903Return,
): Ssda903Rule[] {
  return ssda903Rules.filter(
    (r) => r.years.includes(year) && missingTables(r, ret, previous).length === 0,
  );
}

export function runRule(
  rule: Ssda903Rule,
  ret: Ssda903Return,
  year: Ssda903Year,
  previous?: Ssda903Return,
): RuleFailure[] {
  const failures: RuleFailure[] = [];
  try {
    rule.check(ret, contextFor(year, previous), (table, row, field, value) => {
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

export function validate903(
  ret: Ssda903Return,
  year: Ssda903Year,
  previous?: Ssda903Return,
): RuleFailure[] {
  return rulesFor(year, ret, previous).flatMap((rule) => runRule(rule, ret, year, previous));
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
  previous?: Ssda903Return,
): { code: string; reason: NotRunReason; detail: string }[] {
  const run = new Set(rulesFor(year, ret, previous).map((r) => r.code));
  return listed
    .filter((r) => !run.has(r.code))
    .map((r) => {
      const tables = r.tables.map(tableNameOf);
      const last = tables.filter((t) => t.endsWith("_last"));
      if (last.length === 0 && /\b(last|previous|prior) year/i.test(r.message ?? "")) {
        last.push("return");
      }
      // With last year's return at hand, a rule needing it that did not run is for another reason.
      const lastMissing = previous
        ? last.filter((t) => t === "return" || missingTables({ tables: [t] }, ret, previous).length)
        : last;
      if (lastMissing.length > 0) {
        return {
          code: r.code,
          reason: "previous year" as const,
          detail: previous
            ? `needs last year's ${lastMissing.join(", ")}, not in last year's return`
            : `needs last year's ${lastMissing.join(", ")}`,
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
      const absent = missingTables(r, ret, previous);
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
