/**
 * The work a decision creates (decision 0020): what each kind asks for, in plain words, and a
 * red/amber/green status from its due date, for the tray and the team's unallocated queue.
 */
import { isOverdue } from "./timescales.ts";
import { addWorkingDays } from "./working-days.ts";

export const workKinds = [
  "strategy_discussion",
  "assessment",
  "early_help",
  "feedback_to_referrer",
  "icpc",
  "core_group",
  "cin_plan",
  "plan_or_close",
  "close_case",
  "looked_after",
] as const;
export type WorkKind = (typeof workKinds)[number];

export const workLabels: Record<WorkKind, string> = {
  strategy_discussion: "Hold a strategy discussion",
  assessment: "Complete the child and family assessment",
  early_help: "Early help: make first contact with the family",
  feedback_to_referrer: "Tell the referrer what was decided",
  icpc: "Arrange the initial child protection conference",
  core_group: "Hold the first core group meeting",
  cin_plan: "Start the child in need plan",
  plan_or_close: "Decide the next step: a child in need plan or closing the case",
  close_case: "Close the case",
  looked_after: "Record the child becoming looked after",
};

/** Kinds done by a note saying what was done, as no other record asks for them. */
export const doneByNote: readonly WorkKind[] = ["early_help", "feedback_to_referrer"];

/** Kinds a case closing cancels: everything tied to the episode of need. */
export const endsWithCase = (kind: WorkKind): boolean => !doneByNote.includes(kind);

/** Amber: due within this many working days (today included). */
export const AMBER_WORKING_DAYS = 2;

export type Rag = "red" | "amber" | "green";

/** Red once overdue, amber when due within AMBER_WORKING_DAYS working days, else green. */
export function ragStatus(dueOn: string, today: string): Rag {
  if (isOverdue(dueOn, today)) return "red";
  return dueOn <= addWorkingDays(today, AMBER_WORKING_DAYS) ? "amber" : "green";
}

/** Calendar days an item has waited since it was created (0 on the day). */
export function daysWaiting(createdOn: string, today: string): number {
  const utc = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
  return Math.max(0, Math.round((utc(today) - utc(createdOn)) / 86_400_000));
}
