/**
 * Care leavers (decision 0038): status, personal adviser, pathway plan and reviews, and
 * keeping-in-touch contacts. Plain functions `(db, actor, input)` in the caller's transaction,
 * for the pages and an API alike; each write locks the young person's row, checks the rules of
 * src/domain/care-leavers.ts against what is stored, names every problem at once, and adds a
 * chronology entry. Who may call them is the route's permission and src/access/.
 */
import { z } from "zod";
import type { Actor } from "../../access/actor.ts";
import { adviserVerdict } from "../../access/care-leavers.ts";
import {
  accommodationCodes,
  activityCodes,
  asksActivity,
  birthday,
  birthdayFor,
  careLeaverStatuses,
  contactWindow,
  deriveStatus,
  inTouchCodes,
  lookedAfterOn,
  type CareEpisode,
} from "../../domain/care-leavers.ts";
import { isCode, labelFor } from "../../domain/code-list.ts";
import { ageOn, formatDate } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, type FieldError } from "../../platform/errors.ts";
import { Id } from "../../platform/schemas.ts";
import { recordEvent } from "../chronology/record.ts";
import { lockChild } from "../looked-after/queries.ts";

const refuse = (errors: FieldError[]): never => {
  throw new AppError("validation", "Check the details you entered", errors);
};

interface YoungPerson {
  id: string;
  name: string;
  dob: string;
}

/** Locks the young person's row and reads what every rule needs. */
async function lockYoungPerson(db: Db, actor: Actor, personId: string, field: string) {
  await lockChild(db, personId);
  const row = await db
    .selectFrom("person")
    .select(["id", "given_name", "date_of_birth"])
    .where("id", "=", personId)
    .where("la_id", "=", actor.laId)
    .executeTakeFirstOrThrow();
  if (!row.date_of_birth) {
    return refuse([
      { field, message: "Record their date of birth first: care leaver rules count from it" },
    ]);
  }
  const person: YoungPerson = { id: row.id, name: row.given_name, dob: row.date_of_birth };
  return person;
}

export async function careEpisodesOf(db: Db, personId: string): Promise<CareEpisode[]> {
  const rows = await db
    .selectFrom("cla_episode")
    .select(["start_date", "end_date", "legal_status", "reason_ceased"])
    .where("person_id", "=", personId)
    .orderBy("start_date")
    .execute();
  return rows.map((r) => ({
    startDate: r.start_date,
    endDate: r.end_date,
    legalStatus: r.legal_status,
    reasonCeased: r.reason_ceased,
  }));
}

async function currentStatus(db: Db, personId: string) {
  return db
    .selectFrom("care_leaver_status")
    .select(["status", "effective_on"])
    .where("person_id", "=", personId)
    .orderBy("effective_on", "desc")
    .orderBy("recorded_at", "desc")
    .executeTakeFirst();
}

export const NewStatus = z.object({
  personId: Id,
  status: z.string(),
  effectiveOn: z.string(),
  reason: z.string(),
  /** The adviser to appoint from `effectiveOn`, or "" to keep the current one. */
  adviserId: z.string(),
  today: z.string(),
  now: z.date(),
});
export type NewStatus = z.infer<typeof NewStatus>;

/**
 * Records the care leaver status from a date and, when named, appoints the personal adviser
 * (ending the appointment before). A status the looked-after history does not give needs the
 * reason; the adviser must be one of the council's practitioners who can see the record.
 */
