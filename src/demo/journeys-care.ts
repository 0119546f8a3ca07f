/**
 * Looked-after children (SSDA903 episodes: a new row for each change of legal status or
 * placement, never overlapping) and their reviews. Missing episodes: journeys-missing.ts.
 */
import { claReviewDue } from "../domain/timescales.ts";
import { planVisits } from "./journeys-activity.ts";
import { monthsLater, dateOf } from "./journeys-calendar.ts";
import {
  ADOPTION_PLAN_UNDER_5,
  CARE_MONTHS,
  CEASED_16_17,
  CEASED_AT_18,
  CEASED_UNDER_16,
  CLA_REVIEW_ON_TIME,
  PLACEMENTS_10_AND_OVER,
  PLACEMENTS_UNDER_10,
  HOME_FROM_CARE_CIN_PLAN,
  LEGAL_STATUS_AT_START,
  PLACEMENT_MOVES_PER_YEAR,
  REVIEW_PARTICIPATION,
} from "./journeys-rates.ts";
import type { Step } from "./journeys-steps.ts";
import { CEASED_NAME, LEGAL_STATUS_NAME, PLACEMENT_NAME } from "./journeys-text.ts";
import type { Episode, Kid } from "./journeys-world.ts";
import { ageOn, toDay } from "./random.ts";

interface Change {
  day: number;
  rne: string;
  legal: string;
  place: string;
  /** Who provides the placement and where: they change with the placement, not the status. */
  provider?: string;
  postcode?: string | null;
}

/** Endings only for young people of 18: staying put, independent living, adult services. */
const ADULT_ENDINGS = new Set(["E17", "E5", "E6", "E7"]);
const SGO = new Set(["E45", "E46", "E47", "E48"]);

const CLOSURE_AFTER_CARE: Record<string, string> = {
  E11: "RC1",
  E12: "RC1",
  E45: "RC4",
  E46: "RC4",
  E41: "RC3",
  E3: "RC5",
  E7: "RC6",
};

function provider(ep: Episode, place: string): string {
  const { rng } = ep.w;
  if (place === "P1") return "PR0";
  if (place.startsWith("A")) return rng.chance(0.7) ? "PR1" : "PR5";
  if (place === "K2" || place === "R1") return rng.chance(0.75) ? "PR4" : "PR1";
  if (place === "U1" || place === "U2" || place === "U3") return "PR1";
  return rng.chance(0.6) ? "PR1" : "PR4";
}

function placementFor(ep: Episode, age: number, legal: string): string {
  const { rng } = ep.w;
  for (;;) {
    const place = rng.weighted(age < 10 ? PLACEMENTS_UNDER_10 : PLACEMENTS_10_AND_OVER);
    if (place === "P2" && age < 16) continue;
    if (place === "P1" && legal !== "C1" && legal !== "C2") continue;
    return place;
  }
}

function startingStatus(
  ep: Episode,
  via: Extract<Step, { kind: "care" }>["via"],
  age: number,
): string {
  const { rng } = ep.w;
  if (via === "emergency")
    return rng.weighted([
      ["L1", 50],
      ["V2", 25],
      ["C1", 25],
    ]);
  if (via === "cp") return rng.chance(0.7) ? "C1" : "V2";
  for (;;) {
    const legal = rng.weighted(LEGAL_STATUS_AT_START);
    if (legal.startsWith("J") && (age < 10 || !ep.exploitation)) continue;
    return legal;
  }
}

