/**
 * Every rate the journey generator draws from, named, with where it comes from. "CIN 2023-24"
 * is the DfE's "Characteristics of children in need: 2023 to 2024" (reporting year 2024);
 * "CLA 2023-24" is "Children looked after in England including adoptions: 2023 to 2024".
 * Figures from them are rounded; a rate marked ASSUMPTION is not a published figure, and says
 * why it was chosen. Weights are relative (they need not add up to 100).
 */

export * from "./journeys-rates-care.ts";

type Weights<T> = readonly (readonly [T, number])[];

// ---------------------------------------------------------------------------------------------
// How much history: the window, and how often a known family comes to the front door.
// ---------------------------------------------------------------------------------------------

/** The issue: a large LA holds 10 years of history. Small uses the same window. */
export const HISTORY_YEARS = 10;

/**
 * ASSUMPTION: contacts a year for a family known to children's services, heavy-tailed: most
 * families come to notice once or twice in ten years, a few again and again. Tuned with
 * QUICK_RETURN_RATE so that the generated referrals per referred child (about 1.6) and the
 * re-referral rate both look like England's.
 */
export const FAMILY_CONTACTS_PER_YEAR: Weights<number> = [
  [0.08, 35],
  [0.18, 35],
  [0.4, 22],
  [0.9, 8],
];

/**
 * ASSUMPTION, calibrated: after an episode closes, the chance that the family comes back to
 * the front door before 12 months have passed since that episode's referral. With
 * RETURN_DECISIONS this gives about RE_REFERRAL_TARGET of referrals as re-referrals.
 */
export const QUICK_RETURN_RATE = 0.5;

/** CIN 2023-24: 22% of referrals were within 12 months of a previous referral of the child. */
export const RE_REFERRAL_TARGET = 0.22;

/** ASSUMPTION: a contact about a sibling group names every child at home, not just one. */
export const CONTACT_NAMES_ALL_CHILDREN = 0.7;

// ---------------------------------------------------------------------------------------------
// The front door (contacts). The DfE publishes no national contact figures.
// ---------------------------------------------------------------------------------------------

export type ContactDecision =
  "no_further_action" | "early_help" | "assessment" | "strategy_discussion";

/**
 * ASSUMPTION: decisions on contacts; about 45% become referrals, in line with the 40-50%
 * conversion LAs commonly report. The strategy-discussion share is set with
 * ASSESSMENT_OUTCOMES and SD_LEADS_TO_S47 so that about 1 in 3 referrals has an S47 enquiry.
 */
export const CONTACT_DECISIONS: Weights<ContactDecision> = [
  ["no_further_action", 35],
  ["early_help", 20],
  ["assessment", 33],
  ["strategy_discussion", 12],
];

/**
 * ASSUMPTION: decisions on a contact about a family whose episode closed in the last year:
 * the front door knows the history, so more of these become referrals.
 */
export const RETURN_DECISIONS: Weights<ContactDecision> = [
  ["no_further_action", 25],
  ["early_help", 10],
  ["assessment", 50],
  ["strategy_discussion", 15],
];

/** ASSUMPTION: a step-up from early help is referred for assessment, some to a strategy discussion. */
export const STEP_UP_DECISIONS: Weights<ContactDecision> = [
  ["assessment", 85],
  ["strategy_discussion", 15],
];

/**
 * ASSUMPTION: the large LA's historic families are there because they had a case: their first
 * contact in the window became a referral.
 */
export const HISTORIC_FIRST_DECISIONS: Weights<ContactDecision> = [
  ["assessment", 75],
  ["strategy_discussion", 25],
];

/** ASSUMPTION: decisions made within 1 working day (Working Together 2023); the rest late. */
export const CONTACT_DECIDED_ON_TIME = 0.9;

/**
 * CIN 2023-24, referrals by source, rounded: police 29%, schools 21%, health services 15%,
 * LA services 12%, individuals 8%, other 6%, other legal agency 3%, anonymous 2%, housing 2%,
 * education services 1%, unknown 1%. The split inside each group is an ASSUMPTION.
 */
export const REFERRAL_SOURCES: Weights<string> = [
  ["6", 29],
  ["2A", 21],
  ["3A", 2],
  ["3B", 3],
  ["3C", 1],
  ["3D", 2],
  ["3E", 4],
  ["3F", 3],
  ["5A", 2],
  ["5B", 3],
  ["5C", 2],
  ["5D", 5],
  ["1A", 4],
  ["1B", 1],
  ["1C", 1],
  ["1D", 2],
  ["8", 6],
  ["7", 3],
  ["9", 2],
  ["4", 2],
  ["2B", 1],
  ["10", 1],
];

/** ASSUMPTION: concerns about exploitation come mostly from police, schools and youth justice. */
export const EXPLOITATION_SOURCES: Weights<string> = [
  ["6", 50],
  ["2A", 20],
  ["5B", 15],
  ["3E", 5],
  ["1A", 10],
];

// ---------------------------------------------------------------------------------------------
// Assessment
// ---------------------------------------------------------------------------------------------

export type AssessmentOutcome =
  "no_further_action" | "early_help" | "cin_plan" | "strategy_discussion" | "looked_after";

/**
 * Outcome of a child and family assessment that did not start with a strategy discussion.
 * About 30% of all assessments end in no further action (CIN 2023-24: close to a third of
 * episodes closed after assessment with no further action); the weight is a little higher
 * because assessments alongside S47 enquiries and open cases rarely do. The rest are an
 * ASSUMPTION.
 */
export const ASSESSMENT_OUTCOMES: Weights<AssessmentOutcome> = [
  ["no_further_action", 34],
  ["early_help", 12],
  ["cin_plan", 37],
  ["strategy_discussion", 15],
  ["looked_after", 2],
];