export async function recordStatus(db: Db, actor: Actor, input: NewStatus) {
  const given = NewStatus.parse(input);
  const person = await lockYoungPerson(db, actor, given.personId, "status");
  const errors: FieldError[] = [];
  const status = isCode(careLeaverStatuses, given.status) ? given.status : null;
  if (!status) errors.push({ field: "status", message: "Select their care leaver status" });
  const sixteenth = birthday(person.dob, 16);
  if (given.effectiveOn < sixteenth) {
    errors.push({
      field: "effectiveOn-day",
      message: `${person.name} turns 16 on ${formatDate(sixteenth)}: a young person becomes a care leaver from 16. Choose a date on or after it`,
    });
  }
  const derived = deriveStatus(person.dob, await careEpisodesOf(db, person.id), given.effectiveOn);
  if (status && status !== derived.status && given.reason.length < 5) {
    const gives = derived.status
      ? `gives ${labelFor(careLeaverStatuses, derived.status)}`
      : "do not make them a care leaver";
    errors.push({
      field: "reason",
      message: `The looked-after records ${gives} (${derived.reason}). Say why the status is different, such as care by another council`,
    });
  }
  let adviser: { id: string; name: string } | undefined;
  if (given.adviserId && !Id.safeParse(given.adviserId).success) {
    errors.push({ field: "adviserId", message: "Choose a personal adviser from the list" });
  } else if (given.adviserId) {
    const verdict = await adviserVerdict(db, given.adviserId, person.id, actor.laId, given.now);
    if (verdict === "not_an_adviser") {
      errors.push({ field: "adviserId", message: "Choose a personal adviser from the list" });
    } else if (verdict === "cannot_see") {
      errors.push({
        field: "adviserId",
        message: `The adviser cannot see ${person.name}'s record. Allocate ${person.name} to them or their team first (Caseloads), then appoint them`,
      });
    } else {
      const user = await db
        .selectFrom("app_user")
        .select(["id", "display_name"])
        .where("id", "=", given.adviserId)
        .executeTakeFirstOrThrow();
      adviser = { id: user.id, name: user.display_name };
    }
  }
  if (errors.length > 0 || !status) return refuse(errors);
  const row = await db
    .insertInto("care_leaver_status")
    .values({
      la_id: actor.laId,
      person_id: person.id,
      status,
      effective_on: given.effectiveOn,
      derived_status: derived.status,
      reason: status === derived.status ? "" : given.reason,
      recorded_by: actor.userId,
      recorded_at: given.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: given.effectiveOn,
    kind: "care_leaver_status",
    summary: `Care leaver status: ${labelFor(careLeaverStatuses, status)}`,
    subject: { type: "care_leaver_status", id: row.id },
  });
  let appointmentId: string | undefined;
  if (adviser) appointmentId = await appoint(db, actor, person, adviser, given.effectiveOn);
  return { statusId: row.id, status, derived: derived.status, appointmentId };
}

async function appoint(
  db: Db,
  actor: Actor,
  person: YoungPerson,
  adviser: { id: string; name: string },
  startDate: string,
): Promise<string | undefined> {
  const open = await db
    .selectFrom("personal_adviser")
    .select(["id", "adviser_id", "start_date"])
    .where("person_id", "=", person.id)
    .where("end_date", "is", null)
    .execute();
  if (open.some((a) => a.adviser_id === adviser.id)) return undefined;
  for (const previous of open) {
    await db
      .updateTable("personal_adviser")
      .set({ end_date: previous.start_date > startDate ? previous.start_date : startDate })
      .where("id", "=", previous.id)
      .execute();
  }
  const row = await db
    .insertInto("personal_adviser")
    .values({
      la_id: actor.laId,
      person_id: person.id,
      adviser_id: adviser.id,
      start_date: startDate,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: startDate,
    kind: "personal_adviser",
    summary: `${adviser.name} appointed as personal adviser`,
    subject: { type: "personal_adviser", id: row.id },
  });
  return row.id;
}

export const NewPathwayPlan = z.object({
  personId: Id,
  agreedOn: z.string(),
  today: z.string(),
  now: z.date(),
});
export type NewPathwayPlan = z.infer<typeof NewPathwayPlan>;

