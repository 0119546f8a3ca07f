/**
 * The everyday record of an open episode: statutory visits at the plan's frequency and case
 * notes from the social worker and the other agencies around the family.
 */
import { dateOf } from "./journeys-calendar.ts";
import type { PlanType } from "../platform/schema.ts";
import {
  CASE_NOTES_PER_MONTH,
  CHILD_SEEN,
  NOTE_AUTHORS,
  SEEN_ALONE,
  VISIT_EVERY_WORKING_DAYS,
  VISIT_ON_TIME,
  VISIT_OVERDUE_NOW,
  type NoteAuthor,
} from "./journeys-rates.ts";
import { CASE_NOTES, CHILD_SAID, NOT_SEEN_NOTE, VISIT_NOTES } from "./journeys-text.ts";
import { workingTime, type Episode, type Kid } from "./journeys-world.ts";
import { yearsBefore } from "./random.ts";
import type { UserInfo } from "./staff.ts";

const PLAN_NAME: Record<PlanType, string> = {
  cp: "child protection",
  cin: "child in need",
  cla: "looked after",
};

function visit(ep: Episode, day: number, plan: PlanType | null): void {
  const { w } = ep;
  const { rng } = w;
  const visitor = ep.worker(day);
  for (const kid of ep.kids) {
    if (day < kid.dob) continue;
    const seen = rng.chance(CHILD_SEEN);
    const oldEnough = day >= yearsBefore(kid.dob, -4);
    const alone = seen && oldEnough && rng.chance(SEEN_ALONE);
    const id = w.id();
    w.sink.push("visit", {
      id,
      la_id: w.laId,
      person_id: kid.id,
      visited_on: dateOf(day),
      plan_type: plan,
      seen,
      seen_alone: alone,
      child_views: alone && rng.chance(0.6) ? rng.pick(CHILD_SAID) : "",
      note: ep.say(seen ? rng.pick(VISIT_NOTES) : NOT_SEEN_NOTE, kid),
      visitor_id: visitor.id,
      recorded_at: workingTime(rng, Math.min(day + rng.int(0, 2), w.today)),
    });
    const what = plan ? `Statutory visit (${PLAN_NAME[plan]} plan)` : "Assessment visit";
    const how = !seen
      ? "{child} not seen"
      : alone
        ? "{child} seen alone"
        : "{child} seen with {carer}";
    ep.chron(kid, day, "visit", `${what}: ${how}.`, visitor, { type: "visit", id });
  }
}

/** A few visits while the children are assessed, between `from` and `to`. */
export function assessmentVisits(ep: Episode, from: number, to: number, count: number): void {
  const last = Math.max(from, Math.min(to, ep.w.today - 1));
  const days = new Set<number>();
  for (let i = 0; i < count; i++) days.add(ep.w.rng.int(from, last));
  for (const day of [...days].sort((a, b) => a - b)) visit(ep, day, null);
}

/**
 * Statutory visits at the plan's frequency from `from` to `to` (null: the plan is open today,
 * and the next visit is sometimes overdue). Most are made in time; a few are late.
 */
export function planVisits(ep: Episode, from: number, to: number | null, plan: PlanType): void {
  const { w } = ep;
  const { rng, cal } = w;
  const every = VISIT_EVERY_WORKING_DAYS[plan];
  let cutoff = to === null ? w.today - 1 : Math.min(to, w.today - 1);
  if (to === null && (ep.force?.overdueVisit ?? rng.chance(VISIT_OVERDUE_NOW))) {
    cutoff = cal.subtract(w.today, every + rng.int(1, 5));
  }
  let day = cal.add(from, rng.int(1, Math.ceil(every / 2)));
  while (day <= cutoff) {
    visit(ep, day, plan);
    day = rng.chance(VISIT_ON_TIME)
      ? cal.add(day, rng.int(Math.ceil(every * 0.6), every))
      : cal.add(day, every + rng.int(1, 5));
  }
}

function authorOf(ep: Episode, kind: NoteAuthor, day: number, kid: Kid): UserInfo {
  const { w } = ep;
  const social = ep.worker(day);
  switch (kind) {
    case "social_worker":
      return social;
    case "adult_specialist": {
      const specialists = w.staff.adultSpecialistsOf.get(ep.team(day).id) ?? [];
      return specialists.length > 0 ? w.rng.pick(specialists) : social;
    }
    case "school":
      return pickPartner(ep, day >= yearsBefore(kid.dob, -11) ? "secondary" : "primary", social);
    case "youthJustice":
      return day >= yearsBefore(kid.dob, -10) ? pickPartner(ep, "youthJustice", social) : social;
    default:
      return pickPartner(ep, kind, social);
  }
}

function pickPartner(
  ep: Episode,
  key: keyof Episode["w"]["partnerUsers"],
  fallback: UserInfo,
): UserInfo {
  const users = ep.w.partnerUsers[key];
  return users.length > 0 ? ep.w.rng.pick(users) : fallback;
}

const NOTE_KEY: Record<NoteAuthor, string> = {
  social_worker: "social_worker",
  adult_specialist: "adult_specialist",
  school: "school",
  health: "health",
  police: "police",
  housing: "housing",
  womensAid: "womensAid",
  youthJustice: "youthJustice",
};

/** Case notes while the episode is open, by the social worker and partner agencies. */
export function caseNotes(ep: Episode, from: number, to: number): void {
  const { w } = ep;
  const { rng } = w;
  const last = Math.min(to, w.today - 1);
  if (last < from) return;
  const expected = ((last - from) / 30.4) * CASE_NOTES_PER_MONTH * (ep.force?.notes ?? 1);
  const count = Math.round(expected * (0.6 + 0.8 * rng.float()));
  for (let i = 0; i < count; i++) {
    const day = rng.int(from, last);
    const everyone = rng.chance(0.4);
    const first = ep.kids[rng.int(0, ep.kids.length - 1)];
    if (!first) return;
    const kind = rng.weighted(NOTE_AUTHORS);
    const author = authorOf(ep, kind, day, first);
    const key = author.role === "social_worker" ? "social_worker" : NOTE_KEY[kind];
    const text = rng.pick(CASE_NOTES[key] ?? CASE_NOTES.social_worker ?? [""]);
    for (const kid of everyone ? ep.kids : [first]) {
      const id = w.id();
      const note = ep.say(text, kid);
      w.sink.push("case_note", {
        id,
        la_id: w.laId,
        person_id: kid.id,
        occurred_on: dateOf(day),
        note,
        author_id: author.id,
        organisation_id: author.team.organisationId,
        recorded_at: workingTime(rng, day),
      });
      ep.chron(kid, day, "case_note", note, author, { type: "case_note", id });
    }
  }
}
