/**
 * The rules of the statutory journey that do not depend on how it is stored: each takes the
 * facts it needs and returns the problems, as messages that say why and what to do. An empty
 * list means the step may be taken. Services check these inside the transaction, after locking
 * the child, so two people cannot both take a step that only one may.
 */
import { formatDate } from "./dates.ts";
import { addMonths } from "./working-days.ts";

export interface RuleProblem {
  /** The form field the problem is about (its error message is shown there). */
  field: string;
  message: string;
}

/** The facts about a child that the journey rules need. */
export interface ChildState {
  name: string;
  dateOfBirth: string | null;
  openReferral: { id: string; referralDate: string } | null;
  openAssessment: boolean;
  openS47: boolean;
  openCpPlan: boolean;
  openCinPlan: { id: string; startDate: string } | null;
  openClaEpisode: boolean;
  openEarlyHelp: boolean;
}

/** A date must be on or after the child's birth (a contact may concern an unborn child). */
export function notBeforeBirth(
  child: Pick<ChildState, "name" | "dateOfBirth">,
  date: string,
  field: string,
  what: string,
): RuleProblem[] {
  if (child.dateOfBirth && date < child.dateOfBirth) {
    return [
      {
        field,
        message: `The ${what} cannot be before ${child.name}'s date of birth (${formatDate(child.dateOfBirth)})`,
      },
    ];
  }
  return [];
}

export function notInFuture(
  date: string,
  today: string,
  field: string,
  what: string,
): RuleProblem[] {
  return date > today ? [{ field, message: `The ${what} must be today or in the past` }] : [];
}

/** A contact's decision comes on or after the day it was received. */
export function decisionRules(receivedOn: string, decidedOn: string, today: string): RuleProblem[] {
  const problems = notInFuture(decidedOn, today, "decidedOn-day", "decision date");
  if (decidedOn < receivedOn) {
    problems.push({
      field: "decidedOn-day",
      message: `The decision date cannot be before the contact was received (${formatDate(receivedOn)})`,
    });
  }
  return problems;
}

/** Starting a child and family assessment on the child's open episode. */
export function startAssessmentRules(
  child: ChildState,
  startedOn: string,
  today: string,
): RuleProblem[] {
  if (!child.openReferral) {
    return [
      {
        field: "startedOn-day",
        message: `${child.name} has no open referral. Record a contact and its decision first.`,
      },
    ];
  }
  if (child.openAssessment) {
    return [
      {
        field: "startedOn-day",
        message: `${child.name} already has an assessment in progress. Complete it before starting another.`,
      },
    ];
  }
  const problems = [
    ...notInFuture(startedOn, today, "startedOn-day", "start date"),
    ...notBeforeBirth(child, startedOn, "startedOn-day", "start date"),
  ];
  if (startedOn < child.openReferral.referralDate) {
    problems.push({
      field: "startedOn-day",
      message: `The assessment cannot start before the referral (${formatDate(child.openReferral.referralDate)})`,
    });
  }
  return problems;
}

/** CIN census factor 21 means "no factors identified", so it stands alone. */
export function factorRules(factors: readonly string[]): RuleProblem[] {
  if (factors.includes("21") && factors.length > 1) {
    return [
      {
        field: "factors",
        message: "“No factors identified” (21) cannot be selected with other factors",
      },
    ];
  }
  if (factors.length === 0) {
    return [
      {
        field: "factors",
        message: "Select the factors identified, or “No factors identified” (21)",
      },
    ];
  }
  return [];
}

export function submitAssessmentRules(
  startedOn: string,
  submittedOn: string,
  factors: readonly string[],
  today: string,
): RuleProblem[] {
  const problems = [
    ...notInFuture(submittedOn, today, "submittedOn-day", "completion date"),
    ...factorRules(factors),
  ];
  if (submittedOn < startedOn) {
    problems.push({
      field: "submittedOn-day",
      message: `The assessment cannot be completed before it started (${formatDate(startedOn)})`,
    });
  }
  return problems;
}

