import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import {
  feedbackForReferrer,
  referralAtFrontDoor,
  referralMadeBy,
} from "../../access/partner-referrals.ts";
import type { Db } from "../../platform/database.ts";

/**
 * "Referrals you have made": the actor's own, newest first, each with what the referrer may be
 * told (decision and date); the decision's reasons and the child's record are not selected.
 */
export async function referralsMadeBy(db: Db, actor: Actor) {
  const rows = await db
    .selectFrom("partner_referral as pr")
    .innerJoin("contact as c", "c.id", "pr.contact_id")
    .select([
      "pr.id",
      "pr.child_given_name",
      "pr.child_family_name",
      "pr.child_date_of_birth",
      sql<boolean>`pr.person_id is not null`.as("identified"),
      "c.received_on",
      "c.decision",
      "c.decided_on",
    ])
    .where(referralMadeBy(actor))
    .orderBy("pr.created_at", "desc")
    .limit(200)
    .execute();
  return rows.map(({ identified, decision, decided_on, ...rest }) => ({
    ...rest,
    ...feedbackForReferrer({ identified, decision, decided_on }),
  }));
}

/**
 * One of the actor's own referrals as they wrote it, with its feedback; undefined otherwise.
 * Neither the record it was linked to nor who at the front door linked it is selected.
 */
export async function referralForReferrer(db: Db, actor: Actor, referralId: string) {
  const row = await db
    .selectFrom("partner_referral as pr")
    .innerJoin("contact as c", "c.id", "pr.contact_id")
    .select([
      "pr.id",
      "pr.child_given_name",
      "pr.child_family_name",
      "pr.child_date_of_birth",
      "pr.child_address",
      "pr.child_postcode",
      "pr.child_nhs_number",
      "pr.child_upn",
      "pr.child_school",
      "pr.referrer_role",
      "pr.referrer_phone",
      "pr.referrer_email",
      "pr.family_aware",
      "pr.not_told_reason",
      "c.received_on",
      "c.reasons",
      sql<boolean>`pr.person_id is not null`.as("identified"),
      "c.decision",
      "c.decided_on",
    ])
    .where("pr.id", "=", referralId)
    .where(referralMadeBy(actor))
    .executeTakeFirst();
  if (!row) return undefined;
  const { identified, decision, decided_on, ...rest } = row;
  return {
    ...rest,
    ...feedbackForReferrer({ identified, decision, decided_on }),
  };
}

/** The LA's partner referrals whose child the front door has still to identify, oldest first. */
export async function referralsToIdentify(db: Db, actor: Actor) {
  return db
    .selectFrom("partner_referral as pr")
    .innerJoin("contact as c", "c.id", "pr.contact_id")
    .innerJoin("organisation as o", "o.id", "pr.organisation_id")
    .select([
      "pr.id",
      "pr.child_given_name",
      "pr.child_family_name",
      "pr.child_date_of_birth",
      "c.received_on",
      "c.decision_due_on",
      "o.name as organisation_name",
    ])
    .where("pr.person_id", "is", null)
    .where(referralAtFrontDoor(actor))
    .orderBy("c.decision_due_on")
    .orderBy("pr.created_at")
    .limit(200)
    .execute();
}

/** A referral on the actor's front door queue, in full, for identifying its child. */
export async function referralAtFrontDoorById(db: Db, actor: Actor, referralId: string) {
  return db
    .selectFrom("partner_referral as pr")
    .innerJoin("contact as c", "c.id", "pr.contact_id")
    .innerJoin("organisation as o", "o.id", "pr.organisation_id")
    .innerJoin("app_user as u", "u.id", "pr.referred_by")
    .selectAll("pr")
    .select([
      "c.received_on",
      "c.decision_due_on",
      "c.reasons",
      "c.source",
      "o.name as organisation_name",
      "u.display_name as referrer_name",
    ])
    .where("pr.id", "=", referralId)
    .where(referralAtFrontDoor(actor))
    .executeTakeFirst();
}

/** The partner referral a contact came from, if the actor works the front door; else undefined. */
export async function partnerReferralOf(db: Db, actor: Actor, contactId: string) {
  const row = await db
    .selectFrom("partner_referral as pr")
    .select("pr.id")
    .where("pr.contact_id", "=", contactId)
    .where(referralAtFrontDoor(actor))
    .executeTakeFirst();
  return row?.id;
}
