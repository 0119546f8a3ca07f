/**
 * Care leavers (issue 17, decision 0038): who is one, and what the council records while it
 * keeps in touch. Pure functions over plain values.
 *
 * Status, from the Children Act 1989 as the Children (Leaving Care) Act 2000 amended it:
 *  - eligible: aged 16 or 17, looked after, and looked after for at least 13 weeks in all
 *    since the age of 14, ending after the 16th birthday (Sch. 2 para 19B; reg. 40 of the Care
 *    Planning, Placement and Case Review (England) Regulations 2010, which leaves out a series
 *    of pre-planned short breaks: legal status V3 or V4);
 *  - relevant: aged 16 or 17, no longer looked after, and an eligible child before ceasing to
 *    be (s23A; reg. 3 of the Care Leavers (England) Regulations 2010);
 *  - former relevant: aged 18 or over, and a relevant child, or looked after at 18 having been
 *    an eligible child (s23C), supported to 21, and to 25 when they ask (s23CZB, inserted by the
 *    Children and Social Work Act 2017).
 * The looked-after history decides it where it can (`deriveStatus`); the practitioner records
 * the status, and says why when it differs from what the history gives (reg. 3's exceptions,
 * such as a child home with their family for six months, or care elsewhere before).
 */
import type { CodeList, CodeOf } from "./code-list.ts";
import { ageOn } from "./dates.ts";
import { addMonths } from "./working-days.ts";

export const careLeaverStatuses = [
  {
    code: "eligible",
    label: "Eligible child: looked after, aged 16 or 17, in care for 13 weeks since 14",
  },
  { code: "relevant", label: "Relevant child: aged 16 or 17, left care as an eligible child" },
  {
    code: "former_relevant",
    label: "Former relevant child: aged 18 or over, was an eligible or relevant child",
  },
] as const satisfies CodeList;
export type CareLeaverStatus = CodeOf<typeof careLeaverStatuses>;

/**
 * `IN_TOUCH` (OC3): whether the council was in touch around the birthday. Codes from the DfE's
 * schema (specs/ssda903/SSDA903_schema_2024.yml), meanings from its guidance for the return.
 */
export const inTouchCodes = [
  { code: "YES", label: "Yes, in touch" },
  { code: "NO", label: "No, not in touch" },
  { code: "REFU", label: "The young person refuses contact" },
  { code: "NREQ", label: "The young person no longer needs services" },
  {
    code: "RHOM",
    label: "Returned home to parents or others with parental responsibility for 6 months or more",
  },
  { code: "DIED", label: "The young person has died" },
] as const satisfies CodeList;
export type InTouchCode = CodeOf<typeof inTouchCodes>;

/** `ACTIV` (OC3): the young person's main activity around the birthday. */
export const activityCodes = [
  { code: "F1", label: "Full time in higher education" },
  { code: "P1", label: "Part time in higher education" },
  { code: "F2", label: "Full time in education other than higher education" },
  { code: "P2", label: "Part time in education other than higher education" },
  { code: "F4", label: "Full time in an apprenticeship" },
  { code: "P4", label: "Part time in an apprenticeship" },
  { code: "F5", label: "Full time in training or employment (not an apprenticeship)" },
  { code: "P5", label: "Part time in training or employment (not an apprenticeship)" },
  { code: "G4", label: "Not in education, training or employment: illness or disability" },
  { code: "G5", label: "Not in education, training or employment: other reasons" },
  { code: "G6", label: "Not in education, training or employment: pregnancy or parenting" },
] as const satisfies CodeList;
export type ActivityCode = CodeOf<typeof activityCodes>;

