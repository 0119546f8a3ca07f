import type { Actor } from "./actor.ts";

/**
 * Who sees which performance figures (issue 13, decision 0033). Figures are counts over a
 * council's records; which *children* a drill-down names is still decided by visibility.ts.
 * - the performance analyst: the whole council, aggregates only (never a list of children);
 * - a head of service: the whole council, and the children behind a figure they may see;
 * - a team manager: their own teams and workers, and the children behind a figure they may see;
 * - everyone else (social workers, partners, administrators, the performance officer): none.
 * Always the actor's own council.
 */
export type KpiScope = { kind: "council" } | { kind: "teams"; teamIds: readonly string[] };

export function kpiScope(actor: Actor): KpiScope | undefined {
  if (actor.role === "performance_analyst") return { kind: "council" };
  if (actor.role === "team_manager") {
    return actor.headOfService ? { kind: "council" } : { kind: "teams", teamIds: actor.teamIds };
  }
  return undefined;
}

/** Whether the actor may follow a figure to the children behind it (those they may see). */
export function mayListChildrenBehindFigures(actor: Actor): boolean {
  return actor.role === "team_manager";
}