/** A period of care for the children from `step.day`; returns what follows it. */
export function care(ep: Episode, step: Extract<Step, { kind: "care" }>): Step {
  const { w } = ep;
  const { rng } = w;
  const start = Math.min(step.day, ep.open ? w.today - 1 : ep.limit);
  const youngest = Math.min(...ep.kids.map((k) => ageOn(k.dob, start)));
  const eighteen = Math.min(...ep.kids.map((k) => k.adult));
  const [low, high] = rng.weighted(CARE_MONTHS);
  let end: number | null =
    monthsLater(start, ep.force?.careMonths ?? rng.int(low, high)) + rng.int(-10, 10);
  let atEighteen = false;
  if (end >= eighteen) {
    end = eighteen;
    atEighteen = true;
  }
  if (end > ep.limit) end = Math.max(start + 1, ep.limit);
  if (ep.target === "cla") end = null;
  const last = end ?? w.today - 1;
  if (!ep.open && end !== null && end - start > 180) {
    ep.alloc?.transfer(start + 90, w.teams.childrenInCare, "TSPROC");
  }

  let legal = startingStatus(ep, step.via, youngest);
  const place = placementFor(ep, youngest, legal);
  const first: Change = { day: start, rne: "S", legal, place };
  const changes: Change[] = [first];
  const add = (day: number, rne: string, nextLegal: string, nextPlace: string) => {
    if (day > start && day < last) changes.push({ day, rne, legal: nextLegal, place: nextPlace });
  };
  if (legal === "L1") {
    legal = rng.chance(0.5) ? "V2" : "C1";
    add(start + rng.int(1, 3), "L", legal, place);
  }
  if (legal === "V2" && rng.chance(0.15)) {
    legal = "C1";
    add(start + rng.int(30, 120), "L", legal, place);
  }
  let adopted = false;
  if (legal === "C1") {
    const order = start + rng.int(150, 300);
    legal = "C2";
    add(order, "L", legal, place);
    if (youngest < 5 && !atEighteen && rng.chance(ADOPTION_PLAN_UNDER_5)) {
      const placed = order + rng.int(60, 200);
      // With the current foster carers (A5: U) or with new adopters (A6: B); both change the
      // legal status to a placement order (E1).
      const withCarers = rng.chance(0.3);
      add(placed, withCarers ? "U" : "B", "E1", withCarers ? "A5" : "A6");
      if (end !== null && placed < last) {
        end = Math.min(placed + rng.int(120, 300), ep.limit);
        adopted = end > placed;
      }
    }
  }
  const moves = Math.round(((last - start) / 365) * PLACEMENT_MOVES_PER_YEAR * (0.5 + rng.float()));
  for (let i = 0; i < moves; i++) {
    const day = rng.int(start + 1, Math.max(start + 1, last - 1));
    add(day, "P", "", "");
  }
  changes.sort((a, b) => a.day - b.day);
  // Fill in each change's legal status and placement from the one before it.
  const timeline: Change[] = [];
  for (const c of changes) {
    const before = timeline.at(-1);
    if (before && c.day <= before.day) continue;
    if (end !== null && c.day >= end) break;
    const placed = (place: string) => ({
      provider: provider(ep, place),
      postcode: postcode(ep, place),
    });
    if (c.rne === "P" && before) {
      if (before.place.startsWith("A")) continue;
      const age = Math.min(...ep.kids.map((k) => ageOn(k.dob, c.day)));
      const next = placementFor(ep, age, before.legal);
      if (next === before.place) continue;
      timeline.push({ day: c.day, rne: "P", legal: before.legal, place: next, ...placed(next) });
    } else if (c.rne === "L" && before) {
      const { place, provider: by, postcode: where } = before;
      timeline.push({ day: c.day, rne: "L", legal: c.legal, place, provider: by, postcode: where });
    } else {
      timeline.push({ ...c, ...placed(c.place) });
    }
  }
  // Scripted: a move to new foster carers three days ago, no visit since (no draws: the rest
  // of the demo is unchanged).
  const moved = timeline.at(-1);
  const moveDay = w.today - 3;
  if (ep.force?.recentMove && end === null && moved && moved.day < moveDay) {
    if (!moved.place.startsWith("A")) {
      const place = moved.place === "U6" ? "U4" : "U6";
      timeline.push({ ...moved, day: moveDay, rne: "P", place, provider: "PR1" });
    }
  }
  const age18 = atEighteen && end === eighteen;
  const ended = end;
  const ageAtEnd = ended === null ? 0 : Math.min(...ep.kids.map((k) => ageOn(k.dob, ended)));
  const ceased =
    end === null
      ? null
      : adopted
        ? rng.chance(0.8)
          ? "E11"
          : "E12"
        : (ep.force?.ceased ??
          rng.weighted(age18 ? CEASED_AT_18 : ageAtEnd >= 16 ? CEASED_16_17 : CEASED_UNDER_16));

  for (const kid of ep.kids) {
    // Care ends for a sibling group when the eldest turns 18; the younger leave care otherwise.
    const young = ended !== null && ageOn(kid.dob, ended) < 18;
    const leaving = ceased !== null && young && ADULT_ENDINGS.has(ceased);
    const own = leaving
      ? rng.weighted(ageOn(kid.dob, ended) >= 16 ? CEASED_16_17 : CEASED_UNDER_16)
      : ceased;
    // A special guardianship order cannot be made for a young person of 18.
    const adult = ended !== null && ageOn(kid.dob, ended) >= 18;
    writePeriod(ep, kid, timeline, end, adult && own !== null && SGO.has(own) ? "E8" : own);
  }
  reviews(ep, start, end);
  planVisits(
    ep,
    start,
    end === null && timeline.at(-1)?.day === moveDay ? moveDay - 1 : end,
    "cla",
  );
  ep.carePeriods.push([start, end]);
  if (end === null || ceased === null) return { kind: "open" };
  const closure = CLOSURE_AFTER_CARE[ceased];
  if (closure) return { kind: "close", day: end, reason: closure };
  const home = ceased === "E4A" || ceased === "E4B" || ceased === "E13";
  if (home && ep.room(end) >= 60 && rng.chance(HOME_FROM_CARE_CIN_PLAN))
    return { kind: "cin", day: end };
  return { kind: "close", day: end, reason: "RC7" };
}

