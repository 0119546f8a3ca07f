import { describe, expect, it } from "vitest";
import { FormReader } from "../../platform/forms.ts";
import {
  dateTimeParts,
  londonDateTime,
  londonInstant,
  normalisePostcode,
  parseTime,
  readDateTime,
} from "./input.ts";

describe("times on a clock in England", () => {
  it("reads GMT in winter and BST in summer", () => {
    expect(londonInstant("2026-01-15", "14:30")).toEqual(new Date("2026-01-15T14:30:00Z"));
    expect(londonInstant("2026-07-15", "14:30")).toEqual(new Date("2026-07-15T13:30:00Z"));
  });

  it("handles the nights the clocks change", () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST, so 01:30 never happens on the clock.
    expect(londonInstant("2026-03-29", "00:30")).toEqual(new Date("2026-03-29T00:30:00Z"));
    expect(londonInstant("2026-03-29", "01:30")).toEqual(new Date("2026-03-29T01:30:00Z"));
    expect(londonInstant("2026-03-29", "02:30")).toEqual(new Date("2026-03-29T01:30:00Z"));
    // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:30 happens twice; the first is taken.
    expect(londonInstant("2026-10-25", "01:30")).toEqual(new Date("2026-10-25T00:30:00Z"));
    expect(londonInstant("2026-10-25", "03:00")).toEqual(new Date("2026-10-25T03:00:00Z"));
  });

  it("shows an instant as the date and time on the clock, and back again", () => {
    expect(londonDateTime(new Date("2026-07-15T23:30:00Z"))).toEqual({
      date: "2026-07-16",
      time: "00:30",
    });
    expect(dateTimeParts("heldAt", new Date("2026-07-15T23:30:00Z"))).toEqual({
      "heldAt-day": "16",
      "heldAt-month": "07",
      "heldAt-year": "2026",
      "heldAt-time": "00:30",
    });
    expect(dateTimeParts("heldAt", null)).toEqual({});
  });

  it("accepts times like 14:30, 14.30 and 9:05 and nothing else", () => {
    expect(parseTime("14:30")).toBe("14:30");
    expect(parseTime(" 14.30 ")).toBe("14:30");
    expect(parseTime("9:05")).toBe("09:05");
    for (const bad of ["24:00", "12:60", "1430", "2pm", "", "12:5"])
      expect(parseTime(bad), bad).toBeUndefined();
  });
});

describe("readDateTime", () => {
  const read = (form: Record<string, string>, required: boolean) => {
    const reader = new FormReader(form);
    const value = readDateTime(reader, "at", "it happened", { required });
    return { value, errors: reader.errors.map((e) => e.field) };
  };
  const date = { "at-day": "2", "at-month": "3", "at-year": "2026" };

  it("combines the date and the time", () => {
    expect(read({ ...date, "at-time": "10:00" }, true)).toEqual({
      value: new Date("2026-03-02T10:00:00Z"),
      errors: [],
    });
  });

  it("names the box that is wrong or missing", () => {
    expect(read({ ...date }, true).errors).toEqual(["at-time"]);
    expect(read({ "at-time": "10:00" }, true).errors).toEqual(["at-day"]);
    expect(read({ "at-time": "10:00" }, false).errors).toEqual(["at-day"]);
    expect(read({ ...date, "at-time": "10" }, false).errors).toEqual(["at-time"]);
    expect(read({}, false)).toEqual({ value: null, errors: [] });
    expect(read({}, true).errors).toEqual(["at-day", "at-time"]);
  });
});

describe("normalisePostcode", () => {
  it("tidies UK postcodes and refuses anything else", () => {
    expect(normalisePostcode("ts2 2bb")).toBe("TS2 2BB");
    expect(normalisePostcode("SW1A1AA")).toBe("SW1A 1AA");
    expect(normalisePostcode(" m1  1ae ")).toBe("M1 1AE");
    for (const bad of ["not a postcode", "TS2", "12345", "TS22 2BBB"])
      expect(normalisePostcode(bad), bad).toBeUndefined();
  });
});
