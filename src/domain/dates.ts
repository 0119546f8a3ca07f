/**
 * Calendar dates as 'YYYY-MM-DD' strings. Dates of birth, referral dates and plan dates are
 * days on the calendar, not instants, so they are kept free of time zones: turning one into a
 * `Date` at midnight UTC and back is how a child's birthday ends up a day early.
 */

interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The years a date in a case record can fall in. PostgreSQL has no year 0, and a year like
 * 0001 or 9999 is a typing slip that would break the date arithmetic of timescales; the oldest
 * adult in a family history and the furthest review date both fit comfortably.
 */
export const EARLIEST_YEAR = 1850;
export const LATEST_YEAR = 2200;

export function isCalendarYear(year: number): boolean {
  return Number.isInteger(year) && year >= EARLIEST_YEAR && year <= LATEST_YEAR;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parts(s: string): YearMonthDay | undefined {
  const match = CALENDAR_DATE.exec(s);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function partsOrThrow(s: string, what: string): YearMonthDay {
  const ymd = parts(s);
  if (!ymd) throw new RangeError(`${what} must be a real date as YYYY-MM-DD, got "${s}"`);
  return ymd;
}

/**
 * True for a real date in 'YYYY-MM-DD' form within the calendar years a record uses: 2024-02-29
 * is, 2023-02-29, 2024-04-31 and 0000-01-01 are not.
 */
export function isCalendarDate(s: string): boolean {
  const ymd = parts(s);
  return ymd !== undefined && isCalendarYear(ymd.year);
}

const londonDate = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/**
 * Today's date in the UK at the given instant. Takes the clock as an argument so callers pass
 * an injectable clock, and uses Europe/London so that just after midnight in British Summer
 * Time it is already tomorrow, although UTC still says today.
 */
export function todayIn(clockNow: Date): string {
  if (Number.isNaN(clockNow.getTime())) throw new RangeError("todayIn needs a valid Date");
  const byType = new Map(londonDate.formatToParts(clockNow).map((p) => [p.type, p.value]));
  return `${byType.get("year") ?? ""}-${byType.get("month") ?? ""}-${byType.get("day") ?? ""}`;
}

/**
 * Age in whole years on a date. Someone born on 29 February turns a year older on 1 March in
 * years without a 29 February, which is what falls out of comparing (month, day) pairs.
 * Throws for a date before birth: an unborn child has no age.
 */
export function ageOn(dateOfBirth: string, onDate: string): number {
  const born = partsOrThrow(dateOfBirth, "Date of birth");
  const on = partsOrThrow(onDate, "Date");
  if (onDate < dateOfBirth) {
    throw new RangeError(`${onDate} is before the date of birth ${dateOfBirth}`);
  }
  const birthdayPassed = on.month > born.month || (on.month === born.month && on.day >= born.day);
  return on.year - born.year - (birthdayPassed ? 0 : 1);
}

/**
 * Whether the person is a child (under 18) on the date, as the Children Act 1989 defines it.
 * False before birth, since an unborn baby is not yet a child in law.
 */
export function isChildOn(dateOfBirth: string, onDate: string): boolean {
  partsOrThrow(dateOfBirth, "Date of birth");
  partsOrThrow(onDate, "Date");
  if (onDate < dateOfBirth) return false;
  return ageOn(dateOfBirth, onDate) < 18;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** GOV.UK style: "5 March 2024", with no leading zero and no day of the week. */
export function formatDate(s: string): string {
  const { year, month, day } = partsOrThrow(s, "Date");
  return `${String(day)} ${MONTHS[month - 1] ?? ""} ${String(year)}`;
}