/** CIN 2023-24: about 83% of assessments were completed within 45 working days. */
export const ASSESSMENT_ON_TIME = 0.83;

/** ASSUMPTION: a team manager authorises within this many working days of submission. */
export const AUTHORISE_WITHIN_WORKING_DAYS = 4;

/** ASSUMPTION: an open assessment past day 45 that is still not submitted today. */
export const OPEN_ASSESSMENT_OVERDUE = 0.2;

/**
 * Primary need of a child assessed as in need. CIN 2023-24: abuse or neglect (N1) is the
 * primary need of about 57% of children in need (the weight is a little higher because
 * exploitation cases are mostly N6); the order of the rest follows the census (family
 * dysfunction, disability, acute stress, absent parenting...), the shares an ASSUMPTION.
 */
export const PRIMARY_NEEDS_IN_NEED: Weights<string> = [
  ["N1", 60],
  ["N5", 14],
  ["N2", 11],
  ["N4", 7],
  ["N8", 4],
  ["N3", 3],
  ["N6", 2.5],
  ["N7", 0.5],
  ["N0", 1],
];

/** ASSUMPTION: closed after assessment, the child was found not to be in need (N9). */
export const PRIMARY_NEEDS_NOT_IN_NEED: Weights<string> = [
  ["N9", 80],
  ["N0", 10],
  ["N4", 5],
  ["N5", 5],
];

/**
 * ASSUMPTION, in the order CIN 2023-24 reports the most common factors at the end of an
 * assessment: parental mental health, domestic abuse (parent, then child, as subject),
 * emotional abuse, neglect, parental drug and alcohol misuse, the child's mental health.
 */
export const ASSESSMENT_FACTORS: Weights<string> = [
  ["4B", 30],
  ["3B", 29],
  ["3A", 26],
  ["17A", 20],
  ["16A", 18],
  ["2B", 16],
  ["1B", 14],
  ["4A", 14],
  ["14A", 6],
  ["15A", 5],
  ["18C", 5],
  ["5A", 4],
  ["6B", 3],
  ["19C", 2],
  ["7A", 2],
];

/** ASSUMPTION: factors seen in exploitation cases (CIN codes 10A, 11A, 13A, 24A...). */
export const EXPLOITATION_FACTORS: Weights<string> = [
  ["24A", 30],
  ["10A", 25],
  ["11A", 15],
  ["13A", 12],
  ["2A", 10],
  ["14A", 8],
];

// ---------------------------------------------------------------------------------------------
// Child protection
// ---------------------------------------------------------------------------------------------

/** ASSUMPTION: strategy discussions leading to an S47 enquiry; sized so ~1 in 3 referrals has one. */
export const SD_LEADS_TO_S47 = 0.8;

/** ASSUMPTION: the police, health and the LA (all 3 statutory partners) all took part. */
export const SD_ALL_THREE_PARTNERS = 0.8;

/** ASSUMPTION: of strategy discussions without all three, the one missing is health. */
export const SD_MISSING_HEALTH = 0.7;

/** CIN 2023-24: ICPCs were about 2 in 5 of S47 enquiries (about 78,000 to 200,000). */
export const S47_TO_ICPC = 0.38;

/** CIN 2023-24: about 78% of ICPCs were held within 15 working days of the strategy discussion. */
export const ICPC_ON_TIME = 0.78;

/** ASSUMPTION: ICPCs deciding a plan, from plans started against ICPCs held (~0.8-0.9). */
export const ICPC_DECIDES_PLAN = 0.85;

/**
 * Initial category of a CP plan. CIN 2023-24: neglect about 50% and emotional abuse about 37%
 * of plans. The remaining 13% is an ASSUMPTION, in the order the lead gave for this LA
 * (multiple, physical, sexual); nationally physical is about 6% and sexual about 3-4%.
 */
export const CP_CATEGORIES: Weights<string> = [
  ["NEG", 50],
  ["EMO", 37],
  ["MUL", 5],
  ["PHY", 5],
  ["SAB", 3],
];

/** ASSUMPTION: a review conference changes the plan's category. */
export const CATEGORY_CHANGES_AT_REVIEW = 0.05;

/**
 * ASSUMPTION, shaped like CIN 2023-24 durations of plans ended (most end within a year; about
 * 4% last two years or more): the review conference at which the plan ends (1 = 3 months).
 */
export const CP_PLAN_ENDS_AT_REVIEW: Weights<number> = [
  [1, 14],
  [2, 42],
  [3, 30],
  [4, 10],
  [5, 4],
];

/** ASSUMPTION: review conferences held on or before their due date. */
export const CP_REVIEW_ON_TIME = 0.92;

/** ASSUMPTION: an open plan whose review is overdue today. */
export const CP_REVIEW_OVERDUE_NOW = 0.05;

/** ASSUMPTION: core groups meet every 4 to 6 weeks after the first (10 working days). */
export const CORE_GROUP_EVERY_WORKING_DAYS: readonly [number, number] = [20, 30];

/** ASSUMPTION: CP plans that end because the child becomes looked after. */
export const CP_PLAN_TO_CARE = 0.12;

/** ASSUMPTION: an ended CP plan steps down to a CIN plan (otherwise the episode closes). */
export const CP_PLAN_STEPS_DOWN_TO_CIN = 0.65;

/** ASSUMPTION: a CIN plan escalates to a strategy discussion during the episode. */
export const CIN_PLAN_ESCALATES = 0.06;

/** ASSUMPTION: how long a CIN plan lasts, in months. */
export const CIN_PLAN_MONTHS: readonly [number, number] = [3, 12];
