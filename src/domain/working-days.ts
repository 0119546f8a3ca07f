/**
 * Working days in England and Wales, for statutory timescales ("within 15 working days").
 * Bank holidays are worked out by rule rather than listed, so the service does not silently
 * start counting Christmas as a working day when a hard-coded list runs out. Only genuine
 * one-offs (jubilees, state occasions) are listed, in OVERRIDES below.
 *
 * Dates are 'YYYY-MM-DD' calendar strings. Internally they become `Date`s at midnight UTC,
 * which has no daylight saving, so adding a day is always exactly 24 hours.
 */
import { isCalendarDate } from "./dates.ts";

export interface BankHoliday {
  date: string;
  name: string;
}

/** The years whose rules are encoded here; outside them the rules (and one-offs) are unknown. */
export const FIRST_BANK_HOLIDAY_YEAR = 1995;
export const LAST_BANK_HOLIDAY_YEAR = 2100;

const DAY_MS = 86_400_000;
const SATURDAY = 6;
const SUNDAY = 0;
const MONDAY = 1;
const FRIDAY = 5;

function toUtc(date: string): Date {
  if (!isCalendarDate(date)) {
    throw new RangeError(`Date must be a real date as YYYY-MM-DD, got "${date}"`);
  }
  // An ISO date-time string, not Date.UTC(y, m, d), which reads years 0-99 as 1900-1999.
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(d: Date): string {
  const date = d.toISOString().slice(0, 10);
  if (!isCalendarDate(date)) throw new RangeError("Date is outside years 0000-9999");
  return date;
}

function utcDate(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

function dayOfWeek(date: string): number {
  return toUtc(date).getUTCDay();
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number, got ${n}`);
}

/** The date `n` calendar days after `date` (before it, if `n` is negative). */
export function addDays(date: string, n: number): string {
  requireInteger(n, "Days");
  return fromUtc(new Date(toUtc(date).getTime() + n * DAY_MS));
}

/**
 * The same day of the month `n` calendar months later (earlier if negative). A day the target
 * month lacks becomes its last day: 31 Jan + 1 month = 28 (or 29) Feb, and 30 Nov + 3 months
 * = 28 (or 29) Feb. Rolling over into March instead would make a "within 3 months" limit later
 * than three months.
 */
export function addMonths(date: string, n: number): string {
  requireInteger(n, "Months");
  const start = toUtc(date);
  const targetMonth = start.getUTCMonth() + n;
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(start.getUTCFullYear(), targetMonth + 1, 0);
  const day = Math.min(start.getUTCDate(), lastDay.getUTCDate());
  const result = new Date(0);
  result.setUTCFullYear(start.getUTCFullYear(), targetMonth, day);
  return fromUtc(result);
}

/** Easter Sunday in the Gregorian calendar, by the anonymous (Meeus/Jones/Butcher) algorithm. */
export function easterSunday(year: number): string {
  requireInteger(year, "Year");
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return fromUtc(utcDate(year, month, day));
}

function firstMonday(year: number, month: number): string {
  const first = utcDate(year, month, 1);
  const offset = (MONDAY - first.getUTCDay() + 7) % 7;
  return addDays(fromUtc(first), offset);
}

function lastMonday(year: number, month: number): string {
  const last = utcDate(year, month + 1, 0);
  const offset = (last.getUTCDay() - MONDAY + 7) % 7;
  return addDays(fromUtc(last), -offset);
}

type RuleName =
  | "New Year's Day"
  | "Good Friday"
  | "Easter Monday"
  | "Early May bank holiday"
  | "Spring bank holiday"
  | "Summer bank holiday"
  | "Christmas Day"
  | "Boxing Day";

interface YearOverride {
  /** Regular holidays held on another day that year, with the occasion they were moved for. */
  moved?: Partial<Record<RuleName, { date: string; occasion: string }>>;
  /** Additional one-off holidays. */
  extra?: BankHoliday[];
}

/**
 * Holidays moved or added by royal proclamation, 1995 onwards. These cannot be derived by
 * rule, so each is listed with its occasion. Future one-offs must be added here.
 */
const OVERRIDES: ReadonlyMap<number, YearOverride> = new Map<number, YearOverride>([
  [1995, { moved: { "Early May bank holiday": { date: "1995-05-08", occasion: "VE Day" } } }],
  [1999, { extra: [{ date: "1999-12-31", name: "Millennium Celebrations" }] }],
  [
    2002,
    {
      moved: { "Spring bank holiday": { date: "2002-06-04", occasion: "Golden Jubilee" } },
      extra: [{ date: "2002-06-03", name: "Golden Jubilee bank holiday" }],
    },
  ],
  [2011, { extra: [{ date: "2011-04-29", name: "Royal wedding" }] }],
  [
    2012,
    {
      moved: { "Spring bank holiday": { date: "2012-06-04", occasion: "Diamond Jubilee" } },
      extra: [{ date: "2012-06-05", name: "Queen's Diamond Jubilee" }],
    },
  ],
  [2020, { moved: { "Early May bank holiday": { date: "2020-05-08", occasion: "VE Day" } } }],
  [
    2022,
    {
      moved: { "Spring bank holiday": { date: "2022-06-02", occasion: "Platinum Jubilee" } },
      extra: [
        { date: "2022-06-03", name: "Platinum Jubilee bank holiday" },
        { date: "2022-09-19", name: "Bank holiday for the State Funeral of Queen Elizabeth II" },
      ],
    },
  ],
  [
    2023,
    {
      extra: [{ date: "2023-05-08", name: "Bank holiday for the coronation of King Charles III" }],
    },
  ],
]);

function isWeekend(date: string): boolean {
  const day = dayOfWeek(date);
  return day === SATURDAY || day === SUNDAY;
}

interface RegularHoliday {
  rule: RuleName;
  date: string;
  substitute: boolean;
}

function onDay(rule: RuleName, date: string): RegularHoliday {
  return { rule, date, substitute: false };
}

function substituteFor(rule: RuleName, date: string): RegularHoliday {
  return { rule, date, substitute: true };
}

/** New Year's Day, or the Monday after when it falls at a weekend. */
function newYear(year: number): RegularHoliday {
  const date = `${String(year).padStart(4, "0")}-01-01`;
  const day = dayOfWeek(date);
  if (day === SATURDAY) return substituteFor("New Year's Day", addDays(date, 2));
  if (day === SUNDAY) return substituteFor("New Year's Day", addDays(date, 1));
  return onDay("New Year's Day", date);
}

/**
 * Christmas and Boxing Day. A holiday falling at a weekend moves to the next weekday not
 * already a holiday, so the two never share a day: Christmas on Saturday gives Mon 27 and
 * Tue 28; on Sunday, Boxing Day keeps Mon 26 and Christmas moves to Tue 27; Boxing Day alone
 * on Saturday moves to Mon 28.
 */
function christmas(year: number): RegularHoliday[] {
  const christmasDay = `${String(year).padStart(4, "0")}-12-25`;
  const boxingDay = addDays(christmasDay, 1);
  switch (dayOfWeek(christmasDay)) {
    case SATURDAY:
      return [
        substituteFor("Christmas Day", addDays(christmasDay, 2)),
        substituteFor("Boxing Day", addDays(christmasDay, 3)),
      ];
    case SUNDAY:
      return [
        substituteFor("Christmas Day", addDays(christmasDay, 2)),
        onDay("Boxing Day", boxingDay),
      ];
    case FRIDAY:
      return [
        onDay("Christmas Day", christmasDay),
        substituteFor("Boxing Day", addDays(christmasDay, 3)),
      ];
    default:
      return [onDay("Christmas Day", christmasDay), onDay("Boxing Day", boxingDay)];
  }
}

function requireBankHolidayYear(year: number): void {
  requireInteger(year, "Year");
  if (year < FIRST_BANK_HOLIDAY_YEAR || year > LAST_BANK_HOLIDAY_YEAR) {
    const known = `${FIRST_BANK_HOLIDAY_YEAR}-${LAST_BANK_HOLIDAY_YEAR}`;
    throw new RangeError(`Bank holidays are known for ${known}, not ${year}`);
  }
}

/** England and Wales bank holidays in a year (1995-2100), sorted by date. */
export function bankHolidays(year: number): BankHoliday[] {
  requireBankHolidayYear(year);
  const easter = easterSunday(year);
  const regular: RegularHoliday[] = [
    newYear(year),
    onDay("Good Friday", addDays(easter, -2)),
    onDay("Easter Monday", addDays(easter, 1)),
    onDay("Early May bank holiday", firstMonday(year, 5)),
    onDay("Spring bank holiday", lastMonday(year, 5)),
    onDay("Summer bank holiday", lastMonday(year, 8)),
    ...christmas(year),
  ];
  const override = OVERRIDES.get(year);
  const holidays = regular.map(({ rule, date, substitute }): BankHoliday => {
    const move = override?.moved?.[rule];
    if (move) return { date: move.date, name: `${rule} (${move.occasion})` };
    return { date, name: substitute ? `${rule} (substitute day)` : rule };
  });
  // Copies, so a caller editing the result cannot change the table.
  holidays.push(...(override?.extra ?? []).map((h) => ({ ...h })));
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

// Memoised per year: addWorkingDays asks about every day it passes.
const holidayDates = new Map<number, ReadonlySet<string>>();

function holidayDatesIn(year: number): ReadonlySet<string> {
  let dates = holidayDates.get(year);
  if (!dates) {
    dates = new Set(bankHolidays(year).map((h) => h.date));
    holidayDates.set(year, dates);
  }
  return dates;
}

/** Whether the date is an England and Wales bank holiday. Throws outside 1995-2100. */
export function isBankHoliday(date: string): boolean {
  return holidayDatesIn(toUtc(date).getUTCFullYear()).has(date);
}

// On a Date at midnight UTC, so addWorkingDays can step through days without re-parsing.
function isWorkingUtc(day: Date): boolean {
  const holidays = holidayDatesIn(day.getUTCFullYear()); // first, so weekends also check the year
  const weekday = day.getUTCDay();
  return weekday !== SATURDAY && weekday !== SUNDAY && !holidays.has(fromUtc(day));
}

/** Monday to Friday and not a bank holiday. Throws outside 1995-2100. */
export function isWorkingDay(date: string): boolean {
  return isWorkingUtc(toUtc(date));
}

/**
 * The date `n` working days after `date`, counted the way statutory timescales are: the day
 * itself is day 0, so a referral on a Friday with one working day for a decision is due on
 * Monday, and one on a Saturday is due on Monday too.
 *
 * `n` = 0 gives the date itself if it is a working day, else the next working day: a due
 * date must be a day on which the work can be done.
 */
export function addWorkingDays(date: string, n: number): string {
  requireInteger(n, "Working days");
  if (n < 0) throw new RangeError(`Working days must not be negative, got ${n}`);
  const day = toUtc(date);
  const nextDay = () => day.setUTCDate(day.getUTCDate() + 1);
  if (n === 0) {
    while (!isWorkingUtc(day)) nextDay();
    return fromUtc(day);
  }
  let remaining = n;
  while (remaining > 0) {
    nextDay();
    if (isWorkingUtc(day)) remaining -= 1;
  }
  return fromUtc(day);
}

/**
 * Working days after `from`, up to and including `to`: the inverse of addWorkingDays, so a
 * referral on Friday and a decision on Monday took 1 working day. 0 when `to` is not after
 * `from`. Counted by weeks and holiday lists rather than day by day, so long spans are cheap.
 */
export function workingDaysBetween(from: string, to: string): number {
  const start = toUtc(from);
  const end = toUtc(to);
  if (to <= from) return 0;
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  // Any seven consecutive days hold five weekdays; only the odd days left over need looking at.
  let weekdays = Math.floor(days / 7) * 5;
  for (let i = 1; i <= days % 7; i += 1) {
    if (!isWeekend(addDays(from, i))) weekdays += 1;
  }
  // Every bank holiday is a weekday (weekend ones have substitutes), so each one removes one.
  let holidays = 0;
  for (let year = Number(addDays(from, 1).slice(0, 4)); year <= end.getUTCFullYear(); year += 1) {
    holidays += [...holidayDatesIn(year)].filter((d) => d > from && d <= to).length;
  }
  return weekdays - holidays;
}
