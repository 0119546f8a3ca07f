/**
 * Statutory visits and the LA's visit frequencies as plain functions `(db, actor, input)` in the
 * caller's transaction, for the pages and the API alike (decision 0029). The caller has checked
 * the actor may see (to read) or record on (to add) the person; the input has passed its schema.
 * Case notes are in ./case-notes.ts.
 */
import type { Actor } from "../../access/actor.ts";
import { formatDate } from "../../domain/dates.ts";
import {
  planTypes,
  visitSummary,
  type PlanType,
  type VisitFrequencies,
} from "../../domain/visits.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { recordEvent } from "../chronology/record.ts";
import { laVisitFrequencies, planTypeOn } from "./due.ts";

/** The longest child's views and note a visit form may send. */
export const CHILD_VIEWS_MAX = 10_000;
export const VISIT_NOTE_MAX = 20_000;

/** The person a visit or note is recorded on: who they are, their council, their birth date. */
export interface RecordedPerson {
  id: string;
  la_id: string;
  date_of_birth: string | null;
}

/**
 * Refuses a date before the child was born, naming the form's date field (its day box) with
 * the message the date input gives for "not before".
 */
export function refuseBeforeBirth(
  person: RecordedPerson,
  date: string,
  field: string,
  label: string,
): void {
  if (!person.date_of_birth || date >= person.date_of_birth) return;
  const Label = label.charAt(0).toUpperCase() + label.slice(1);
  throw new AppError("validation", "Check the details you entered", [
    {
      field,
      message: `${Label} must be on or after the child's date of birth (${formatDate(person.date_of_birth)})`,
    },
  ]);
}

/** The person's visits, each with its visitor and their agency: the page's and the API's base. */
export function personVisits(db: Db, personId: string) {
  return db
    .selectFrom("visit as v")
    .innerJoin("app_user as u", "u.id", "v.visitor_id")
    .innerJoin("organisation as o", "o.id", "u.organisation_id")
    .select([
      "v.id",
      "v.visited_on",
      "v.plan_type",
      "v.seen",
      "v.seen_alone",
      "v.child_views",
      "v.note",
      "u.display_name as visitor_name",
      "o.name as visitor_agency",
    ])
    .where("v.person_id", "=", personId);
}

/** The person's visits, newest first. */
export async function visitsOf(db: Db, personId: string) {
  return personVisits(db, personId)
    .orderBy("v.visited_on", "desc")
    .orderBy("v.recorded_at", "desc")
    .execute();
}

export interface NewVisit {
  visitedOn: string;
  seen: boolean;
  seenAlone: boolean;
  childViews: string;
  note: string;
}

/**
 * Records a visit and its chronology entry. The plan it was made under is the one open on the
 * visit date, never the caller's say; a date before the child's birth is refused.
 */
export async function recordVisit(
  db: Db,
  actor: Actor,
  person: RecordedPerson,
  visit: NewVisit,
): Promise<{ visitId: string; planType: PlanType | null }> {
  refuseBeforeBirth(person, visit.visitedOn, "visitedOn-day", "the date of the visit");
  const planType = await planTypeOn(db, person.id, visit.visitedOn);
  const saved = await db
    .insertInto("visit")
    .values({
      la_id: person.la_id,
      person_id: person.id,
      visited_on: visit.visitedOn,
      plan_type: planType,
      seen: visit.seen,
      seen_alone: visit.seenAlone,
      child_views: visit.childViews,
      note: visit.note,
      visitor_id: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: visit.visitedOn,
    kind: "visit",
    summary: visitSummary(visit.seen, visit.seenAlone),
    subject: { type: "visit", id: saved.id },
  });
  return { visitId: saved.id, planType };
}

/** The values a frequency form was loaded with, so a change made meanwhile is noticed. */
export function frequencyFingerprint(frequencies: VisitFrequencies): string {
  return planTypes.map((p) => `${p.code}:${String(frequencies[p.code] ?? "")}`).join(",");
}

/** The actor's council's visit frequencies (the defaults where it has set none). */
export async function visitFrequenciesOf(db: Db, actor: Actor): Promise<VisitFrequencies> {
  return laVisitFrequencies(db, actor.laId);
}

/**
 * Sets the actor's council's visit frequencies, unless they changed since `loaded` was taken
 * (a conflict: there is no version column on these rows). No row for looked after means the
 * regulations alone (reg. 28). Returns the frequencies before and after.
 */
export async function setVisitFrequencies(
  db: Db,
  actor: Actor,
  input: { frequencies: VisitFrequencies; loaded: string },
): Promise<{ before: VisitFrequencies; after: VisitFrequencies }> {
  const laId = actor.laId;
  const before = await laVisitFrequencies(db, laId);
  if (input.loaded !== frequencyFingerprint(before)) {
    throw new AppError(
      "conflict",
      "Someone else changed these settings while you were editing them. The settings now in force are shown: make your change again.",
    );
  }
  const { cp, cin, cla } = input.frequencies;
  if (cla === null) {
    await db
      .deleteFrom("visit_frequency")
      .where("la_id", "=", laId)
      .where("plan_type", "=", "cla")
      .execute();
  }
  await db
    .insertInto("visit_frequency")
    .values([
      { la_id: laId, plan_type: "cp", working_days: cp },
      { la_id: laId, plan_type: "cin", working_days: cin },
      ...(cla === null ? [] : [{ la_id: laId, plan_type: "cla" as const, working_days: cla }]),
    ])
    .onConflict((oc) =>
      oc
        .columns(["la_id", "plan_type"])
        .doUpdateSet((eb) => ({ working_days: eb.ref("excluded.working_days") })),
    )
    .execute();
  return { before, after: input.frequencies };
}
