/**
 * A few partner referrals (decision 0025) so the demo shows them: the police officer's
 * referral of a child the council does not know, awaiting identification at the front door;
 * a health visitor's referral of a Team A child under a misspelt name, also to identify; and
 * an older police referral the front door linked and decided, whose decision the officer sees.
 */
import type { Insertable } from "kysely";
import { referralDecisionDue } from "../domain/timescales.ts";
import type { DB } from "../platform/schema.ts";
import { workingTime } from "./journeys-calendar.ts";
import type { DemoFamily } from "./families.ts";
import { dateOf } from "./journeys-calendar.ts";
import { Random } from "./random.ts";
import type { Staff } from "./staff.ts";

export interface PartnerReferralRows {
  contact: Insertable<DB["contact"]>[];
  partner_referral: Insertable<DB["partner_referral"]>[];
  contact_child: Insertable<DB["contact_child"]>[];
  chronology_entry: Insertable<DB["chronology_entry"]>[];
}

/** Team A's scripted family whose children the referrals name (an assessment family). */
const TEAM_A_FAMILY = 2;

/** "Hartley" -> "Hartly": the sort of slip a referrer makes on the phone. */
function misspelt(name: string): string {
  return name.length > 4 ? name.slice(0, -2) + name.slice(-1) : `${name}e`;
}

export function buildPartnerReferrals(input: {
  seed: number;
  laId: string;
  today: number;
  staff: Staff;
  families: readonly DemoFamily[];
  familyNameOf: (personId: string) => string;
}): PartnerReferralRows {
  const { laId, today, staff } = input;
  const rng = new Random(input.seed, "partner-referrals");
  const rows: PartnerReferralRows = {
    contact: [],
    partner_referral: [],
    contact_child: [],
    chronology_entry: [],
  };
  const family = input.families[TEAM_A_FAMILY];
  const [known, sibling] = family?.children ?? [];
  if (!known || !sibling) throw new Error("the partner referrals need Team A's scripted family");
  const police = staff.fixed.police;
  const health = staff.fixed.health;
  const manager = staff.fixed.teamManager;

  const refer = (options: {
    by: typeof police;
    source: string;
    day: number;
    child: { givenName: string; familyName: string; dateOfBirth: string | null };
    details: Partial<Insertable<DB["partner_referral"]>>;
    reasons: string;
  }) => {
    const contactId = rng.uuid();
    const received = dateOf(options.day);
    rows.contact.push({
      id: contactId,
      la_id: laId,
      received_on: received,
      source: options.source,
      referrer: `${options.by.displayName}, ${options.by.jobTitle}, ${options.by.team.name}`,
      reasons: options.reasons,
      decision_due_on: referralDecisionDue(received),
      recorded_by: options.by.id,
      recorded_at: workingTime(rng, options.day),
    });
    const id = rng.uuid();
    rows.partner_referral.push({
      id,
      la_id: laId,
      contact_id: contactId,
      referred_by: options.by.id,
      organisation_id: options.by.team.organisationId,
      child_given_name: options.child.givenName,
      child_family_name: options.child.familyName,
      child_date_of_birth: options.child.dateOfBirth,
      referrer_role: options.by.jobTitle,
      referrer_phone: "01632 960 0" + String(rng.int(10, 99)),
      referrer_email: options.by.email,
      family_aware: "consented",
      created_at: workingTime(rng, options.day),
      ...options.details,
    });
    return { id, contactId, received };
  };

  refer({
    by: police,
    source: "6",
    day: today,
    child: {
      givenName: "Maisie",
      familyName: "Tranter",
      dateOfBirth: dateOf(today - 6 * 365 - 40),
    },
    details: {
      child_address: "Flat 3, 18 Canal Street, Northmoor",
      child_postcode: "NM1 4QT",
      child_school: "Moorside Primary School",
      family_aware: "not_told",
      not_told_reason: "Mother was arrested at the address; no other adult was there to tell.",
    },
    reasons:
      "Attended a domestic incident overnight. Maisie was at home and saw her mother arrested; she is staying with a neighbour. Not known to us before.",
  });

  refer({
    by: health,
    source: "3B",
    day: today,
    child: {
      givenName: sibling.givenName,
      familyName: misspelt(input.familyNameOf(sibling.id)),
      dateOfBirth: sibling.dateOfBirth,
    },
    details: { family_aware: "aware_not_consented", not_told_reason: "Father refused consent." },
    reasons: `At the developmental check ${sibling.givenName} had bruising to both upper arms; the explanation given did not fit.`,
  });

  // An older referral, linked by the front door and decided: the officer sees the decision.
  const decidedDay = today - 5;
  const decided = refer({
    by: police,
    source: "6",
    day: today - 6,
    child: {
      givenName: known.givenName,
      familyName: input.familyNameOf(known.id),
      dateOfBirth: known.dateOfBirth,
    },
    details: {
      person_id: known.id,
      identified_by: manager.id,
      identified_at: workingTime(rng, today - 6),
    },
    reasons: `${known.givenName} was found walking alone by the ring road late in the evening and taken home.`,
  });
  const contact = rows.contact[rows.contact.length - 1];
  if (contact) {
    Object.assign(contact, {
      decision: "no_further_action",
      decision_reason:
        "Known to Team A, assessment under way; the allocated worker will discuss with the family.",
      decided_on: dateOf(decidedDay),
      decided_by: manager.id,
    });
  }
  rows.contact_child.push({ contact_id: decided.contactId, person_id: known.id, la_id: laId });
  const organisation = manager.team.organisationId;
  rows.chronology_entry.push(
    {
      id: rng.uuid(),
      la_id: laId,
      person_id: known.id,
      occurred_on: decided.received,
      kind: "contact",
      summary: "Contact received from POLICE (partner referral)",
      organisation_id: organisation,
      recorded_by: manager.id,
      recorded_at: workingTime(rng, today - 6),
      subject_type: "contact",
      subject_id: decided.contactId,
    },
    {
      id: rng.uuid(),
      la_id: laId,
      person_id: known.id,
      occurred_on: dateOf(decidedDay),
      kind: "contact_decision",
      summary: "Contact decision: No further action",
      organisation_id: organisation,
      recorded_by: manager.id,
      recorded_at: workingTime(rng, decidedDay),
      subject_type: "contact",
      subject_id: decided.contactId,
    },
  );
  return rows;
}
