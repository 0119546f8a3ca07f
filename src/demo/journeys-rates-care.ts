/**
 * The journey generator's rates for early help, care, missing episodes, visits, case notes,
 * allocations and today's open caseload; the rest, and how sources are named, are in
 * journeys-rates.ts (which re-exports these).
 */
import { DEFAULT_VISIT_WORKING_DAYS } from "../domain/visits.ts";

type Weights<T> = readonly (readonly [T, number])[];

// ---------------------------------------------------------------------------------------------
// Early help
// ---------------------------------------------------------------------------------------------

/** ASSUMPTION: early help lasts 3 to 9 months. */
export const EARLY_HELP_MONTHS: readonly [number, number] = [3, 9];

export type EarlyHelpEnd = "needs_met" | "stepped_up" | "disengaged" | "moved_away" | "other";

/** ASSUMPTION: how early help ends. */
export const EARLY_HELP_ENDINGS: Weights<EarlyHelpEnd> = [
  ["needs_met", 60],
  ["stepped_up", 12],
  ["disengaged", 15],
  ["moved_away", 5],
  ["other", 8],
];

// ---------------------------------------------------------------------------------------------
// Looked after (SSDA903 codes)
// ---------------------------------------------------------------------------------------------

/**
 * ASSUMPTION: legal status on becoming looked after. Section 20 (V2) is the most common route
 * into care (CLA 2023-24); L1 (police protection) lasts at most 72 hours and is followed by
 * V2 or C1; J1..J3 (remand) only for young people aged 10 and over.
 */
export const LEGAL_STATUS_AT_START: Weights<string> = [
  ["V2", 45],
  ["C1", 37],
  ["L1", 8],
  ["C2", 5],
  ["J1", 2],
  ["J2", 2],
  ["J3", 1],
];

/**
 * Placements, by age. CLA 2023-24: about 68% of children looked after live in foster
 * placements; the split below is an ASSUMPTION (younger children mostly fostered; older ones
 * also in children's homes and, from 16, independent living). U1-U3 with relatives or friends,
 * U4-U6 with other foster carers; P1 (with parents) only on a care order. The generated share
 * fostered comes out nearer 75-80%: siblings are placed together, so the youngest's age
 * decides, and the demo's children in care are younger than England's.
 */
export const PLACEMENTS_UNDER_10: Weights<string> = [
  ["U6", 40],
  ["U4", 12],
  ["U3", 16],
  ["U1", 4],
  ["U5", 3],
  ["U2", 3],
  ["P1", 16],
];
export const PLACEMENTS_10_AND_OVER: Weights<string> = [
  ["U6", 26],
  ["U4", 10],
  ["U3", 8],
  ["U1", 3],
  ["K2", 34],
  ["R1", 5],
  ["P1", 6],
  ["P2", 14],
];

/** ASSUMPTION: placement moves a year while looked after (a few children move often). */
export const PLACEMENT_MOVES_PER_YEAR = 0.45;

/** ASSUMPTION: a child under 5 on a care order is placed for adoption (E1, then A5/A6). */
export const ADOPTION_PLAN_UNDER_5 = 0.35;

/**
 * ASSUMPTION: how long a period of care lasts, in months. CLA 2023-24 reports most
 * periods ended within two years and many within a few months.
 */
export const CARE_MONTHS: Weights<readonly [number, number]> = [
  [[1, 3], 20],
  [[3, 12], 27],
  [[12, 36], 30],
  [[36, 96], 23],
];

/**
 * ASSUMPTION shaped like CLA 2023-24 reasons ceased (returned home about a quarter, special
 * guardianship about 12%, adoption about 9%, the rest mostly at 18): for children under 16.
 */
export const CEASED_UNDER_16: Weights<string> = [
  ["E4A", 45],
  ["E45", 7],
  ["E46", 9],
  ["E41", 7],
  ["E13", 10],
  ["E3", 3],
  ["E8", 9],
  ["E4B", 5],
];

/** ASSUMPTION: young people of 16 or 17 leaving care before 18. */
export const CEASED_16_17: Weights<string> = [
  ["E4A", 25],
  ["E13", 20],
  ["E5", 20],
  ["E6", 10],
  ["E9", 5],
  ["E8", 20],
];

/** ASSUMPTION: leaving care at 18 (E17 staying put, E5/E6 independent living). */
export const CEASED_AT_18: Weights<string> = [
  ["E17", 25],
  ["E5", 45],
  ["E6", 20],
  ["E7", 3],
  ["E8", 7],
];

/** ASSUMPTION: a child returned home keeps a CIN plan for a while before the case closes. */
export const HOME_FROM_CARE_CIN_PLAN = 0.7;

/** Care Planning Regulations 2010: reviews on time. ASSUMPTION: 90% held by their due date. */
export const CLA_REVIEW_ON_TIME = 0.9;

/**
 * SSDA903 REVIEW_CODE for children aged 4 and over (PN0 is for children under 4).
 * ASSUMPTION: most children speak for themselves or through an advocate or a facilitator.
 */
