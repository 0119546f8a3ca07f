import { notFound } from "../platform/errors.ts";
import { can, type Actor } from "./actor.ts";

/**
 * Whose records an Annex A covers. Annex A is Ofsted's list of every child the council worked
 * with in the period, so it is a council-wide read for whoever holds `returns` (the performance
 * officer and analyst, decision 0028): every child of their own council, whatever team holds
 * the case, and none of another council's. Anyone else is told there is no such page.
 */
export function annexACouncilOf(actor: Actor): string {
  if (!can(actor, "returns")) throw notFound();
  return actor.laId;
}
