import { describe, it, expect } from "vitest";
import {
  addDays,
  addMonths,
  addWorkingDays,
  isWorkingDay,
  workingDaysBetween,
} from "./working-days.ts";

// The test's own day shift, independent of addDays, for walking through ranges of dates.
function shift(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function everyDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = shift(d, 1)) days.push(d);
  return days;
}

// Deterministic pseudo-random numbers (mulberry32), so a failure reproduces.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("addDays", () => {
  it.each([
    ["2024-02-28", 1, "2024-02-29"], // leap day
    ["2024-02-28", 2, "2024-03-01"],
    ["2023-02-28", 1, "2023-03-01"],
    ["2024-03-01", -1, "2024-02-29"],
    ["2023-12-31", 1, "2024-01-01"],
    ["2024-01-01", -1, "2023-12-31"],
    ["2024-01-31", 1, "2024-02-01"],
    ["2024-04-30", 1, "2024-05-01"],
    ["2024-03-30", 2, "2024-04-01"], // over the spring clock change
    ["2024-10-26", 2, "2024-10-28"], // over the autumn clock change
    ["2024-01-01", 366, "2025-01-01"],
    ["2023-01-01", 365, "2024-01-01"],
    ["2000-02-28", 1, "2000-02-29"], // 2000 divisible by 400
    ["2100-02-28", 1, "2100-03-01"], // 2100 is not a leap year
    ["2024-06-15", 0, "2024-06-15"],
    ["2024-06-15", -45, "2024-05-01"],
  ])("%s + %i days is %s", (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it("rejects bad input", () => {
    expect(() => addDays("2024-02-30", 1)).toThrow(RangeError);
    expect(() => addDays("2024-2-3", 1)).toThrow(RangeError);
    expect(() => addDays("2024-02-03", 1.5)).toThrow(RangeError);
    expect(() => addDays("2024-02-03", Number.NaN)).toThrow(RangeError);
    expect(() => addDays("9999-12-31", 1)).toThrow(RangeError);
  });
});