/** Kinds of accommodation (`ACCOM` without its suitability digit). */
const accommodationKinds = [
  ["B", "With parents or relatives"],
  ["C", "Community home or other form of residential care"],
  ["D", "Semi-independent, transitional accommodation"],
  ["E", "Supported lodgings"],
  ["G", "Gone abroad"],
  ["H", "Deported"],
  ["K", "Ordinary lodgings, without formal support"],
  ["R", "Residence not known"],
  ["S", "No fixed abode or homeless"],
  ["T", "Foyer or similar supported accommodation"],
  ["U", "Independent living"],
  ["V", "Emergency accommodation"],
  ["W", "Bed and breakfast"],
  ["X", "In custody"],
  ["Y", "Other accommodation"],
  ["Z", "With former foster carers"],
] as const;

type AccommodationKind = (typeof accommodationKinds)[number][0];
export type AccommodationCode = `${AccommodationKind}${"1" | "2"}`;

/** `ACCOM` (OC3): the accommodation and whether it is suitable (1) or not (2). */
export const accommodationCodes: CodeList<AccommodationCode> = accommodationKinds.flatMap(
  ([kind, label]) => [
    { code: `${kind}1` as AccommodationCode, label: `${label}: suitable` },
    { code: `${kind}2` as AccommodationCode, label: `${label}: not suitable` },
  ],
);

/** The answers for which activity and accommodation are asked and returned. */
export function asksActivity(inTouch: InTouchCode): boolean {
  return inTouch === "YES";
}

/**
 * What OC3 holds for activity and accommodation when they are not asked: "0" (not known) when
 * the council is not in touch, and blank after a death or a return home (DfE rule 344).
 */
export function notAskedValue(inTouch: InTouchCode): "0" | "" {
  return inTouch === "DIED" || inTouch === "RHOM" ? "" : "0";
}

/** The birthdays the return asks about: the 17th to the 21st (OC3; DfE rule 391). */
export const KEEP_IN_TOUCH_AGES = [17, 18, 19, 20, 21] as const;
export type KeepInTouchAge = (typeof KEEP_IN_TOUCH_AGES)[number];

