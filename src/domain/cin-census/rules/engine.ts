/**
 * How a CIN census rule is checked: each rule's check is a pure function of the whole return
 * and the collection year, reporting failures through `fail`. Whole-return rules (duplicates,
 * shares of children) are checks like any other; they simply look across children.
 */
import { isCalendarDate } from "../../dates.ts";
import { addDays, isWorkingDay } from "../../working-days.ts";
import {
  censusPeriod,
  type CinCensus,
  type CinChild,
  type CinDetails,
  type CollectionYear,
} from "../model.ts";

/** Where in the return a failure is: element names and 0-based positions, from the child. */
export type IndexPath = readonly (string | number)[];

export interface RuleFailure {
  readonly rule: string;
  /** The child's LAchildID; null for the header and whole-return rules with no one child. */
  readonly childId: string | null;
  readonly field: string;
  readonly value?: string;
  readonly path: IndexPath;
  /** Set when the check itself threw: the rule could not be run on this return. */
  readonly crashed?: string;
}

export interface RuleContext {
  readonly year: CollectionYear;
  /** 1 April at the start of the collection year. */
  readonly start: string;
  /** 31 March at its end: the census reference date. */
  readonly referenceDate: string;
}

export function contextFor(year: CollectionYear): RuleContext {
  return { year, ...censusPeriod(year) };
}

export type Fail = (
  child: CinChild | null,
  field: string,
  value: string | undefined,
  path: IndexPath,
) => void;

export type Check = (census: CinCensus, ctx: RuleContext, fail: Fail) => void;

// ---------------------------------------------------------------------------------------------
// Helpers the checks share
// ---------------------------------------------------------------------------------------------

// A return of 15,000 children holds only a few thousand distinct dates, and the rules ask
// about each many times: remembering the answers keeps all the rules well under 2 s.
const validDates = new Map<string, boolean>();
const weekends = new Map<string, boolean>();
const workingDaysBack = new Map<string, string>();

function remember<V>(cache: Map<string, V>, key: string, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size > 100_000) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/** A date the rules can compare: a real calendar date, else undefined (as if missing). */
export function date(value: string | undefined): string | undefined {
  if (value === undefined || value.length !== 10) return undefined;
  return remember(validDates, value, () => isCalendarDate(value)) ? value : undefined;
}

export function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/** On or between 1 April and the reference date. */
export function inYear(value: string, ctx: RuleContext): boolean {
  return value >= ctx.start && value <= ctx.referenceDate;
}

export function isWeekend(value: string): boolean {
  return remember(weekends, value, () => {
    const day = new Date(`${value}T00:00:00Z`).getUTCDay();
    return day === 0 || day === 6;
  });
}

/** The date `n` working days before `value` (working days as timescales count them). */
export function workingDaysBefore(value: string, n: number): string {
  return remember(workingDaysBack, `${value}/${String(n)}`, () => countBack(value, n));
}

function countBack(value: string, n: number): string {
  let day = value;
  let remaining = n;
  while (remaining > 0) {
    day = addDays(day, -1);
    if (isWorkingDay(day)) remaining -= 1;
  }
  return day;
}

export function addYears(value: string, years: number): string {
  const y = Number(value.slice(0, 4)) + years;
  const rest = value.slice(4);
  // 29 February in a year without one becomes 1 March, as an anniversary does.
  const candidate = `${String(y).padStart(4, "0")}${rest}`;
  return isCalendarDate(candidate) ? candidate : `${String(y).padStart(4, "0")}-03-01`;
}

export const childPath = (ci: number): IndexPath => ["Child", ci];
export const episodePath = (ci: number, ei: number): IndexPath => ["Child", ci, "CINdetails", ei];

export function eachChild(census: CinCensus, visit: (child: CinChild, ci: number) => void): void {
  census.children.forEach(visit);
}

export function eachEpisode(
  census: CinCensus,
  visit: (child: CinChild, episode: CinDetails, ci: number, ei: number) => void,
): void {
  census.children.forEach((child, ci) => {
    child.CINdetails.forEach((episode, ei) => {
      visit(child, episode, ci, ei);
    });
  });
}

/** Two periods overlap when one starts before the other ends (an open period never ends). */
export function overlaps(
  a: { start: string; end: string | undefined },
  b: { start: string; end: string | undefined },
): boolean {
  return a.start < (b.end ?? "9999-12-31") && b.start < (a.end ?? "9999-12-31");
}
