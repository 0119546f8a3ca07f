/**
 * Missing episodes (SSDA903 MISSING: M missing, A away from placement without authorisation),
 * with their return home interviews, offered mostly within 72 hours of the child coming back.
 */
import { at, dayOf } from "./journeys-calendar.ts";
import {
  AWAY_RATHER_THAN_MISSING,
  MISSING_PER_YEAR_EXPLOITATION,
  MISSING_PER_YEAR_IN_CARE,
  RETURN_INTERVIEW_ACCEPTED,
  RETURN_INTERVIEW_ON_TIME,
} from "./journeys-rates.ts";
import { RETURN_INTERVIEW_SAID, WHERE_FOUND } from "./journeys-text.ts";
import type { Episode, Kid } from "./journeys-world.ts";
import { yearsBefore } from "./random.ts";

const HOUR_MS = 3_600_000;

/**
 * Missing episodes of the episode's young people (11 and over) from `from` to `to`: from home
 * for those at risk of exploitation, and from care (sometimes away from placement without
 * authorisation) while looked after. They never overlap; each has a return home interview
 * offered, mostly within 72 hours.
 */
export function missingDuring(ep: Episode, from: number, to: number): void {
  const { rng } = ep.w;
  const inCare = (day: number) =>
    ep.carePeriods.some(([start, end]) => start <= day && (end === null || day < end));
  for (const kid of ep.kids) {
    const first = Math.max(from, yearsBefore(kid.dob, -11));
    if (first >= to) continue;
    let cared = 0;
    for (const [start, end] of ep.carePeriods) {
      cared += Math.max(0, Math.min(end ?? to, to) - Math.max(start, first));
    }
    const years = (ep.exploitation ? to - first : cared) / 365;
    const perYear = ep.exploitation ? MISSING_PER_YEAR_EXPLOITATION : MISSING_PER_YEAR_IN_CARE;
    const count = Math.round(years * perYear * (0.3 + 1.4 * rng.float()));
    const days: number[] = [];
    for (let i = 0; i < count * (ep.exploitation ? 1 : 4) && days.length < count; i++) {
      const day = rng.int(first, to);
      if (ep.exploitation || inCare(day)) days.push(day);
    }
    let free = 0;
    for (const day of days.sort((a, b) => a - b)) {
      free = missing(ep, kid, day, inCare(day), null, free);
    }
  }
}

/**
 * One missing episode starting on `day`, unless it would start by `notBefore` (the end of
 * the last one, in ms); returns when it ended. A scripted `interview` instead makes it a
 * recent one with no return interview offered yet: in time ("due") or past 72 hours.
 */
export function missing(
  ep: Episode,
  kid: Kid,
  day: number,
  inCare: boolean,
  interview: "due" | "overdue" | null,
  notBefore = 0,
): number {
  const { w } = ep;
  const { rng } = w;
  const now = at(w.today, 0, 0).getTime();
  let started = at(day, rng.int(17, 23), rng.int(0, 59));
  let ended = new Date(started.getTime() + rng.int(2, 60) * HOUR_MS);
  if (interview) {
    ended = new Date(now - (interview === "due" ? rng.int(20, 40) : rng.int(80, 110)) * HOUR_MS);
    started = new Date(ended.getTime() - rng.int(4, 20) * HOUR_MS);
    day = dayOf(started);
  }
  if (ended.getTime() >= now || started.getTime() <= notBefore) return notBefore;
  let offered: Date | null = null;
  if (!interview) {
    const hours = rng.chance(RETURN_INTERVIEW_ON_TIME) ? rng.int(2, 70) : rng.int(73, 160);
    offered = new Date(ended.getTime() + hours * HOUR_MS);
    if (offered.getTime() >= now) offered = null;
  }
  const accepted = offered ? rng.chance(RETURN_INTERVIEW_ACCEPTED) : null;
  let held: Date | null =
    accepted && offered ? new Date(offered.getTime() + rng.int(0, 72) * HOUR_MS) : null;
  if (held && held.getTime() >= now) held = null;
  const by = ep.worker(day);
  const id = w.id();
  const kind = inCare && rng.chance(AWAY_RATHER_THAN_MISSING) ? "A" : "M";
  const found = rng.pick(WHERE_FOUND);
  w.sink.push("missing_episode", {
    id,
    la_id: w.laId,
    person_id: kid.id,
    kind,
    started_at: started,
    ended_at: ended,
    where_found: found,
    interview_offered_at: offered,
    interview_accepted: accepted,
    interview_held_at: held,
    child_said: held ? rng.pick(RETURN_INTERVIEW_SAID) : "",
    recorded_by: by.id,
    version: 1,
  });
  const subject = { type: "missing_episode", id };
  const from = inCare ? "their placement" : "home";
  ep.chron(kid, day, "missing_started", `{child} reported missing from ${from}.`, by, subject);
  ep.chron(
    kid,
    dayOf(ended),
    "missing_ended",
    `{child} back: ${found.charAt(0).toLowerCase()}${found.slice(1)}.`,
    by,
    subject,
  );
  if (held)
    ep.chron(
      kid,
      dayOf(held),
      "return_interview",
      "Return home interview held with {child}.",
      by,
      subject,
    );
  else if (offered && accepted === false)
    ep.chron(
      kid,
      dayOf(offered),
      "return_interview",
      "Return home interview offered; {child} declined.",
      by,
      subject,
    );
  return ended.getTime();
}