/** A birthday, as yyyy-mm-dd (29 February falls on 1 March in other years). */
export function birthday(dob: string, age: number): string {
  const candidate = `${String(Number(dob.slice(0, 4)) + age).padStart(4, "0")}${dob.slice(4)}`;
  return candidate.endsWith("-02-29") && !isLeap(Number(candidate.slice(0, 4)))
    ? `${candidate.slice(0, 4)}-03-01`
    : candidate;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * When a keeping-in-touch contact counts for a birthday: from three months before it to one
 * month after, as the DfE's guidance for the care leavers' table allows, but never before the
 * 17th birthday itself: until then the young person is a looked-after or eligible child whose
 * plan is their care plan, and the return counts them only from 17.
 */
export function contactWindow(dob: string, age: KeepInTouchAge): { from: string; to: string } {
  const day = birthday(dob, age);
  const from = age === 17 ? day : addMonths(day, -3);
  return { from, to: addMonths(day, 1) };
}

/** The birthday a contact on this date is for, or undefined when it is around none. */
export function birthdayFor(dob: string, contactOn: string): KeepInTouchAge | undefined {
  return KEEP_IN_TOUCH_AGES.find((age) => {
    const { from, to } = contactWindow(dob, age);
    return contactOn >= from && contactOn <= to;
  });
}

/** An episode as the status rules need it. */
export interface CareEpisode {
  startDate: string;
  /** Null while looked after. */
  endDate: string | null;
  legalStatus: string;
  reasonCeased?: string | null;
}

/** A series of pre-planned short breaks does not count towards the 13 weeks (reg. 40(2)). */
const SHORT_BREAKS = ["V3", "V4"];
/** 13 weeks. */
export const THIRTEEN_WEEKS_DAYS = 91;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Days looked after between two dates (short breaks left out), counting each day once. */
export function daysLookedAfter(
  episodes: readonly CareEpisode[],
  from: string,
  to: string,
): number {
  const spans = episodes
    .filter((e) => !SHORT_BREAKS.includes(e.legalStatus))
    .map((e) => ({
      start: e.startDate > from ? e.startDate : from,
      end: e.endDate === null || e.endDate > to ? to : e.endDate,
    }))
    .filter((s) => s.start < s.end)
    .sort((a, b) => a.start.localeCompare(b.start));
  let days = 0;
  let reached = from;
  for (const span of spans) {
    const start = span.start > reached ? span.start : reached;
    if (span.end > start) {
      days += daysBetween(start, span.end);
      reached = span.end;
    }
  }
  return days;
}

export interface DerivedStatus {
  status: CareLeaverStatus | null;
  /** Why, in plain words, for the page. */
  reason: string;
}

/** Looked after on the date: as src/domain/looked-after-rules.ts counts the day care ceased. */
export function lookedAfterOn(episodes: readonly CareEpisode[], date: string): boolean {
  return episodes.some((e) => e.startDate <= date && (e.endDate === null || e.endDate >= date));
}

/**
 * The status the looked-after history gives on a date (see the file's comment). Only Trellis'
 * own episodes are known: care elsewhere, or the exceptions of reg. 3, are the recorder's.
 */
export function deriveStatus(
  dob: string,
  episodes: readonly CareEpisode[],
  on: string,
): DerivedStatus {
  if (on < dob) return { status: null, reason: "Not born on this date" };
  const age = ageOn(dob, on);
  if (age < 16) return { status: null, reason: "Under 16: not yet a care leaver" };
  if (age >= 25) return { status: null, reason: "25 or over: leaving care support has ended" };
  const fourteenth = birthday(dob, 14);
  const sixteenth = birthday(dob, 16);
  const eighteenth = birthday(dob, 18);
  const until = on < eighteenth ? on : eighteenth;
  const days = daysLookedAfter(episodes, fourteenth, until);
  const afterSixteen = episodes.some(
    (e) =>
      !SHORT_BREAKS.includes(e.legalStatus) &&
      e.startDate <= until &&
      (e.endDate === null || e.endDate > sixteenth),
  );
  const weeks = Math.floor(days / 7);
  const enough = days >= THIRTEEN_WEEKS_DAYS && afterSixteen;
  const history = `looked after for ${String(weeks)} weeks since their 14th birthday${
    afterSixteen ? ", some of it after their 16th" : ", none of it after their 16th"
  }`;
  if (!enough) {
    return { status: null, reason: `Not a care leaver on these records: ${history}` };
  }
  if (age < 18) {
    return lookedAfterOn(episodes, on)
      ? { status: "eligible", reason: `Looked after now and ${history}` }
      : { status: "relevant", reason: `Left care aged 16 or 17, ${history}` };
  }
  return {
    status: "former_relevant",
    reason:
      age < 21
        ? `Aged 18 to 20 and ${history}`
        : `Aged 21 to 24 and ${history}: supported when they ask (s23CZB)`,
  };
}

/** The pathway plan is reviewed at least every six months (reg. 7, Care Leavers Regs 2010). */
export const PATHWAY_REVIEW_MONTHS = 6;

/** When the next pathway plan review is due: six months after the plan or its last review. */
export function pathwayReviewDue(planOn: string, reviewsHeld: readonly string[]): string {
  const last = [planOn, ...reviewsHeld].sort().at(-1) ?? planOn;
  return addMonths(last, PATHWAY_REVIEW_MONTHS);
}

export interface ContactDue {
  age: KeepInTouchAge;
  /** Due on the birthday; still recordable until `to`. */
  birthday: string;
  from: string;
  to: string;
  overdue: boolean;
}

/** The keeping-in-touch contact due now: a birthday's window is open and none is recorded. */
export function contactDue(
  dob: string,
  today: string,
  recordedAges: readonly number[],
): ContactDue | undefined {
  for (const age of KEEP_IN_TOUCH_AGES) {
    const window = contactWindow(dob, age);
    if (today >= window.from && today <= window.to && !recordedAges.includes(age)) {
      const day = birthday(dob, age);
      return { age, birthday: day, ...window, overdue: today > day };
    }
  }
  return undefined;
}