function postcode(ep: Episode, place: string): string | null {
  const { rng } = ep.w;
  if (rng.chance(0.1)) return null;
  const letters = "ABDEFGHJLNPQRSTUWXYZ";
  const pick = () => letters[rng.int(0, letters.length - 1)] ?? "A";
  const district = place === "K2" && rng.chance(0.4) ? "NM9" : `NM${String(rng.int(1, 9))}`;
  return `${district} ${String(rng.int(1, 9))}${pick()}${pick()}`;
}

function writePeriod(
  ep: Episode,
  kid: Kid,
  timeline: readonly Change[],
  end: number | null,
  ceased: string | null,
): void {
  const { w } = ep;
  for (const [i, c] of timeline.entries()) {
    const next = timeline[i + 1];
    const rowEnd = next ? next.day : end;
    const id = w.id();
    const by = ep.worker(c.day);
    w.sink.push("cla_episode", {
      id,
      la_id: w.laId,
      person_id: kid.id,
      referral_id: ep.referrals.get(kid.id) ?? null,
      start_date: dateOf(c.day),
      reason_new_episode: c.rne,
      legal_status: c.legal,
      placement_type: c.place,
      placement_provider: c.provider ?? null,
      placement_postcode: c.postcode ?? null,
      end_date: rowEnd === null ? null : dateOf(rowEnd),
      reason_ceased: next ? "X1" : rowEnd === null ? null : ceased,
      recorded_by: by.id,
      version: 1,
    });
    const subject = { type: "cla_episode", id };
    const status = LEGAL_STATUS_NAME[c.legal] ?? c.legal;
    const placed = PLACEMENT_NAME[c.place] ?? "in a new placement";
    if (c.rne === "S")
      ep.chron(
        kid,
        c.day,
        "cla_started",
        `Became looked after under ${status}; placed ${placed}.`,
        by,
        subject,
      );
    else if (c.rne === "L")
      ep.chron(kid, c.day, "cla_changed", `Legal status changed: now ${status}.`, by, subject);
    else
      ep.chron(kid, c.day, "cla_changed", `Placement changed: now placed ${placed}.`, by, subject);
    if (!next && rowEnd !== null && ceased) {
      ep.chron(
        kid,
        rowEnd,
        "cla_ceased",
        `Ceased to be looked after: ${CEASED_NAME[ceased] ?? "other reason"}.`,
        ep.worker(rowEnd),
        subject,
      );
    }
  }
}

function reviews(ep: Episode, start: number, end: number | null): void {
  const { w } = ep;
  const { rng } = w;
  const last = end === null ? w.today - 1 : Math.min(end - 1, w.today - 1);
  let previous = start;
  for (let n = 1; ; n++) {
    const due = toDay(claReviewDue(dateOf(previous), n));
    const held = rng.chance(CLA_REVIEW_ON_TIME)
      ? Math.max(previous + 1, due - rng.int(0, 10))
      : due + rng.int(1, 20);
    if (held > last) return;
    const by = ep.worker(held);
    for (const kid of ep.kids) {
      const participation = ageOn(kid.dob, held) < 4 ? "PN0" : rng.weighted(REVIEW_PARTICIPATION);
      const id = w.id();
      w.sink.push("cla_review", {
        id,
        la_id: w.laId,
        person_id: kid.id,
        held_on: dateOf(held),
        due_on: dateOf(due),
        participation,
        recorded_by: by.id,
      });
      const how =
        participation === "PN1"
          ? "{child} spoke for themselves"
          : participation === "PN0"
            ? "{child} too young to take part"
            : "{child}'s views shared";
      ep.chron(kid, held, "cla_review", `Looked after review held: ${how}.`, by, {
        type: "cla_review",
        id,
      });
    }
    previous = held;
  }
}
