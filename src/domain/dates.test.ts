import { describe, it, expect } from "vitest";
import { ageOn, formatDate, isCalendarDate, isChildOn, todayIn } from "./dates.ts";

describe("isCalendarDate", () => {
  it.each([
    "2024-02-29", // leap year
    "2000-02-29", // divisible by 400, so a leap year
    "2023-02-28",
    "2024-01-31",
    "2024-03-31",
    "2024-04-30",
    "2024-05-31",
    "2024-06-30",
    "2024-07-31",
    "2024-08-31",
    "2024-09-30",
    "2024-10-31",
    "2024-11-30",
    "2024-12-31",
    "2024-01-01",
    "1900-02-28",
    "2200-12-31",
  ])("accepts %s", (s) => {
    expect(isCalendarDate(s)).toBe(true);
  });

  it.each([
    "2023-02-29", // not a leap year
    "1900-02-29", // divisible by 100 but not 400
    "2100-02-29",
    "0000-01-01", // outside the years a record can hold (1850-2200)
    "9999-12-31",
    "2024-02-30",
    "2024-04-31",
    "2024-06-31",
    "2024-09-31",
    "2024-11-31",
    "2024-01-32",
    "2024-00-10",
    "2024-13-01",
    "2024-01-00",
    "2024-1-05", // must be zero-padded
    "2024-01-5",
    "24-01-05",
    "20240105",
    "2024/01/05",
    "05/01/2024",
    "2024-01-05T00:00:00Z",
    " 2024-01-05",
    "2024-01-05 ",
    "",
    "not a date",
    "２０２４-01-05", // full-width digits
  ])("rejects %j", (s) => {
    expect(isCalendarDate(s)).toBe(false);
  });
});

describe("todayIn", () => {
  it.each([
    // Winter (GMT): the UK date is the UTC date.
    ["2024-01-15T12:00:00Z", "2024-01-15"],
    ["2024-12-31T23:59:59Z", "2024-12-31"],
    ["2025-01-01T00:00:00Z", "2025-01-01"],
    ["2024-02-29T23:59:59Z", "2024-02-29"],
    // The clocks go forward at 01:00 UTC on 31 March 2024.
    ["2024-03-30T23:30:00Z", "2024-03-30"],
    ["2024-03-31T00:59:59Z", "2024-03-31"],
    // Summer (BST): from 23:00 UTC it is already the next day in the UK.
    ["2024-06-30T22:59:59Z", "2024-06-30"],
    ["2024-06-30T23:00:00Z", "2024-07-01"],
    ["2024-12-31T23:00:00Z", "2024-12-31"],
    // The clocks go back at 01:00 UTC on 27 October 2024.
    ["2024-10-26T23:30:00Z", "2024-10-27"],
    ["2024-10-27T00:30:00Z", "2024-10-27"],
    ["2024-10-27T23:30:00Z", "2024-10-27"],
  ])("at %s it is %s in the UK", (instant, expected) => {
    expect(todayIn(new Date(instant))).toBe(expected);
  });

  it("always returns a calendar date", () => {
    const result = todayIn(new Date("2030-08-01T10:00:00Z"));
    expect(result).toBe("2030-08-01");
    expect(isCalendarDate(result)).toBe(true);
  });

  it("refuses an invalid Date", () => {
    expect(() => todayIn(new Date("nonsense"))).toThrow(RangeError);
  });
});

