/**
 * Child protection rules (Working Together to Safeguard Children 2023, ch. 3): strategy
 * discussions, section 47 enquiries, initial and review child protection conferences, child
 * protection plans and core groups. Plain functions over the child's current state; each
 * returns the problems that stop a record being saved, in words that say why and what to do,
 * so the route can show them against the right field.
 */
import {
  categoriesOfAbuse,
  organisationKinds,
  type CategoryOfAbuseCode,
  type CodeList,
  type OrganisationKindCode,
} from "./code-lists.ts";
import { formatDate } from "./dates.ts";
import { coreGroupDue, cpReviewDue, icpcDue } from "./timescales.ts";

/**
 * Why a record cannot be saved. `about` names what the user can change: a form field ("heldOn",
 * "attendees", "outcome", "decision", "category", "endReason") or "record" when nothing on the
 * form can fix it (the child's state must change first).
 */
export interface RuleProblem {
  about: string;
  message: string;
}

/** Thrown where the state is impossible whatever the form said (a plan without its ICPC). */
export class ProtectionRuleError extends Error {
  constructor(
    readonly about: string,
    message: string,
  ) {
    super(message);
    this.name = "ProtectionRuleError";
  }
}

/** The three statutory safeguarding partners (Children Act 2004 s16E, as amended in 2017). */
export const statutoryPartners = [
  "la_childrens_services",
  "police",
  "health",
] as const satisfies readonly OrganisationKindCode[];

/** True when children's services, the police and health each took part. */
export function allStatutoryPartners(attendeeKinds: readonly string[]): boolean {
  return missingStatutoryPartners(attendeeKinds).length === 0;
}

/** The statutory partners who did not take part, in the list's order. */
export function missingStatutoryPartners(attendeeKinds: readonly string[]): OrganisationKindCode[] {
  return statutoryPartners.filter((kind) => !attendeeKinds.includes(kind));
}

export const strategyOutcomes = [
  { code: "s47", label: "Start a section 47 enquiry" },
  { code: "no_s47", label: "No section 47 enquiry" },
] as const satisfies CodeList;
export type StrategyOutcome = (typeof strategyOutcomes)[number]["code"];

export const s47Outcomes = [
  { code: "icpc", label: "Initial child protection conference needed" },
  { code: "no_icpc", label: "No initial child protection conference" },
] as const satisfies CodeList;
export type S47Outcome = (typeof s47Outcomes)[number]["code"];

export const icpcDecisions = [
  { code: "plan", label: "Child protection plan" },
  { code: "no_plan", label: "No child protection plan" },
] as const satisfies CodeList;
export type IcpcDecision = (typeof icpcDecisions)[number]["code"];

export const reviewDecisions = [
  { code: "continue", label: "The plan continues" },
  { code: "end", label: "The plan ends" },
] as const satisfies CodeList;
export type ReviewDecision = (typeof reviewDecisions)[number]["code"];

/**
 * Why a child protection plan ended. The CIN census records only the end date, so these are
 * Trellis's own reasons, kept as codes so that step-down and moves into care can be counted.
 */
export const cpPlanEndReasons = [
  {
    code: "step_down_cin",
    label: "No longer at risk of significant harm: stepped down to a child in need plan",
  },
  {
    code: "no_longer_at_risk",
    label: "No longer at risk of significant harm: no further statutory plan",
  },
  { code: "looked_after", label: "Became looked after" },
  { code: "moved_la", label: "Moved to another local authority" },
  { code: "reached_18", label: "Reached 18" },
  { code: "died", label: "Died" },
  { code: "other", label: "Other" },
] as const satisfies CodeList;
export type CpPlanEndReason = (typeof cpPlanEndReasons)[number]["code"];

/** The label for a stored code; a code no longer on the list shows as itself. */
export function codeLabel(list: CodeList, code: string): string {
  return list.find((entry) => entry.code === code)?.label ?? code;
}
export const agencyLabel = (kind: string): string => codeLabel(organisationKinds, kind);
export const categoryLabel = (code: string): string => codeLabel(categoriesOfAbuse, code);

interface Earliest {
  date: string | null;
  /** e.g. "the child's date of birth". */
  what: string;
}

/**
 * A date an event happened: not in the future, and not before any of `earliest` (skipped
 * where unknown). `event` names it in a sentence, e.g. "The strategy discussion".
 */
