import { sql, type RawBuilder } from "kysely";
import { can, type Actor } from "./actor.ts";
import { isLaPractitioner } from "./visibility.ts";

/**
 * Who sees what of a partner agency's referral (decision 0025).
 *  - The referrer sees the referrals they made themselves: what they wrote, whether the front
 *    door has identified the child, and the decision with its date (Working Together 2023:
 *    feedback to the referrer), never the decision's reasons or anything of the record. A
 *    colleague in the same agency, and every other agency, sees none of it.
 *  - Sight of the child's record stays with the sharing rules: a referral gives none.
 *  - The front door (LA managers who decide contacts) sees every referral of its LA waiting
 *    for the child to be identified, and may search all the LA's unrestricted records to find
 *    the child, as emergency-access search may; what a candidate shows is the same (name, date
 *    of birth, postcode). Once linked, the child is visible to those managers while the
 *    referral awaits a decision (visibility.ts).
 */

/** SQL: the partner_referral row aliased `alias` is one the actor made. */
export function referralMadeBy(actor: Actor, alias = "pr"): RawBuilder<boolean> {
  if (!can(actor, "referral.make")) return sql<boolean>`false`;
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<boolean>`(${column("referred_by")} = ${actor.userId} and ${column("la_id")} = ${actor.laId})`;
}

/** Whether the actor works the front door's "child to identify" queue. */
export function mayIdentifyReferrals(actor: Actor): boolean {
  return can(actor, "referral.identify") && isLaPractitioner(actor);
}

/** SQL: the partner_referral row aliased `alias` is on the actor's front door queue. */
export function referralAtFrontDoor(actor: Actor, alias = "pr"): RawBuilder<boolean> {
  if (!mayIdentifyReferrals(actor)) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(`${alias}.la_id`)} = ${actor.laId}`;
}

/**
 * Which records the front door searches to identify a referral's child: the LA's unrestricted
 * records (searchPeople's "break_glass" scope, which shows only name, date of birth and
 * postcode), besides those it already sees. A restricted record is found only by those named
 * on it.
 */
export const identificationScope = "break_glass" as const;

export type ReferralStatus = "to_identify" | "awaiting_decision" | "decided";

/** What the referrer is told about their referral: status, and the decision with its date. */
export interface ReferrerFeedback {
  status: ReferralStatus;
  decision: string | null;
  decidedOn: string | null;
}

export function feedbackForReferrer(row: {
  identified: boolean;
  decision: string | null;
  decided_on: string | null;
}): ReferrerFeedback {
  if (row.decision !== null) {
    return { status: "decided", decision: row.decision, decidedOn: row.decided_on };
  }
  return {
    status: row.identified ? "awaiting_decision" : "to_identify",
    decision: null,
    decidedOn: null,
  };
}
