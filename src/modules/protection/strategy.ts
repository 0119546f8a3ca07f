/**
 * Recording a strategy discussion: who took part, by agency, and whether a section 47 enquiry
 * starts. An enquiry starts the same day, with its initial conference due 15 working days on.
 */
import type { Actor } from "../../access/actor.ts";
import { organisationKinds, type OrganisationKindCode } from "../../domain/code-lists.ts";
import { formatDate } from "../../domain/dates.ts";
import {
  agencyLabel,
  allStatutoryPartners,
  missingStatutoryPartners,
  s47FromStrategyDiscussion,
  strategyDiscussionProblems,
  strategyOutcomes,
} from "../../domain/protection-rules.ts";
import type { Db } from "../../platform/database.ts";
import { FormReader } from "../../platform/forms.ts";
import { recordEvents, type ChronologyEvent } from "../chronology/record.ts";
import { completeWork } from "../work/service.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { failOn, orderErrors, type Form } from "./form-support.ts";
import { openReferralOf, s47InProgressSince } from "./queries.ts";

/** Rows of attendee inputs on the form; blank rows are ignored. */
export const ATTENDEE_ROWS = 6;

/** The form's fields in page order, so the error summary lists problems as the page does. */
const STRATEGY_FIELDS = [
  "heldOn-day",
  "concerns",
  "attendees",
  ...Array.from({ length: ATTENDEE_ROWS }, (_, i) =>
    ["agency", "name", "role"].map((part) => `attendee-${String(i)}-${part}`),
  ).flat(),
  "outcome",
];

interface Attendee {
  agencyKind: OrganisationKindCode;
  name: string;
  role: string;
}

/** The attendee rows that were filled in; a half-filled row is an error on its own fields. */
function readAttendees(reader: FormReader): { attendees: Attendee[]; rowsGiven: number } {
  const attendees: Attendee[] = [];
  let rowsGiven = 0;
  for (let i = 0; i < ATTENDEE_ROWS; i++) {
    const field = (part: string) => `attendee-${String(i)}-${part}`;
    if (!reader.raw(field("agency")) && !reader.raw(field("name")) && !reader.raw(field("role")))
      continue;
    rowsGiven++;
    const which = `attendee ${String(i + 1)}`;
    const agencyKind = reader.code(field("agency"), organisationKinds, `the agency of ${which}`, {
      required: true,
    });
    const name = reader.text(field("name"), `the name of ${which}`, { required: true, max: 200 });
    const role = reader.text(field("role"), `the role of ${which}`, { max: 200 });
    if (agencyKind && name) attendees.push({ agencyKind, name, role });
  }
  return { attendees, rowsGiven };
}

function discussionSummary(outcome: "s47" | "no_s47", kinds: readonly string[]): string {
  const decided = outcome === "s47" ? "section 47 enquiry to start" : "no section 47 enquiry";
  const missing = missingStatutoryPartners(kinds);
  const partners =
    missing.length === 0
      ? "all 3 statutory partners attended"
      : `not all 3 statutory partners attended (missing: ${missing.map(agencyLabel).join(", ")})`;
  return `Strategy discussion: ${decided}; ${partners}`;
}

export interface SavedDiscussion {
  id: string;
  outcome: "s47" | "no_s47";
  attendees: number;
  allStatutoryPartners: boolean;
  s47Id: string | null;
}

export async function saveStrategyDiscussion(
  db: Db,
  actor: Actor,
  person: VisiblePerson,
  form: Form,
  today: string,
): Promise<SavedDiscussion> {
  const reader = new FormReader(form);
  const heldOn = reader.date("heldOn", "the date of the strategy discussion", { required: true });
  const concerns = reader.text("concerns", "the concerns discussed", { required: true, max: 5000 });
  const { attendees, rowsGiven } = readAttendees(reader);
  const outcome = reader.code("outcome", strategyOutcomes, "the outcome of the discussion", {
    required: true,
  });
  const referral = await openReferralOf(db, person.id, true);
  failOn(
    reader,
    strategyDiscussionProblems({
      heldOn,
      today,
      dateOfBirth: person.date_of_birth,
      openReferral: referral ? { referralDate: referral.referral_date } : null,
      attendeeCount: rowsGiven,
      outcome,
      s47InProgressSince: await s47InProgressSince(db, person.id),
    }),
  );
  orderErrors(reader, STRATEGY_FIELDS);
  reader.done();
  if (!heldOn || !outcome || !referral) throw new Error("unreachable: the form was checked");

  const discussion = await db
    .insertInto("strategy_discussion")
    .values({
      la_id: person.la_id,
      referral_id: referral.id,
      person_id: person.id,
      held_on: heldOn,
      concerns,
      outcome,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("strategy_attendee")
    .values(
      attendees.map((a) => ({
        la_id: person.la_id,
        strategy_discussion_id: discussion.id,
        agency_kind: a.agencyKind,
        name: a.name,
        role: a.role,
      })),
    )
    .execute();
  const kinds = attendees.map((a) => a.agencyKind);
  const events: ChronologyEvent[] = [
    {
      personId: person.id,
      occurredOn: heldOn,
      kind: "strategy_discussion",
      summary: discussionSummary(outcome, kinds),
      subject: { type: "strategy_discussion", id: discussion.id },
    },
  ];
  let s47Id: string | null = null;
  if (outcome === "s47") {
    const { startedOn, icpcDueOn } = s47FromStrategyDiscussion(heldOn);
    const s47 = await db
      .insertInto("s47_enquiry")
      .values({
        la_id: person.la_id,
        referral_id: referral.id,
        person_id: person.id,
        strategy_discussion_id: discussion.id,
        started_on: startedOn,
        icpc_due_on: icpcDueOn,
        recorded_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    s47Id = s47.id;
    events.push({
      personId: person.id,
      occurredOn: startedOn,
      kind: "s47_started",
      summary: `Section 47 enquiry started; initial child protection conference due by ${formatDate(icpcDueOn)}`,
      subject: { type: "s47_enquiry", id: s47.id },
    });
  }
  await recordEvents(db, actor, events);
  await completeWork(db, actor, {
    personId: person.id,
    kinds: ["strategy_discussion"],
    subject: { type: "strategy_discussion", id: discussion.id },
    doneOn: heldOn,
  });
  return {
    id: discussion.id,
    outcome,
    attendees: attendees.length,
    allStatutoryPartners: allStatutoryPartners(kinds),
    s47Id,
  };
}