describe("addMonths", () => {
  it.each([
    ["2023-11-30", 3, "2024-02-29"], // no 30 Feb: last day of February, leap year
    ["2022-11-30", 3, "2023-02-28"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2024-08-31", 6, "2025-02-28"],
    ["2024-03-31", 6, "2024-09-30"],
    ["2024-05-15", 6, "2024-11-15"],
    ["2024-10-15", 3, "2025-01-15"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2024-03-31", -1, "2024-02-29"],
    ["2024-12-31", 2, "2025-02-28"],
    ["2024-06-10", 0, "2024-06-10"],
  ])("%s + %i months is %s", (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });

  it("rejects bad input", () => {
    expect(() => addMonths("2024-02-30", 1)).toThrow(RangeError);
    expect(() => addMonths("2024-02-03", 0.5)).toThrow(RangeError);
  });
});

describe("isWorkingDay", () => {
  it.each([
    ["2024-03-08", true], // Friday
    ["2024-03-09", false], // Saturday
    ["2024-03-10", false], // Sunday
    ["2024-03-11", true], // Monday
    ["2024-03-29", false], // Good Friday
    ["2024-04-01", false], // Easter Monday
    ["2024-02-29", true], // leap day, a Thursday
    ["2022-09-19", false], // State Funeral
    ["2021-12-24", true],
    ["2021-12-27", false], // Christmas substitute
    ["2023-01-02", false], // New Year substitute
  ])("%s is %s", (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it("throws outside the years with known bank holidays", () => {
    expect(() => isWorkingDay("1994-12-30")).toThrow(RangeError);
    expect(() => isWorkingDay("2101-01-03")).toThrow(RangeError);
    expect(() => isWorkingDay("1994-12-31")).toThrow(RangeError); // a Saturday: still unknown
    expect(() => addWorkingDays("2100-12-30", 5)).toThrow(RangeError);
  });
});

describe("addWorkingDays", () => {
  it.each([
    ["2024-03-08", 1, "2024-03-11", "Friday + 1 is Monday"],
    ["2024-03-09", 1, "2024-03-11", "Saturday + 1 is Monday"],
    ["2024-03-10", 1, "2024-03-11", "Sunday + 1 is Monday"],
    ["2024-03-11", 1, "2024-03-12", "Monday + 1 is Tuesday"],
    ["2024-03-11", 5, "2024-03-18", "a working week later"],
    ["2024-03-28", 1, "2024-04-02", "over Easter"],
    ["2020-12-24", 1, "2020-12-29", "Christmas 2020, Boxing Day substitute Mon 28"],
    ["2021-12-24", 1, "2021-12-29", "Christmas 2021, both substitutes"],
    ["2022-12-23", 1, "2022-12-28", "Christmas 2022, Christmas substitute Tue 27"],
    ["2022-12-30", 1, "2023-01-03", "into a year whose New Year is substituted"],
    ["2027-12-24", 1, "2027-12-29", "Christmas 2027"],
    ["2024-02-28", 1, "2024-02-29", "onto a leap day"],
    ["2024-02-29", 1, "2024-03-01", "from a leap day"],
    ["2024-01-31", 1, "2024-02-01", "over a month end"],
    ["2022-06-01", 1, "2022-06-06", "over the Platinum Jubilee"],
    ["2022-09-16", 1, "2022-09-20", "over the State Funeral"],
    ["2023-05-05", 1, "2023-05-09", "over the Coronation"],
    ["2024-12-20", 10, "2025-01-08", "ten days over Christmas and New Year"],
  ])("%s + %i is %s (%s)", (date, n, expected) => {
    expect(addWorkingDays(date, n)).toBe(expected);
  });

  it.each([
    ["2024-03-11", "2024-03-11", "a working day is its own day 0"],
    ["2024-03-09", "2024-03-11", "a Saturday rolls on to Monday"],
    ["2024-03-29", "2024-04-02", "Good Friday rolls on past Easter Monday"],
    ["2021-12-25", "2021-12-29", "a weekend Christmas rolls past the substitutes"],
  ])("%s + 0 is %s (%s)", (date, expected) => {
    expect(addWorkingDays(date, 0)).toBe(expected);
  });

  it("rejects negative, fractional and invalid input", () => {
    expect(() => addWorkingDays("2024-03-11", -1)).toThrow(RangeError);
    expect(() => addWorkingDays("2024-03-11", 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays("2024-02-30", 1)).toThrow(RangeError);
  });
});

describe("workingDaysBetween", () => {
  it.each([
    ["2024-03-08", "2024-03-11", 1], // Friday to Monday
    ["2024-03-11", "2024-03-11", 0], // same day
    ["2024-03-12", "2024-03-11", 0], // backwards
    ["2024-03-09", "2024-03-10", 0], // a weekend
    ["2024-03-28", "2024-04-02", 1], // over Easter
    ["2023-12-31", "2024-12-31", 254], // 2024: 262 weekdays less 8 holidays
    ["2021-12-31", "2022-12-31", 250], // 2022: 260 weekdays less 10 holidays
    ["2024-02-01", "2024-02-29", 20], // February of a leap year
  ])("%s to %s is %i", (from, to, expected) => {
    expect(workingDaysBetween(from, to)).toBe(expected);
  });

  it("rejects invalid dates", () => {
    expect(() => workingDaysBetween("2024-02-30", "2024-03-01")).toThrow(RangeError);
    expect(() => workingDaysBetween("2024-03-01", "2024-13-01")).toThrow(RangeError);
  });
});

describe("working-day properties", () => {
  const COUNTS = [0, 1, 2, 3, 5, 10, 15, 20, 45];
  // Every day of a stretch with moved, one-off and substitute holidays in it.
  const DAYS = everyDay("2019-12-01", "2023-01-31");
  // And a seeded sample across the whole supported range.
  const next = random(20231215);
  const SAMPLE = Array.from({ length: 1500 }, () =>
    shift("1995-01-01", Math.floor(next() * 38_600)),
  );
  const STARTS = [...DAYS, ...SAMPLE];

  it("addWorkingDays always lands on a working day", () => {
    for (const d of STARTS) {
      for (const n of COUNTS) expect(isWorkingDay(addWorkingDays(d, n)), `${d} + ${n}`).toBe(true);
    }
  });

  it("workingDaysBetween undoes addWorkingDays", () => {
    for (const d of STARTS) {
      for (const n of COUNTS) {
        const due = addWorkingDays(d, n);
        // From a non-working day, "+0" still moves on to the next working day.
        const expected = n === 0 && !isWorkingDay(d) ? 1 : n;
        expect(workingDaysBetween(d, due), `${d} + ${n}`).toBe(expected);
      }
    }
  });

  it("never skips a working day", () => {
    for (const d of STARTS) {
      const due = addWorkingDays(d, 1);
      for (let day = shift(d, 1); day < due; day = shift(day, 1)) {
        expect(isWorkingDay(day), `${day} skipped from ${d}`).toBe(false);
      }
    }
  });

  it("is monotonic in the start date and in the count", () => {
    for (const d of DAYS) {
      for (const n of COUNTS) {
        expect(addWorkingDays(d, n) <= addWorkingDays(shift(d, 1), n), `${d} + ${n}`).toBe(true);
        // Strictly later with each extra day, except that from a non-working day "+0" and
        // "+1" both give the next working day.
        const later = addWorkingDays(d, n + 1);
        if (n === 0 && !isWorkingDay(d)) expect(later).toBe(addWorkingDays(d, 0));
        else expect(addWorkingDays(d, n) < later, `${d} + ${n}`).toBe(true);
      }
    }
  });

  it("counts a day exactly when it is a working day, and adds up over a split", () => {
    for (const d of DAYS) {
      expect(workingDaysBetween(shift(d, -1), d), d).toBe(isWorkingDay(d) ? 1 : 0);
    }
    for (let i = 0; i < 300; i += 1) {
      const [a, b, c] = [0, 0, 0]
        .map(() => shift("1995-01-01", Math.floor(next() * 38_600)))
        .sort();
      if (a === undefined || b === undefined || c === undefined) throw new Error("unreachable");
      expect(workingDaysBetween(a, c), `${a} ${b} ${c}`).toBe(
        workingDaysBetween(a, b) + workingDaysBetween(b, c),
      );
    }
  });

  it("addDays round-trips and agrees with a plain day count", () => {
    for (const d of SAMPLE) {
      for (const n of [-400, -31, -1, 0, 1, 29, 365, 1000]) {
        const moved = addDays(d, n);
        expect(moved, `${d} + ${n}`).toBe(shift(d, n));
        expect(addDays(moved, -n)).toBe(d);
      }
    }
  });
});
