import { isCalendarYear } from "../dates.ts";

/**
 * The period a measure is computed over: whole months, 'YYYY-MM' to 'YYYY-MM'. The default is
 * the 12 months up to this one; the same period a year before is the comparison.
 */
export interface Period {
  from: string;
  to: string;
}

export const MAX_MONTHS = 36;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isMonth(value: string): boolean {
  const match = MONTH.exec(value);
  return (
    match !== null &&
    isCalendarYear(Number(match[1])) &&
    Number(match[2]) >= 1 &&
    Number(match[2]) <= 12
  );
}

/** The month `by` months after (or before, when negative) `month`. */
export function shiftMonth(month: string, by: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + by;
  return `${String(Math.floor(index / 12))}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function firstDayOf(month: string): string {
  return `${month}-01`;
}

export function lastDayOf(month: string): string {
  const [year, number] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const days = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, "0")}`;
}

export function lastYear(period: Period): Period {
  return { from: shiftMonth(period.from, -12), to: shiftMonth(period.to, -12) };
}

/**
 * Reads a period from text; a wrong one is a clear message, never a silent default
 * (issue 13: "a period that ends before it starts").
 */
export function readPeriod(
  from: string,
  to: string,
  thisMonth: string,
): { period: Period } | { problem: string } {
  const end = to || thisMonth;
  const start = from || shiftMonth(end, -11);
  if (!isMonth(start)) return { problem: "The first month must be a month like 2025-04" };
  if (!isMonth(end)) return { problem: "The last month must be a month like 2026-03" };
  if (end > thisMonth) return { problem: "The last month must be this month or earlier" };
  if (start > end) return { problem: "The period must not end before it starts" };
  if (shiftMonth(start, MAX_MONTHS - 1) < end) {
    return { problem: `The period must be ${String(MAX_MONTHS)} months or shorter` };
  }
  return { period: { from: start, to: end } };
}
