/**
 * Every CIN census validation rule: the DfE's definition (catalogue.ts) joined to its check.
 * `validateCensus` runs the rules of a collection year over a return; a rule that throws on
 * odd data is reported as one failure naming the rule, and the other rules still run.
 */
import type { CinCensus, CollectionYear } from "../model.ts";
import { ruleDefinitions, type RuleDefinition } from "./catalogue.ts";
import { childChecks } from "./child.ts";
import { contextFor, type Check, type RuleFailure } from "./engine.ts";
import { episodeChecks } from "./episode.ts";
import { planChecks } from "./plans.ts";

export type { RuleDefinition, Severity } from "./catalogue.ts";
export type { IndexPath, RuleContext, RuleFailure } from "./engine.ts";

export interface CinRule extends RuleDefinition {
  readonly check: Check;
}

const checks: Record<string, Check> = { ...childChecks, ...episodeChecks, ...planChecks };

export const cinRules: readonly CinRule[] = ruleDefinitions.map((definition) => {
  const check = checks[definition.code];
  if (!check) throw new Error(`CIN census rule ${definition.code} has no check`);
  return { ...definition, check };
});

/** Codes with a check but no definition: a slip the rules test reports. */
export const checksWithoutDefinition = Object.keys(checks).filter(
  (code) => !ruleDefinitions.some((d) => d.code === code),
);

export function rulesFor(year: CollectionYear): CinRule[] {
  return cinRules.filter((rule) => rule.years.includes(year));
}

/** Runs one rule; a throw becomes a single failure that says the rule could not run. */
export function runRule(rule: CinRule, census: CinCensus, year: CollectionYear): RuleFailure[] {
  const failures: RuleFailure[] = [];
  try {
    rule.check(census, contextFor(year), (child, field, value, path) => {
      failures.push({
        rule: rule.code,
        childId: child ? (child.ChildIdentifiers.LAchildID ?? null) : null,
        field,
        ...(value !== undefined ? { value } : {}),
        path,
      });
    });
  } catch (error) {
    const crashed = error instanceof Error ? error.message : String(error);
    return [{ rule: rule.code, childId: null, field: "", path: [], crashed }];
  }
  return failures;
}

export function validateCensus(
  census: CinCensus,
  year: CollectionYear,
  rules: readonly CinRule[] = rulesFor(year),
): RuleFailure[] {
  return rules.flatMap((rule) => runRule(rule, census, year));
}

export function ruleByCode(code: string): CinRule | undefined {
  return cinRules.find((rule) => rule.code === code);
}