function dateProblems(
  about: string,
  event: string,
  date: string,
  today: string,
  earliest: readonly Earliest[],
): RuleProblem[] {
  if (date > today) {
    return [{ about, message: `${event} cannot be in the future. Enter the date it took place` }];
  }
  for (const { date: limit, what } of earliest) {
    if (limit !== null && date < limit) {
      return [{ about, message: `${event} cannot be before ${what} (${formatDate(limit)})` }];
    }
  }
  return [];
}

/** A section 47 enquiry still needing work: no outcome yet, or an ICPC needed but not held. */
export function s47InProgress(s47: { outcome: S47Outcome | null; hasIcpc: boolean }): boolean {
  return s47.outcome === null || (s47.outcome === "icpc" && !s47.hasIcpc);
}

export interface StrategyDiscussionFacts {
  /** Null when the date was missing or not a real date: the other checks still run. */
  heldOn: string | null;
  today: string;
  dateOfBirth: string | null;
  openReferral: { referralDate: string } | null;
  /** Attendee rows filled in (a row with a mistake still counts: it has its own error). */
  attendeeCount: number;
  outcome: StrategyOutcome | null;
  /** The start of a section 47 enquiry still in progress for the child, if any. */
  s47InProgressSince: string | null;
}

export function strategyDiscussionProblems(facts: StrategyDiscussionFacts): RuleProblem[] {
  if (!facts.openReferral) {
    return [
      {
        about: "record",
        message:
          "A strategy discussion needs an open episode of need. Record the contact and the decision to hold a strategy discussion first",
      },
    ];
  }
  const problems: RuleProblem[] = [];
  if (facts.heldOn) {
    problems.push(
      ...dateProblems("heldOn", "The strategy discussion", facts.heldOn, facts.today, [
        { date: facts.dateOfBirth, what: "the child's date of birth" },
        { date: facts.openReferral.referralDate, what: "the referral date" },
      ]),
    );
  }
  if (facts.attendeeCount === 0) {
    problems.push({
      about: "attendees",
      message: "Add at least one attendee, with their agency and name",
    });
  }
  if (facts.outcome === "s47" && facts.s47InProgressSince) {
    problems.push({
      about: "outcome",
      message: `A section 47 enquiry is already in progress (started ${formatDate(facts.s47InProgressSince)}). Record its outcome, and its initial conference if one is needed, before starting another`,
    });
  }
  return problems;
}

/** A strategy discussion that decides on an enquiry starts it the same day. */
export function s47FromStrategyDiscussion(heldOn: string): {
  startedOn: string;
  icpcDueOn: string;
} {
  return { startedOn: heldOn, icpcDueOn: icpcDue(heldOn) };
}

export function s47CompletionProblems(facts: {
  startedOn: string;
  /** Null when the date was missing or not a real date. */
  completedOn: string | null;
  today: string;
  alreadyCompleted: boolean;
}): RuleProblem[] {
  if (facts.alreadyCompleted) {
    return [
      { about: "record", message: "The outcome of this section 47 enquiry is already recorded" },
    ];
  }
  if (!facts.completedOn) return [];
  return dateProblems("completedOn", "The enquiry's completion", facts.completedOn, facts.today, [
    { date: facts.startedOn, what: "the day it started" },
  ]);
}

export interface IcpcFacts {
  s47: { startedOn: string; outcome: S47Outcome | null; hasIcpc: boolean };
  heldOn: string | null;
  today: string;
  decision: IcpcDecision | null;
  /** The start date of the child's open child protection plan, if any. */
  openPlanSince: string | null;
}

export function icpcProblems(facts: IcpcFacts): RuleProblem[] {
  const { s47 } = facts;
  if (s47.outcome !== "icpc") {
    return [
      {
        about: "record",
        message:
          s47.outcome === null
            ? "An initial child protection conference follows a section 47 enquiry that found one is needed. Record the enquiry's outcome first"
            : "This section 47 enquiry found that no initial child protection conference was needed. If that has changed, hold a new strategy discussion",
      },
    ];
  }
  if (s47.hasIcpc) {
    return [
      {
        about: "record",
        message:
          "The initial child protection conference for this section 47 enquiry is already recorded",
      },
    ];
  }
  const problems: RuleProblem[] = facts.heldOn
    ? dateProblems("heldOn", "The conference", facts.heldOn, facts.today, [
        { date: s47.startedOn, what: "the section 47 enquiry started" },
      ])
    : [];
  if (facts.decision === "plan" && facts.openPlanSince) {
    problems.push({
      about: "decision",
      message: `The child already has an open child protection plan (started ${formatDate(facts.openPlanSince)}). A child has one plan at a time: record a review conference on it instead`,
    });
  }
  return problems;
}

