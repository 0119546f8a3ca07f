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
 *  - cla none: a looked-after child's visits are set by regulation in calendar weeks and months
 *    (reg. 28, src/domain/cla-visits.ts). An LA may add its own standard in working days, which
 *    can only bring a visit forward, never loosen the regulation.
 *  - cin 20: no statutory frequency for a child in need plan; 4-weekly is a common LA
 *    practice standard.
 */
export const DEFAULT_VISIT_WORKING_DAYS: Readonly<Record<PlanType, number | null>> = {
  cp: 10,
  cla: null,
  cin: 20,
};

/** The LA's frequencies: a number of working days, or null for "the regulations only" (cla). */
export interface VisitFrequencies {
  cp: number;
  cin: number;
  cla: number | null;
}

/** The range the settings page accepts (and the database allows): a day to about six months. */
export const MIN_VISIT_WORKING_DAYS = 1;
export const MAX_VISIT_WORKING_DAYS = 130;

/** The LA's frequencies, with the defaults for any plan type it has not set. */
export function visitFrequencies(
  configured: readonly { plan_type: PlanType; working_days: number }[],
): VisitFrequencies {
  const frequencies: VisitFrequencies = { cp: 10, cin: 20, cla: null };
  for (const row of configured) frequencies[row.plan_type] = row.working_days;
  return frequencies;
}

/**
 * Why a frequency entered on the settings page is not acceptable, or null when it is. For a
 * looked-after child an empty answer is accepted: the regulations alone apply.
 */
export function visitFrequencyProblem(value: string, optional = false): string | null {
  if (value === "" && optional) return null;
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