export const REVIEW_PARTICIPATION: Weights<string> = [
  ["PN1", 40],
  ["PN2", 6],
  ["PN3", 8],
  ["PN4", 15],
  ["PN5", 16],
  ["PN6", 10],
  ["PN7", 5],
];

// ---------------------------------------------------------------------------------------------
// Missing episodes
// ---------------------------------------------------------------------------------------------

/** ASSUMPTION: missing episodes a year for a looked-after young person aged 11 or over. */
export const MISSING_PER_YEAR_IN_CARE = 0.8;

/** ASSUMPTION: missing episodes a year for a young person at risk of exploitation. */
export const MISSING_PER_YEAR_EXPLOITATION = 3;

/** ASSUMPTION: an episode from a placement is recorded as away without authorisation (A). */
export const AWAY_RATHER_THAN_MISSING = 0.25;

/** ASSUMPTION: return home interviews offered within 72 hours (the statutory guidance). */
export const RETURN_INTERVIEW_ON_TIME = 0.85;

/** ASSUMPTION: the young person accepts the interview. */
export const RETURN_INTERVIEW_ACCEPTED = 0.6;

// ---------------------------------------------------------------------------------------------
// Visits, case notes, allocation
// ---------------------------------------------------------------------------------------------

/**
 * Visit frequencies in working days: the LA defaults of src/domain/visits.ts (cp 10, cin 20);
 * looked-after children about six-weekly (30 working days), the first-year interval of reg. 28.
 */
export const VISIT_EVERY_WORKING_DAYS = {
  cp: DEFAULT_VISIT_WORKING_DAYS.cp ?? 10,
  cin: DEFAULT_VISIT_WORKING_DAYS.cin ?? 20,
  cla: 30,
} as const;

/** ASSUMPTION: visits made by their due date; the rest a few working days late. */
export const VISIT_ON_TIME = 0.85;

/** ASSUMPTION: an open plan whose next visit is overdue today. */
export const VISIT_OVERDUE_NOW = 0.15;

/** ASSUMPTION: the child was seen; seen alone (children aged 4 and over). */
export const CHILD_SEEN = 0.95;
export const SEEN_ALONE = 0.75;

/** ASSUMPTION: case notes a month while an episode is open (beyond visits and meetings). */
export const CASE_NOTES_PER_MONTH = 1;

export type NoteAuthor =
  | "social_worker"
  | "adult_specialist"
  | "police"
  | "health"
  | "school"
  | "housing"
  | "womensAid"
  | "youthJustice";

/** ASSUMPTION: who writes case notes (several agencies add to the record). */
export const NOTE_AUTHORS: Weights<NoteAuthor> = [
  ["social_worker", 58],
  ["adult_specialist", 8],
  ["school", 11],
  ["health", 10],
  ["police", 7],
  ["housing", 2],
  ["womensAid", 2],
  ["youthJustice", 2],
];

/** ASSUMPTION: an allocation lasts about a year on average before the worker changes. */
export const MEAN_DAYS_BETWEEN_WORKER_CHANGES = 365;

/**
 * ASSUMPTION: SSDA903 SW_REASON for a change of social worker. SWDIED is never generated.
 * An allocation that ends because the case closed is not a change of worker: no reason.
 */
export const WORKER_CHANGE_REASONS: Weights<string> = [
  ["LEFTRL", 30],
  ["TSPROC", 22],
  ["MANAGE", 14],
  ["ORGRST", 10],
  ["ABSENC", 8],
  ["FCONTA", 6],
  ["CHCHAN", 4],
  ["PCCHAN", 3],
  ["OTHERS", 3],
];

// ---------------------------------------------------------------------------------------------
// The open caseload today
// ---------------------------------------------------------------------------------------------

export type CurrentStatus = "assessment" | "s47" | "cin" | "cp" | "cla";

/**
 * ASSUMPTION: what an allocated family is open for today, once past the assessment stage.
 * England at 31 March 2024: roughly 400,000 children in need, of whom about 50,000 on CP
 * plans and 83,600 looked after (CIN and CLA 2023-24).
 */
export const CURRENT_STATUS: Weights<CurrentStatus> = [
  ["cin", 55],
  ["cp", 25],
  ["cla", 20],
];

/**
 * ASSUMPTION, calibrated: an open case that is a re-referral, its previous episode having
 * closed within the year; with QUICK_RETURN_RATE this keeps the rate for the latest 12 months
 * near RE_REFERRAL_TARGET too.
 */
export const CURRENT_RE_REFERRAL = 0.3;

/** ASSUMPTION: an open case's episode began before its current worker took it on. */
export const CURRENT_EPISODE_REALLOCATED = 0.35;

/** ASSUMPTION: a few contacts are waiting for a decision today, per 1,000 families. */
export const UNDECIDED_CONTACTS_PER_1000_FAMILIES = 2;