export interface CpPlanStart {
  startDate: string;
  initialCategory: CategoryOfAbuseCode;
  latestCategory: CategoryOfAbuseCode;
  nextReviewDue: string;
}

/**
 * The plan an initial conference starts. Refuses anything else: a plan exists only because an
 * ICPC decided the child needs one.
 */
export function startCpPlan(conference: {
  kind: "initial" | "review";
  decision: string;
  heldOn: string;
  category: CategoryOfAbuseCode | null;
}): CpPlanStart {
  if (conference.kind !== "initial" || conference.decision !== "plan") {
    throw new ProtectionRuleError(
      "record",
      "A child protection plan can only start at an initial child protection conference that decided the child needs one. Record the section 47 enquiry's outcome and the initial conference first",
    );
  }
  if (!conference.category) {
    throw new ProtectionRuleError("category", "Select the category of abuse the plan is under");
  }
  return {
    startDate: conference.heldOn,
    initialCategory: conference.category,
    latestCategory: conference.category,
    nextReviewDue: cpReviewDue(conference.heldOn, true),
  };
}

/** The first core group meets within 10 working days of the ICPC that started the plan. */
export function firstCoreGroupDue(planStartDate: string): string {
  return coreGroupDue(planStartDate);
}

export interface PlanState {
  startDate: string;
  endDate: string | null;
  /** The latest review conference on the plan, if any. */
  lastReviewOn: string | null;
}

export function reviewProblems(facts: {
  plan: PlanState;
  heldOn: string | null;
  today: string;
}): RuleProblem[] {
  const { plan } = facts;
  if (plan.endDate) {
    return [
      {
        about: "record",
        message: `This child protection plan ended on ${formatDate(plan.endDate)}. A review conference is for an open plan`,
      },
    ];
  }
  if (!facts.heldOn) return [];
  return dateProblems("heldOn", "The review conference", facts.heldOn, facts.today, [
    { date: plan.startDate, what: "the plan started" },
    { date: plan.lastReviewOn, what: "the previous review conference" },
  ]);
}

export interface PlanAfterReview {
  latestCategory: CategoryOfAbuseCode;
  nextReviewDue: string | null;
  endDate: string | null;
  endReason: CpPlanEndReason | null;
}

/**
 * What a review conference does to the plan: it continues (the category may change; the next
 * review is due within 6 months) or it ends on the day of the conference, with a reason.
 */
export function applyReview(
  plan: { latestCategory: CategoryOfAbuseCode },
  review: {
    heldOn: string;
    decision: ReviewDecision;
    category: CategoryOfAbuseCode | null;
    endReason: CpPlanEndReason | null;
  },
): PlanAfterReview {
  if (review.decision === "continue") {
    return {
      latestCategory: review.category ?? plan.latestCategory,
      nextReviewDue: cpReviewDue(review.heldOn, false),
      endDate: null,
      endReason: null,
    };
  }
  if (!review.endReason) {
    throw new ProtectionRuleError("endReason", "Select why the plan is ending");
  }
  return {
    latestCategory: plan.latestCategory,
    nextReviewDue: null,
    endDate: review.heldOn,
    endReason: review.endReason,
  };
}

export function coreGroupProblems(facts: {
  plan: { startDate: string; endDate: string | null };
  heldOn: string;
  today: string;
}): RuleProblem[] {
  const { plan, heldOn } = facts;
  if (plan.endDate && heldOn > plan.endDate) {
    return [
      {
        about: "heldOn",
        message: `The core group meeting cannot be after the plan ended (${formatDate(plan.endDate)})`,
      },
    ];
  }
  return dateProblems("heldOn", "The core group meeting", heldOn, facts.today, [
    { date: plan.startDate, what: "the plan started" },
  ]);
}

/** How many earlier child protection plans the child has had: ended ones that started before. */
export function previousPlanCount(
  plans: readonly { startDate: string; endDate: string | null }[],
  plan: { startDate: string },
): number {
  return plans.filter((p) => p.endDate !== null && p.startDate < plan.startDate).length;
}
