/**
 * Statutory visits to children on plans: which plan governs how often a child is visited, when
 * the next visit is due, and the rules a recorded visit must keep. Frequencies are in working
 * days (src/domain/working-days.ts) and each LA may set its own (table visit_frequency); the
 * defaults below apply where it has not.
 */
import { isOverdue } from "./timescales.ts";
import { addWorkingDays } from "./working-days.ts";

export const planTypes = [
  { code: "cp", label: "Child protection plan" },
  { code: "cla", label: "Looked after" },
  { code: "cin", label: "Child in need plan" },
] as const;
export type PlanType = (typeof planTypes)[number]["code"];

export function planTypeLabel(planType: PlanType): string {
  return planTypes.find((p) => p.code === planType)?.label ?? planType;
}

/**
 * Default visit frequencies in working days. None is set in national guidance in working days,
 * so each is an assumption an LA can change on the settings page:
 *  - cp 10: Working Together sets no national frequency for children on a child protection
 *    plan; LA child protection procedures commonly require a visit at least every 10 working
 *    days (fortnightly), with the child seen.
 *  - cla 30: Care Planning, Placement and Case Review (England) Regulations 2010, reg. 28:
 *    at least every 6 weeks in the first year of a placement (6 weeks = 30 working days).
 *    Later intervals may be longer (up to 3 months in a long-term placement); we apply the
 *    first-year interval throughout, the cautious reading.
 *  - cin 20: no statutory frequency for a child in need plan; 4-weekly is a common LA
 *    practice standard.
 */
export const DEFAULT_VISIT_WORKING_DAYS: Readonly<Record<PlanType, number>> = {
  cp: 10,
  cla: 30,
  cin: 20,
};

/** The range the settings page accepts (and the database allows): a day to about six months. */
export const MIN_VISIT_WORKING_DAYS = 1;
export const MAX_VISIT_WORKING_DAYS = 130;

/** The LA's frequencies, with the defaults for any plan type it has not set. */
export function visitFrequencies(
  configured: readonly { plan_type: PlanType; working_days: number }[],
): Record<PlanType, number> {
  const frequencies = { ...DEFAULT_VISIT_WORKING_DAYS };
  for (const row of configured) frequencies[row.plan_type] = row.working_days;
  return frequencies;
}

/** Why a frequency entered on the settings page is not acceptable, or null when it is. */
export function visitFrequencyProblem(value: string): string | null {
  if (value === "") return "Enter the number of working days";
  if (!/^\d+$/.test(value)) return "The number of working days must be a whole number, like 10";
  const days = Number(value);
  if (days < MIN_VISIT_WORKING_DAYS || days > MAX_VISIT_WORKING_DAYS) {
    return `The number of working days must be between ${String(MIN_VISIT_WORKING_DAYS)} and ${String(MAX_VISIT_WORKING_DAYS)}`;
  }
  return null;
}

export interface OpenPlans {
  cpOpen: boolean;
  claOpen: boolean;
  cinOpen: boolean;
}

/**
 * The plan that governs a child's visits when more than one is open: child protection, then
 * looked after, then child in need. A child protection plan marks the highest risk and
 * usually the most frequent visits, and it can continue for a while after a child becomes
 * looked after (Working Together 2023, ch. 3). A looked-after child's visits are set by
 * regulation (reg. 28), whereas a child in need plan's are local practice; and a looked-after
 * child is already a child in need, so an open CIN plan alongside is a leftover.
 */
export function currentPlanType(open: OpenPlans): PlanType | null {
  if (open.cpOpen) return "cp";
  if (open.claOpen) return "cla";
  if (open.cinOpen) return "cin";
  return null;
}

/**
 * When the next statutory visit is due: `workingDays` after the last visit at which the child
 * was seen, or after the plan started if they have not been seen since. A visit before the
 * plan started is not counted even if passed in: the new plan's clock starts with the plan.
 */
export function nextVisitDue(
  planStart: string,
  lastSeenVisitOnOrAfterPlanStart: string | null,
  workingDays: number,
): string {
  const from =
    lastSeenVisitOnOrAfterPlanStart !== null && lastSeenVisitOnOrAfterPlanStart > planStart
      ? lastSeenVisitOnOrAfterPlanStart
      : planStart;
  return addWorkingDays(from, workingDays);
}

/** A visit is overdue once its due date has passed: a visit on the due date is in time. */
export function isVisitOverdue(dueOn: string, today: string): boolean {
  return isOverdue(dueOn, today);
}

/**
 * The start of a looked-after child's current period of care (SSDA903): a new episode starts
 * on the day the previous one ended when only the legal status or placement changed, so the
 * period starts with the latest episode that did not follow on from another that same day.
 * Null when the child has no open episode.
 */
export function periodOfCareStart(
  episodes: readonly { start_date: string; end_date: string | null }[],
): string | null {
  if (!episodes.some((e) => e.end_date === null)) return null;
  let start: string | null = null;
  for (const episode of episodes) {
    const followsOn = episodes.some((p) => p !== episode && p.end_date === episode.start_date);
    if (!followsOn && (start === null || episode.start_date > start)) start = episode.start_date;
  }
  return start;
}

/**
 * The rule a visit must keep beyond its dates: a child cannot have been seen alone without
 * being seen. Returns the message for the "seen alone" question, or null.
 */
export function seenAloneProblem(seen: boolean, seenAlone: boolean): string | null {
  return seenAlone && !seen
    ? "The child cannot have been seen alone if they were not seen. Select no, or change whether the child was seen"
    : null;
}

/** The chronology line for a visit: facts only, never the visit's free text. */
export function visitSummary(seen: boolean, seenAlone: boolean): string {
  if (!seen) return "Visited; child not seen";
  return seenAlone ? "Visited; seen alone" : "Visited; seen, not alone";
}
