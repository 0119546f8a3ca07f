/**
 * Working-day arithmetic on day numbers (days since 1970-01-01, as in random.ts), fast enough
 * for millions of due dates. It gives exactly what src/domain/working-days.ts gives (the tests
 * compare them), from a table of working days built once with the domain's own isWorkingDay.
 */
import { addMonths, isWorkingDay } from "../domain/working-days.ts";
import { fromDay, toDay, type Random } from "./random.ts";

export class WorkingCalendar {
  readonly first: number;
  readonly last: number;
  /** Working days in [first, last], ascending. */
  readonly #working: number[] = [];
  /** For each day in [first, last]: how many working days fall on or before it. */
  readonly #countUpTo: Int32Array;

  constructor(first: number, last: number) {
    this.first = first;
    this.last = last;
    this.#countUpTo = new Int32Array(last - first + 1);
    for (let day = first; day <= last; day++) {
      if (isWorkingDay(fromDay(day))) this.#working.push(day);
      this.#countUpTo[day - first] = this.#working.length;
    }
  }

  #check(day: number): void {
    if (day < this.first || day > this.last) {
      throw new RangeError(`${fromDay(day)} is outside the demo calendar`);
    }
  }

  isWorking(day: number): boolean {
    this.#check(day);
    const before = day === this.first ? 0 : (this.#countUpTo[day - this.first - 1] ?? 0);
    return (this.#countUpTo[day - this.first] ?? 0) > before;
  }

  /** As addWorkingDays: the day itself is day 0; n = 0 gives the next working day from it. */
  add(day: number, n: number): number {
    this.#check(day);
    const done = this.#countUpTo[day - this.first] ?? 0;
    const index = n === 0 ? (this.isWorking(day) ? done - 1 : done) : done + n - 1;
    const result = this.#working[index];
    if (result === undefined) throw new RangeError("past the end of the demo calendar");
    return result;
  }

  /** The working day n working days before `day` (the latest d with add(d, n) <= day). */
  subtract(day: number, n: number): number {
    this.#check(day);
    const index = (this.#countUpTo[day - this.first] ?? 0) - 1 - n;
    const result = index < 0 ? undefined : this.#working[index];
    if (result === undefined) throw new RangeError("before the start of the demo calendar");
    return result;
  }

  /** Working days after `from`, up to and including `to` (0 when `to` is not later). */
  between(from: number, to: number): number {
    if (to <= from) return 0;
    this.#check(from);
    this.#check(to);
    return (this.#countUpTo[to - this.first] ?? 0) - (this.#countUpTo[from - this.first] ?? 0);
  }
}

/** Calendar months later, as the domain's addMonths (a missing day becomes the month's end). */
export function monthsLater(day: number, months: number): number {
  return toDay(addMonths(fromDay(day), months));
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** An instant on `day` at hour:minute UTC. */
export function at(day: number, hour: number, minute: number): Date {
  return new Date(day * DAY_MS + (hour * 60 + minute) * MINUTE_MS);
}

/** The day number of an instant. */
export function dayOf(instant: Date): number {
  return Math.floor(instant.getTime() / DAY_MS);
}

const dates: string[] = [];

/** 'YYYY-MM-DD' for a day number, as fromDay, remembered: the generator asks millions of times. */
export function dateOf(day: number): string {
  let date = dates[day];
  if (date === undefined) {
    date = fromDay(day);
    dates[day] = date;
  }
  return date;
}

const HEX4 = Array.from({ length: 65_536 }, (_, i) => i.toString(16).padStart(4, "0"));

function hex4(value: number): string {
  return HEX4[value & 0xffff] ?? "0000";
}

/**
 * Ids for journey rows: RFC 9562 version 7 layout (48 ordered bits, then random bits from the
 * stream), with a counter in place of the clock. Ordered ids are appended to the primary key
 * index rather than scattered through it, which keeps bulk loading millions of rows fast.
 */
export function orderedIds(rng: { uint32(): number }, start = 0x019000000000): () => string {
  let counter = start;
  return () => {
    counter++;
    const high = Math.floor(counter / 0x100000000);
    const low = counter >>> 0;
    const a = rng.uint32();
    const b = rng.uint32();
    const version = (a & 0x0fff) | 0x7000;
    const variant = ((a >>> 16) & 0x3fff) | 0x8000;
    return `${hex4(high)}${hex4(low >>> 16)}-${hex4(low)}-${hex4(version)}-${hex4(variant)}-${hex4(b >>> 16)}${hex4(b)}${hex4(rng.uint32())}`;
  };
}

/** A time during the working day of `day`. */
export function workingTime(rng: Random, day: number): Date {
  return at(day, rng.int(9, 17), rng.int(0, 59));
}
