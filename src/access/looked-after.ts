import type { Actor } from "./actor.ts";
import { isLaPractitioner } from "./visibility.ts";

/**
 * Where a looked-after child is placed (the placement postcode) tells anyone who reads it
 * where the child lives. Like a confidential address it is shown to the LA's own staff only:
 * partner agencies with a share, and anyone seeing the record only through emergency access,
 * see the rest of the episode with the postcode withheld.
 */
export function maySeePlacementPostcode(actor: Actor, viaBreakGlassOnly: boolean): boolean {
  return isLaPractitioner(actor) && !viaBreakGlassOnly;
}
