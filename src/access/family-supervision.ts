import { can, type Actor } from "./actor.ts";
import { maySeeTeamWork } from "./family.ts";

/**
 * Who does what in a family's group supervision (decision 0013). Seeing it at all is team work
 * (maySeeTeamWork); on top of that:
 *  - business support and team managers schedule sessions and record the discussion
 *    (supervision.record); decisions are the team manager's alone (supervision.decide);
 *  - actions and the family's supervision interval are set by either;
 *  - an action is marked done by its owner, or by business support or the team manager.
 */

/** Add actions to a session and change how often the family's supervision falls due. */
export function mayRecordSupervisionActions(actor: Actor): boolean {
  return (
    maySeeTeamWork(actor) && (can(actor, "supervision.record") || can(actor, "supervision.decide"))
  );
}

/** Mark one supervision action done. */
export function mayMarkActionDone(actor: Actor, ownerUserId: string): boolean {
  if (!maySeeTeamWork(actor)) return false;
  return actor.userId === ownerUserId || mayRecordSupervisionActions(actor);
}

/**
 * Business support hold no cases of their own; arranging their teams' group supervision is
 * their work, so their "My work" lists it for every family their teams work with.
 */
export function arrangesTeamSupervision(actor: Actor): boolean {
  return (
    maySeeTeamWork(actor) &&
    can(actor, "supervision.record") &&
    (actor.role === "business_support" || actor.practiceRoles.includes("business_support"))
  );
}