export function authoriseAssessmentRules(
  assessment: { startedOn: string; submittedOn: string | null; authorisedOn: string | null },
  authorisedOn: string,
  today: string,
): RuleProblem[] {
  if (assessment.authorisedOn) {
    return [{ field: "authorisedOn-day", message: "This assessment is already authorised" }];
  }
  if (!assessment.submittedOn) {
    return [
      {
        field: "authorisedOn-day",
        message: "The assessment has not been completed yet: the social worker completes it first",
      },
    ];
  }
  const problems = notInFuture(authorisedOn, today, "authorisedOn-day", "authorisation date");
  if (authorisedOn < assessment.startedOn) {
    problems.push({
      field: "authorisedOn-day",
      message: `An assessment cannot be authorised before it started (${formatDate(assessment.startedOn)})`,
    });
  } else if (authorisedOn < assessment.submittedOn) {
    problems.push({
      field: "authorisedOn-day",
      message: `An assessment cannot be authorised before it was completed (${formatDate(assessment.submittedOn)})`,
    });
  }
  return problems;
}

export function startCinPlanRules(
  child: ChildState,
  startDate: string,
  today: string,
): RuleProblem[] {
  if (!child.openReferral) {
    return [
      {
        field: "startDate-day",
        message: `${child.name} has no open referral, so a child in need plan cannot start. Record a contact and its decision first.`,
      },
    ];
  }
  if (child.openCinPlan) {
    return [{ field: "startDate-day", message: `${child.name} already has a child in need plan` }];
  }
  const problems = [
    ...notInFuture(startDate, today, "startDate-day", "start date"),
    ...notBeforeBirth(child, startDate, "startDate-day", "start date"),
  ];
  if (startDate < child.openReferral.referralDate) {
    problems.push({
      field: "startDate-day",
      message: `The plan cannot start before the referral (${formatDate(child.openReferral.referralDate)})`,
    });
  }
  return problems;
}

export function endRules(
  startDate: string,
  endDate: string,
  today: string,
  what: string,
): RuleProblem[] {
  const problems = notInFuture(endDate, today, "endDate-day", "end date");
  if (endDate < startDate) {
    problems.push({
      field: "endDate-day",
      message: `The ${what} cannot end before it started (${formatDate(startDate)})`,
    });
  }
  return problems;
}

export function startEarlyHelpRules(
  child: ChildState,
  startDate: string,
  today: string,
): RuleProblem[] {
  if (child.openEarlyHelp) {
    return [{ field: "startDate-day", message: `${child.name} already has early help` }];
  }
  if (child.openReferral) {
    return [
      {
        field: "startDate-day",
        message: `${child.name} has an open referral to children's social care. Step down by closing the case with a referral to early help.`,
      },
    ];
  }
  return [
    ...notInFuture(startDate, today, "startDate-day", "start date"),
    ...notBeforeBirth(child, startDate, "startDate-day", "start date"),
  ];
}

/**
 * Closing the child's episode. A case with an open protection plan, looked-after episode,
 * section 47 enquiry or unfinished assessment cannot close: each has its own ending first.
 */
export function closeCaseRules(child: ChildState, closedOn: string, today: string): RuleProblem[] {
  if (!child.openReferral) {
    return [{ field: "closedOn-day", message: `${child.name} has no open case to close` }];
  }
  const blockers: string[] = [];
  if (child.openCpPlan) blockers.push("end the child protection plan at a review conference");
  if (child.openClaEpisode) blockers.push("end the looked-after episode");
  if (child.openS47) blockers.push("complete the section 47 enquiry");
  if (child.openAssessment) blockers.push("complete and authorise the assessment");
  if (blockers.length > 0) {
    return [
      {
        field: "closedOn-day",
        message: `The case cannot close yet: first ${inWords(blockers)}`,
      },
    ];
  }
  const problems = notInFuture(closedOn, today, "closedOn-day", "closure date");
  if (closedOn < child.openReferral.referralDate) {
    problems.push({
      field: "closedOn-day",
      message: `The case cannot close before the referral (${formatDate(child.openReferral.referralDate)})`,
    });
  }
  if (child.openCinPlan && closedOn < child.openCinPlan.startDate) {
    problems.push({
      field: "closedOn-day",
      message: `The case cannot close before the child in need plan started (${formatDate(child.openCinPlan.startDate)})`,
    });
  }
  return problems;
}

/**
 * A re-referral: a referral within 12 months after a previous referral for the same child
 * (DfE children in need statistics). `previous` are the child's earlier referral dates.
 */
export function isReReferral(referralDate: string, previous: readonly string[]): boolean {
  // The same arithmetic as PostgreSQL's `date - interval '12 months'` (29 Feb -> 28 Feb).
  const yearBefore = addMonths(referralDate, -12);
  return previous.some((date) => date < referralDate && date >= yearBefore);
}

/** "a", "a and b", "a, b and c". */
function inWords(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}