/** Records a pathway plan: for a young person recorded as a care leaver, from 16. */
export async function recordPathwayPlan(db: Db, actor: Actor, input: NewPathwayPlan) {
  const given = NewPathwayPlan.parse(input);
  const person = await lockYoungPerson(db, actor, given.personId, "agreedOn-day");
  const status = await currentStatus(db, person.id);
  if (!status) {
    return refuse([
      {
        field: "agreedOn-day",
        message: `Record ${person.name}'s care leaver status first: a pathway plan is for an eligible, relevant or former relevant young person`,
      },
    ]);
  }
  const sixteenth = birthday(person.dob, 16);
  if (given.agreedOn < sixteenth) {
    return refuse([
      {
        field: "agreedOn-day",
        message: `A pathway plan starts from 16: ${person.name} turned 16 on ${formatDate(sixteenth)}. Enter a date on or after it`,
      },
    ]);
  }
  const row = await db
    .insertInto("pathway_plan")
    .values({
      la_id: actor.laId,
      person_id: person.id,
      agreed_on: given.agreedOn,
      recorded_by: actor.userId,
      recorded_at: given.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: given.agreedOn,
    kind: "pathway_plan",
    summary: "Pathway plan agreed",
    subject: { type: "pathway_plan", id: row.id },
  });
  return { planId: row.id };
}

export const NewPathwayReview = z.object({
  personId: Id,
  heldOn: z.string(),
  today: z.string(),
  now: z.date(),
});
export type NewPathwayReview = z.infer<typeof NewPathwayReview>;

/** Records a review of the latest pathway plan, held on or after the plan was agreed. */
export async function recordPathwayReview(db: Db, actor: Actor, input: NewPathwayReview) {
  const given = NewPathwayReview.parse(input);
  const person = await lockYoungPerson(db, actor, given.personId, "heldOn-day");
  const plan = await db
    .selectFrom("pathway_plan")
    .select(["id", "agreed_on"])
    .where("person_id", "=", person.id)
    .where("agreed_on", "<=", given.heldOn)
    .orderBy("agreed_on", "desc")
    .executeTakeFirst();
  if (!plan) {
    const first = await db
      .selectFrom("pathway_plan")
      .select("agreed_on")
      .where("person_id", "=", person.id)
      .orderBy("agreed_on")
      .executeTakeFirst();
    return refuse([
      {
        field: "heldOn-day",
        message: first
          ? `A review cannot be before the plan: ${person.name}'s pathway plan was agreed on ${formatDate(first.agreed_on)}. Enter a date on or after it`
          : `${person.name} has no pathway plan yet. Record the pathway plan first, then its reviews`,
      },
    ]);
  }
  const row = await db
    .insertInto("pathway_plan_review")
    .values({
      la_id: actor.laId,
      person_id: person.id,
      pathway_plan_id: plan.id,
      held_on: given.heldOn,
      recorded_by: actor.userId,
      recorded_at: given.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: given.heldOn,
    kind: "pathway_plan_review",
    summary: "Pathway plan reviewed",
    subject: { type: "pathway_plan_review", id: row.id },
  });
  return { reviewId: row.id, planId: plan.id };
}

export const NewContact = z.object({
  personId: Id,
  contactOn: z.string(),
  inTouch: z.string(),
  activity: z.string(),
  accommodation: z.string(),
  today: z.string(),
  now: z.date(),
});
export type NewContact = z.infer<typeof NewContact>;

/** Why a contact on this date cannot count for a birthday, in words that say what to do. */
function windowProblem(person: YoungPerson, contactOn: string): string | undefined {
  const seventeenth = birthday(person.dob, 17);
  if (contactOn < seventeenth) {
    return `${person.name} turns 17 on ${formatDate(seventeenth)}. Keeping-in-touch contacts count from the 17th birthday: record visits before then on their looked-after or visits page`;
  }
  if (birthdayFor(person.dob, contactOn) !== undefined) return undefined;
  const age = ageOn(person.dob, contactOn);
  if (age >= 21) {
    return `${person.name} was ${String(age)} on that date, past their 21st birthday's window: the return asks about the 17th to 21st birthdays only`;
  }
  const next = contactWindow(person.dob, (age + 1) as 18 | 19 | 20 | 21);
  return `That date is not around a birthday. A contact for the ${String(age + 1)}th birthday counts from ${formatDate(next.from)} to ${formatDate(next.to)}`;
}