describe("ageOn", () => {
  it.each([
    ["2010-06-15", "2010-06-15", 0],
    ["2010-06-15", "2011-06-14", 0],
    ["2010-06-15", "2011-06-15", 1],
    ["2010-06-15", "2024-06-14", 13],
    ["2010-06-15", "2024-06-15", 14],
    ["2010-06-15", "2024-07-01", 14],
    ["2010-06-15", "2024-05-30", 13],
    // Month ends
    ["2010-01-31", "2011-01-30", 0],
    ["2010-01-31", "2011-01-31", 1],
    ["2010-01-31", "2011-02-28", 1],
    ["2010-12-31", "2011-01-01", 0],
    ["2010-12-31", "2011-12-30", 0],
    ["2010-12-31", "2011-12-31", 1],
    ["2010-03-01", "2011-02-28", 0],
    ["2010-03-01", "2011-03-01", 1],
    ["2010-03-01", "2012-02-29", 1],
    ["2010-04-30", "2011-04-30", 1],
    // Leap-day birthdays turn a year older on 1 March in common years…
    ["2008-02-29", "2009-02-28", 0],
    ["2008-02-29", "2009-03-01", 1],
    ["2008-02-29", "2011-02-28", 2],
    ["2008-02-29", "2011-03-01", 3],
    // …and on 29 February in leap years.
    ["2008-02-29", "2012-02-28", 3],
    ["2008-02-29", "2012-02-29", 4],
    ["2000-02-29", "2100-02-28", 99],
    ["2000-02-29", "2100-03-01", 100],
    // Born on 28 February: the birthday is the 28th every year, leap or not.
    ["2007-02-28", "2008-02-28", 1],
    ["2007-02-28", "2008-02-27", 0],
    // Large spans
    ["1950-07-04", "2024-07-03", 73],
    ["1950-07-04", "2024-07-04", 74],
  ])("born %s, on %s: %i", (dob, on, age) => {
    expect(ageOn(dob, on)).toBe(age);
  });

  it("refuses a date before birth", () => {
    expect(() => ageOn("2024-06-15", "2024-06-14")).toThrow(RangeError);
    expect(() => ageOn("2024-06-15", "2023-12-31")).toThrow(/before the date of birth/);
  });

  it("refuses dates that are not real", () => {
    expect(() => ageOn("2023-02-29", "2024-01-01")).toThrow(/Date of birth/);
    expect(() => ageOn("2010-01-01", "2024-13-01")).toThrow(RangeError);
    expect(() => ageOn("15/06/2010", "2024-01-01")).toThrow(RangeError);
  });
});

describe("isChildOn", () => {
  it.each([
    ["2006-05-10", "2006-05-10", true], // day of birth
    ["2006-05-10", "2020-01-01", true],
    ["2006-05-10", "2024-05-09", true], // day before 18th birthday
    ["2006-05-10", "2024-05-10", false], // 18th birthday
    ["2006-05-10", "2030-01-01", false],
    ["2008-02-29", "2026-02-28", true], // 17 until 1 March in a common year
    ["2008-02-29", "2026-03-01", false],
    ["2006-12-31", "2024-12-30", true],
    ["2006-12-31", "2024-12-31", false],
  ])("born %s, on %s: %s", (dob, on, expected) => {
    expect(isChildOn(dob, on)).toBe(expected);
  });

  it("is false before birth", () => {
    expect(isChildOn("2024-06-15", "2024-06-14")).toBe(false);
  });

  it("refuses dates that are not real", () => {
    expect(() => isChildOn("2023-02-29", "2024-01-01")).toThrow(RangeError);
    expect(() => isChildOn("2010-01-01", "2024-02-30")).toThrow(RangeError);
    // Checked even when the order would otherwise short-circuit.
    expect(() => isChildOn("2024-02-30", "2010-01-01")).toThrow(RangeError);
  });
});

describe("formatDate", () => {
  it.each([
    ["2024-03-05", "5 March 2024"],
    ["2024-01-01", "1 January 2024"],
    ["2024-02-29", "29 February 2024"],
    ["2024-03-31", "31 March 2024"],
    ["2024-04-10", "10 April 2024"],
    ["2024-05-31", "31 May 2024"],
    ["2024-06-30", "30 June 2024"],
    ["2024-07-04", "4 July 2024"],
    ["2024-08-15", "15 August 2024"],
    ["2024-09-30", "30 September 2024"],
    ["2024-10-09", "9 October 2024"],
    ["2024-11-11", "11 November 2024"],
    ["2024-12-31", "31 December 2024"],
    ["1999-12-31", "31 December 1999"],
  ])("%s is %s", (s, expected) => {
    expect(formatDate(s)).toBe(expected);
  });

  it("refuses dates that are not real", () => {
    for (const s of ["2023-02-29", "2024-04-31", "", "5 March 2024"]) {
      expect(() => formatDate(s)).toThrow(RangeError);
    }
  });
});
