/**
 * Partner referrals (decision 0025): a partner agency refers any child; the front door
 * identifies the child (links an existing record or creates one) and the contact is then
 * decided as any other. Plain functions of (db, actor, input, now), so the JSON API can call
 * them as the pages do; the caller runs them in its transaction.
 */
import { can, type Actor } from "../../access/actor.ts";
import { mayIdentifyReferrals, referralAtFrontDoor } from "../../access/partner-referrals.ts";
import { personVisible } from "../../access/visibility.ts";
import { labelFor, referralSources } from "../../domain/code-lists.ts";
import { todayIn } from "../../domain/dates.ts";
import { notBeforeBirth } from "../../domain/journey-rules.ts";
import { referralDecisionDue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import type { OrganisationKind } from "../../platform/schema.ts";
import { recordEvent } from "../chronology/record.ts";
import { refuseIfBroken } from "../journey/state.ts";
import { createPerson } from "../people/service.ts";
import { LinkReferralInput, MakeReferralInput, NewRecordForReferralInput } from "./input.ts";

/**
 * The CIN census referral source for the referrer's agency. A health practitioner's exact
 * service (GP, health visitor, A&E) is not known from the account, so "other health".
 */
const sourceOfAgency: Record<OrganisationKind, string> = {
  police: "6",
  health: "3F",
  education: "2A",
  youth_justice: "5B",
  housing: "4",
  voluntary: "8",
  la_childrens_services: "5A",
};

/** Records a partner's referral as a contact awaiting a decision; returns the referral's id. */
export async function makeReferral(
  db: Db,
  actor: Actor,
  input: MakeReferralInput,
  now: Date,
): Promise<{ referralId: string; contactId: string }> {
  if (!can(actor, "referral.make")) throw new AppError("forbidden", "You cannot make referrals");
  const referral = MakeReferralInput.parse(input);
  const today = todayIn(now);
  const referrer = `${actor.displayName}, ${referral.referrer.role}, ${actor.organisationName}`;
  const contact = await db
    .insertInto("contact")
    .values({
      la_id: actor.laId,
      received_on: today,
      source: sourceOfAgency[actor.organisationKind],
      referrer: referrer.slice(0, 200),
      reasons: referral.reasons,
      decision_due_on: referralDecisionDue(today),
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto("partner_referral")
    .values({
      la_id: actor.laId,
      contact_id: contact.id,
      referred_by: actor.userId,
      organisation_id: actor.organisationId,
      child_given_name: referral.child.givenName,
      child_family_name: referral.child.familyName,
      child_date_of_birth: referral.child.dateOfBirth,
      child_address: referral.child.address,
      child_postcode: referral.child.postcode,
      child_nhs_number: referral.child.nhsNumber,
      child_upn: referral.child.upn,
      child_school: referral.child.school,
      referrer_role: referral.referrer.role,
      referrer_phone: referral.referrer.phone,
      referrer_email: referral.referrer.email,
      family_aware: referral.familyAware,
      not_told_reason: referral.notToldReason,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { referralId: row.id, contactId: contact.id };
}

/** A referral on the actor's front door queue, locked, that still has no child identified. */
async function referralToIdentify(db: Db, actor: Actor, referralId: string) {
  if (!mayIdentifyReferrals(actor)) throw new AppError("not_found", "Referral not found");
  const referral = await db
    .selectFrom("partner_referral as pr")
    .innerJoin("contact as c", "c.id", "pr.contact_id")
    .selectAll("pr")
    .select(["c.received_on", "c.source"])
    .where("pr.id", "=", referralId)
    .where(referralAtFrontDoor(actor))
    .forUpdate("pr")
    .executeTakeFirst();
  if (!referral) throw new AppError("not_found", "Referral not found");
  if (referral.person_id !== null) {
    throw new AppError(
      "conflict",
      "The child on this referral has already been identified. Nothing you chose has been saved: the contact is on the front door to decide.",
    );
  }
  return referral;
}

type ReferralToIdentify = Awaited<ReturnType<typeof referralToIdentify>>;

async function attach(
  db: Db,
  actor: Actor,
  referral: ReferralToIdentify,
  person: { id: string; given_name: string; family_name: string; date_of_birth: string | null },
  now: Date,
): Promise<string> {
  refuseIfBroken(
    notBeforeBirth(
      { name: `${person.given_name} ${person.family_name}`, dateOfBirth: person.date_of_birth },
      referral.received_on,
      "personId",
      "date the referral was received",
    ),
    "Check the record you chose",
  );
  const updated = await db
    .updateTable("partner_referral")
    .set({ person_id: person.id, identified_by: actor.userId, identified_at: now })
    .where("id", "=", referral.id)
    .where("person_id", "is", null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw new AppError("conflict", "The child on this referral has already been identified.");
  }
  await db
    .insertInto("contact_child")
    .values({ contact_id: referral.contact_id, person_id: person.id, la_id: actor.laId })
    .execute();
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: referral.received_on,
    kind: "contact",
    summary: `Contact received from ${labelFor(referralSources, referral.source)} (partner referral)`,
    subject: { type: "contact", id: referral.contact_id },
  });
  return referral.contact_id;
}

/**
 * Links the referral to an existing record: one the actor sees, or any unrestricted record of
 * the LA (the front door identifies children whoever holds them). Returns the contact's id.
 */
export async function linkReferral(
  db: Db,
  actor: Actor,
  input: LinkReferralInput,
  now: Date,
): Promise<string> {
  const { referralId, personId } = LinkReferralInput.parse(input);
  const referral = await referralToIdentify(db, actor, referralId);
  const person = await db
    .selectFrom("person")
    .select(["person.id", "given_name", "family_name", "date_of_birth"])
    .where("person.id", "=", personId)
    .where("person.la_id", "=", actor.laId)
    .where((eb) => eb.or([eb.not("person.restricted"), personVisible(actor, now)]))
    .executeTakeFirst();
  if (!person) {
    throw new AppError("validation", "Check the record you chose", [
      { field: "personId", message: "Choose a record from the list" },
    ]);
  }
  return attach(db, actor, referral, person, now);
}

/**
 * Creates a new record from the details the referrer gave (the front door found none), the
 * creator allocated as with any new person (decision 0005), and links the referral to it.
 */
export async function createRecordForReferral(
  db: Db,
  actor: Actor,
  input: NewRecordForReferralInput,
  now: Date,
): Promise<{ contactId: string; personId: string }> {
  const { referralId } = NewRecordForReferralInput.parse(input);
  const referral = await referralToIdentify(db, actor, referralId);
  // One record per person: an NHS number or UPN already held means the child is known.
  const known = await identifierMatches(db, actor, referral, now);
  if (known.length > 0) {
    throw new AppError("validation", "This child may already have a record", [
      {
        field: "personId",
        message:
          "A record with the NHS number or unique pupil number on this referral exists: link the referral to it",
      },
    ]);
  }
  const personId = await createPerson(
    db,
    actor,
    {
      givenName: referral.child_given_name,
      familyName: referral.child_family_name,
      otherNames: "",
      dateOfBirth: referral.child_date_of_birth,
      sex: null,
      ethnicity: null,
      nhsNumber: referral.child_nhs_number,
      upn: referral.child_upn,
      // No exception is presumed: a child created without an NHS number shows on the front
      // door's list of children with neither, for someone to find it (decision 0023).
      nhsNumberException: null,
      nhsNumberExceptionNote: "",
    },
    now,
  );
  await addressFromReferral(db, actor, personId, referral, todayIn(now));
  const contactId = await attach(
    db,
    actor,
    referral,
    {
      id: personId,
      given_name: referral.child_given_name,
      family_name: referral.child_family_name,
      date_of_birth: referral.child_date_of_birth,
    },
    now,
  );
  return { contactId, personId };
}

/**
 * The address the referrer gave, as the new record's current address: lines split on commas
 * or new lines, the last taken as the town. Never confidential: a refuge's address would not
 * be given on a referral form; the front door marks it if it is.
 */
async function addressFromReferral(
  db: Db,
  actor: Actor,
  personId: string,
  referral: { child_address: string; child_postcode: string },
  today: string,
): Promise<void> {
  if (!referral.child_address && !referral.child_postcode) return;
  const parts = referral.child_address
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const town = parts.length > 1 ? (parts.pop() ?? "") : "";
  const [line1 = "", ...rest] = parts;
  const address = await db
    .insertInto("address")
    .values({
      la_id: actor.laId,
      line1,
      line2: rest.join(", "),
      town,
      postcode: referral.child_postcode,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("person_address")
    .values({ person_id: personId, address_id: address.id, la_id: actor.laId, start_date: today })
    .execute();
}

/**
 * Records of the LA holding the NHS number or UPN the referrer gave, among those the front door
 * may find (visible, or unrestricted): the surest sign the child is already known.
 */
export async function identifierMatches(
  db: Db,
  actor: Actor,
  referral: { child_nhs_number: string | null; child_upn: string | null },
  now: Date,
) {
  const { child_nhs_number: nhs, child_upn: upn } = referral;
  if (!mayIdentifyReferrals(actor) || (nhs === null && upn === null)) return [];
  return db
    .selectFrom("person")
    .select(["person.id", "given_name", "family_name", "date_of_birth"])
    .where("person.la_id", "=", actor.laId)
    .where((eb) =>
      eb.or([
        ...(nhs !== null ? [eb("person.nhs_number", "=", nhs)] : []),
        ...(upn !== null ? [eb("person.upn", "=", upn)] : []),
      ]),
    )
    .where((eb) => eb.or([eb.not("person.restricted"), personVisible(actor, now)]))
    .limit(5)
    .execute();
}