/**
 * Records a keeping-in-touch contact for the birthday it is around (17th to 21st): activity and
 * accommodation when in touch, in the OC3 codes. Refused before the 17th birthday, outside a
 * birthday's window, while looked after, and where the DfE's rules say the answer cannot be
 * (a foyer under 18, rule 347; former foster carers at 17, rule 3001).
 */
export async function recordContact(db: Db, actor: Actor, input: NewContact) {
  const given = NewContact.parse(input);
  const person = await lockYoungPerson(db, actor, given.personId, "contactOn-day");
  const errors: FieldError[] = [];
  const status = await currentStatus(db, person.id);
  if (!status) {
    errors.push({
      field: "contactOn-day",
      message: `Record ${person.name}'s care leaver status first: keeping-in-touch contacts are for care leavers`,
    });
  }
  const problem = windowProblem(person, given.contactOn);
  if (problem) errors.push({ field: "contactOn-day", message: problem });
  const age = birthdayFor(person.dob, given.contactOn);
  const episodes = await careEpisodesOf(db, person.id);
  if (!problem && lookedAfterOn(episodes, given.contactOn)) {
    errors.push({
      field: "contactOn-day",
      message: `${person.name} was looked after on that date. Record visits on their looked-after page; keeping-in-touch contacts are for after they leave care`,
    });
  } else if (
    !problem &&
    age !== undefined &&
    age <= 18 &&
    birthday(person.dob, age) <= given.today &&
    lookedAfterOn(episodes, birthday(person.dob, age))
  ) {
    errors.push({
      field: "contactOn-day",
      message: `${person.name} was still looked after on their ${String(age)}th birthday, so the return does not ask about it (DfE rule 1007). Record the next birthday's contact instead`,
    });
  }
  const inTouch = isCode(inTouchCodes, given.inTouch) ? given.inTouch : null;
  if (!inTouch) {
    errors.push({ field: "inTouch", message: "Select whether you were in touch" });
  }
  let activity: string | null = null;
  let accommodation: string | null = null;
  if (inTouch && asksActivity(inTouch)) {
    activity = isCode(activityCodes, given.activity) ? given.activity : null;
    accommodation = isCode(accommodationCodes, given.accommodation) ? given.accommodation : null;
    if (!activity) {
      errors.push({ field: "activity", message: "Select their main activity" });
    }
    if (!accommodation) {
      errors.push({ field: "accommodation", message: "Select their accommodation" });
    } else if (ageOn(person.dob, given.contactOn) < 18 && accommodation.startsWith("T")) {
      errors.push({
        field: "accommodation",
        message: `A care leaver under 18 cannot be accommodated in a foyer (DfE rule 347). Choose the accommodation ${person.name} has`,
      });
    } else if (age === 17 && accommodation.startsWith("Z")) {
      errors.push({
        field: "accommodation",
        message:
          "Around the 17th birthday a care leaver cannot be living with former foster carers (DfE rule 3001): that is staying put, from 18. Choose the accommodation they have",
      });
    }
  }
  if (errors.length > 0 || !inTouch || age === undefined) return refuse(errors);
  const row = await db
    .insertInto("care_leaver_contact")
    .values({
      la_id: actor.laId,
      person_id: person.id,
      contact_on: given.contactOn,
      birthday_age: age,
      in_touch: inTouch,
      activity,
      accommodation,
      recorded_by: actor.userId,
      recorded_at: given.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: given.contactOn,
    kind: "keeping_in_touch",
    summary: `Keeping-in-touch contact for the ${String(age)}th birthday: ${labelFor(inTouchCodes, inTouch)}`,
    subject: { type: "care_leaver_contact", id: row.id },
  });
  return { contactId: row.id, birthdayAge: age };
}
