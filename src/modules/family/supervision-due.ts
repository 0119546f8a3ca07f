/**
 * When a family's next group supervision falls due. Pure, so the supervision page and the
 * work tray agree: the interval runs from the latest session held, or from the day the
 * Workbook was opened while none has been held yet.
 */
import { isOverdue } from "../../domain/timescales.ts";
import { addDays } from "../../domain/working-days.ts";

export interface SupervisionDue {
  /** The latest session held, or null. */
  lastHeldOn: string | null;
  dueOn: string;
  /** No session held by the due date, and the due date has passed. */
  overdue: boolean;
  /** The earliest session scheduled (not yet held) after the last one and by the due date. */
  plannedOn: string | null;
}

/**
 * @param openedOn the Workbook's opening date
 * @param intervalWeeks the family's supervision interval (1 to 26 weeks)
 * @param heldDates the dates sessions were held
 * @param scheduledDates the scheduled dates of sessions not yet held
 * @param today the calendar date today
 */
export function nextSupervisionDue(
  openedOn: string,
  intervalWeeks: number,
  heldDates: readonly string[],
  scheduledDates: readonly string[],
  today: string,
): SupervisionDue {
  if (!Number.isInteger(intervalWeeks) || intervalWeeks < 1) {
    throw new RangeError(
      `The supervision interval must be a whole number of weeks, got ${intervalWeeks}`,
    );
  }
  const lastHeldOn = heldDates.reduce<string | null>(
    (latest, date) => (latest === null || date > latest ? date : latest),
    null,
  );
  const from = lastHeldOn ?? openedOn;
  const dueOn = addDays(from, intervalWeeks * 7);
  // A session scheduled on or before the last one held has been overtaken by it.
  const planned = scheduledDates
    .filter((date) => (lastHeldOn === null ? date >= openedOn : date > lastHeldOn))
    .filter((date) => date <= dueOn)
    .sort();
  return {
    lastHeldOn,
    dueOn,
    overdue: isOverdue(dueOn, today),
    plannedOn: planned[0] ?? null,
  };
}
