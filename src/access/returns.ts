/**
 * Who may do what with a statutory return's report (decision 0031). The `returns` permission
 * (performance officer and performance analyst) lets one generate a return for their own
 * council and see its report; beyond that:
 *  - only a performance officer sees the children a report names (LA child id and name) and
 *    may open, from a run of their own council, the census details of a child that run names;
 *    the analyst sees the counts by rule, never a named child;
 *  - a restricted record is never opened this way: the report gives its LA child id only and
 *    says to ask the worker named on it;
 *  - the performance officer corrects identity details the census carries (UPN, former UPN,
 *    why a UPN is unknown, ethnicity, disabilities, expected date of birth); journey facts
 *    (referrals, assessments, plans) are the allocated worker's to correct, and the report
 *    names that worker;
 *  - only a performance officer answers a query.
 * Another council's runs are not found at all (404), for anyone.
 */
import type { Actor } from "./actor.ts";
import { can } from "./actor.ts";

export function maySeeNamedChildren(actor: Actor): boolean {
  return can(actor, "returns") && actor.role === "performance_officer";
}

export function mayAnswerQueries(actor: Actor): boolean {
  return maySeeNamedChildren(actor);
}

export function mayCorrectCensusIdentity(actor: Actor): boolean {
  return maySeeNamedChildren(actor);
}

/** A run is the actor's to see only when it is of their own council. */
export function mayOpenRun(actor: Actor, run: { la_id: string }): boolean {
  return can(actor, "returns") && run.la_id === actor.laId;
}

/**
 * A child's census details open from a run: the officer's own council's run names the child,
 * and the record is neither restricted nor merged away.
 */
export function mayOpenChildFromRun(
  actor: Actor,
  run: { la_id: string },
  person: { la_id: string; restricted: boolean; merged_into: string | null },
  namedInRun: boolean,
): boolean {
  return (
    mayOpenRun(actor, run) &&
    maySeeNamedChildren(actor) &&
    namedInRun &&
    person.la_id === actor.laId &&
    !person.restricted &&
    person.merged_into === null
  );
}

/**
 * The DfE's daily feed (decision 0034): only the performance officer sees its runs and sends
 * the council's changes. Sending personal data to the DfE is the officer's act; the analyst,
 * who never sees a named child, and everyone without `returns` are not shown it at all (404).
 */
export function mayRunDfeFeed(actor: Actor): boolean {
  return maySeeNamedChildren(actor);
}
