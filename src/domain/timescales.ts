/**
 * Statutory timescales for children's social care in England, as due dates. Working-day limits
 * count from the day after the event (see addWorkingDays), so they always fall on a working
 * day. Calendar-month limits are left where they fall, even on a weekend or bank holiday:
 * moving them later would let a review slip past the legal limit, and moving them earlier is
 * a scheduling choice, not the law.
 */
import { isCalendarDate } from "./dates.ts";
import { addMonths, addWorkingDays } from "./working-days.ts";

/** Working Together 2023, ch. 3: decide next steps within one working day of a referral. */
export const REFERRAL_DECISION_WORKING_DAYS = 1;

/** Working Together 2023, ch. 3: an assessment concludes within 45 working days of referral. */
export const ASSESSMENT_WORKING_DAYS = 45;

/** Working Together 2023, ch. 3: ICPC within 15 working days of the strategy discussion. */
export const ICPC_WORKING_DAYS = 15;

/** Working Together 2023, ch. 3: the core group first meets within 10 working days of the ICPC. */
export const CORE_GROUP_WORKING_DAYS = 10;

/** Working Together 2023, ch. 3: first review conference within 3 months of the ICPC. */
export const FIRST_CP_REVIEW_MONTHS = 3;

/** Working Together 2023, ch. 3: later review conferences no more than 6 months apart. */
export const CP_REVIEW_INTERVAL_MONTHS = 6;

/** Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33(1)(a). */
export const FIRST_CLA_REVIEW_WORKING_DAYS = 20;

/** Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33(1)(b). */
export const SECOND_CLA_REVIEW_MONTHS = 3;

/** Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33(1)(c). */
export const CLA_REVIEW_INTERVAL_MONTHS = 6;

/** Children who run away or go missing from home or care (DfE, 2014): offer within 72 hours. */
export const RETURN_INTERVIEW_HOURS = 72;

/**
 * Working Together 2023, ch. 3: a strategy discussion is held whenever there is reasonable cause
 * to suspect significant harm, "immediately" in an emergency. Trellis makes it due the next
 * working day after the decision; a council may set another number (0 = the same day).
 */
export const STRATEGY_DISCUSSION_WORKING_DAYS = 1;

/**
 * Local practice, not statute: how long a manager's next step with no statutory timescale has
 * (starting a child in need plan, closing a case, recording that a child became looked after,
 * first contact in early help). Ten working days is the default of many councils' procedures.
 */
export const NEXT_STEP_WORKING_DAYS = 10;

/**
 * Working Together 2023, ch. 2: the referrer is told the outcome of their referral. Trellis
 * makes it due the working day after the decision, as the decision itself is due in one.
 */
export const REFERRER_FEEDBACK_WORKING_DAYS = 1;

const HOUR_MS = 3_600_000;

/** The strategy discussion a decision asks for; `workingDays` is the council's setting. */
export function strategyDiscussionDue(
  decidedOn: string,
  workingDays = STRATEGY_DISCUSSION_WORKING_DAYS,
): string {
  // 0 is the decision day itself, or the next working day if it was not one.
  return addWorkingDays(decidedOn, workingDays);
}

/** A next step with no statutory timescale (see NEXT_STEP_WORKING_DAYS). */
export function nextStepDue(decidedOn: string): string {
  return addWorkingDays(decidedOn, NEXT_STEP_WORKING_DAYS);
}

/** Telling the referrer what was decided. */
export function referrerFeedbackDue(decidedOn: string): string {
  return addWorkingDays(decidedOn, REFERRER_FEEDBACK_WORKING_DAYS);
}

/** Decision on a referral: by the next working day (Friday's referral is due Monday). */
export function referralDecisionDue(referralDate: string): string {
  return addWorkingDays(referralDate, REFERRAL_DECISION_WORKING_DAYS);
}

/** Child and family assessment, counted from the referral, not from the decision to assess. */
export function assessmentDue(referralDate: string): string {
  return addWorkingDays(referralDate, ASSESSMENT_WORKING_DAYS);
}

/** Initial child protection conference, from the last strategy discussion if there were several. */
export function icpcDue(strategyDiscussionDate: string): string {
  return addWorkingDays(strategyDiscussionDate, ICPC_WORKING_DAYS);
}

/** First core group meeting after the initial child protection conference. */
export function coreGroupDue(icpcDate: string): string {
  return addWorkingDays(icpcDate, CORE_GROUP_WORKING_DAYS);
}

/**
 * Next child protection review conference. `isFirst` when the previous conference was the
 * initial one (3 months); otherwise 6 months after the previous review. Calendar months, with
 * a missing day becoming the month's last: 30 Nov + 3 months = 28 Feb (29 in a leap year).
 */
export function cpReviewDue(previousConferenceDate: string, isFirst: boolean): string {
  const months = isFirst ? FIRST_CP_REVIEW_MONTHS : CP_REVIEW_INTERVAL_MONTHS;
  return addMonths(previousConferenceDate, months);
}

/**
 * Looked-after child review number `reviewNumber` (1 for the first). `previousDate` is the day
 * the child became looked after for the first review, else the date of the previous review.
 * First: 20 working days; second: 3 calendar months; then every 6 calendar months, with month
 * ends as in cpReviewDue.
 */
export function claReviewDue(previousDate: string, reviewNumber: number): string {
  if (!Number.isSafeInteger(reviewNumber) || reviewNumber < 1) {
    throw new RangeError(`Review number must be a whole number from 1, got ${reviewNumber}`);
  }
  if (reviewNumber === 1) return addWorkingDays(previousDate, FIRST_CLA_REVIEW_WORKING_DAYS);
  const months = reviewNumber === 2 ? SECOND_CLA_REVIEW_MONTHS : CLA_REVIEW_INTERVAL_MONTHS;
  return addMonths(previousDate, months);
}

/**
 * When a return home interview must be offered by: 72 elapsed hours after the child came
 * back, so an instant rather than a calendar date. Across a clock change the wall-clock time
 * moves by an hour, but the child waits no longer.
 */
export function returnInterviewDue(returnedAt: Date): Date {
  if (Number.isNaN(returnedAt.getTime())) {
    throw new RangeError("returnInterviewDue needs a valid Date");
  }
  return new Date(returnedAt.getTime() + RETURN_INTERVIEW_HOURS * HOUR_MS);
}

/** Overdue once the due date has passed: work done on the due date itself is in time. */
export function isOverdue(due: string, today: string): boolean {
  for (const date of [due, today]) {
    if (!isCalendarDate(date)) {
      throw new RangeError(`Date must be a real date as YYYY-MM-DD, got "${date}"`);
    }
  }
  return today > due;
}
