import type { Breach } from "../../domain/looked-after-rules.ts";
import { AppError } from "../../platform/errors.ts";
import type { FormReader } from "../../platform/forms.ts";

/**
 * Reading the looked-after and missing forms: times of day beside GOV.UK date inputs, UK
 * postcodes, and turning broken rules into errors that point at the right input.
 */

const londonParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** The date ('YYYY-MM-DD') and time ('HH:MM') on a clock in England at an instant. */
export function londonDateTime(instant: Date): { date: string; time: string } {
  const part = new Map(londonParts.formatToParts(instant).map((p) => [p.type, p.value]));
  const get = (type: Intl.DateTimeFormatPartTypes): string => part.get(type) ?? "";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    time: `${get("hour")}:${get("minute")}`,
  };
}

/**
 * The instant a date and time on a clock in England name: in GMT or, in summer, BST. A time
 * that happens twice when the clocks go back is the first (BST); one skipped when they go
 * forward is read as GMT, an hour later on the clock.
 */
export function londonInstant(date: string, time: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const candidates = [wall - 3_600_000, wall].map((ms) => new Date(ms));
  const matches = (instant: Date): boolean => {
    const shown = londonDateTime(instant);
    return shown.date === date && shown.time === time;
  };
  return candidates.find(matches) ?? new Date(wall);
}

/** A time of day typed as 14:30 (or 14.30, or 9:05); undefined if it is not one. */
export function parseTime(text: string): string | undefined {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/**
 * A GOV.UK date input with a time input beside it (`<name>-time`), as an instant. Problems
 * with the date point at its day box, problems with the time at the time box.
 */
export function readDateTime(
  reader: FormReader,
  name: string,
  label: string,
  options: { required: boolean },
): Date | null {
  const date = reader.date(name, `the date ${label}`, { required: options.required });
  const typed = reader.raw(`${name}-time`);
  if (!typed) {
    if (date || options.required) reader.fail(`${name}-time`, `Enter the time ${label}`);
    return null;
  }
  const time = parseTime(typed);
  if (!time) {
    reader.fail(`${name}-time`, `The time ${label} must be a real time, like 14:30`);
    return null;
  }
  if (!date) {
    if (!options.required) reader.fail(`${name}-day`, `Enter the date ${label}`);
    return null;
  }
  return londonInstant(date, time);
}

/** GOV.UK date input values plus the time box for an instant (to fill a form). */
export function dateTimeParts(name: string, instant: Date | null): Record<string, string> {
  if (!instant) return {};
  const { date, time } = londonDateTime(instant);
  const [year = "", month = "", day = ""] = date.split("-");
  return {
    [`${name}-day`]: day,
    [`${name}-month`]: month,
    [`${name}-year`]: year,
    [`${name}-time`]: time,
  };
}

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

/** A UK postcode in its usual form ("TS1 1AA"), or undefined if it is not one. */
export function normalisePostcode(text: string): string | undefined {
  const match = POSTCODE.exec(text.trim().toUpperCase().replace(/\s+/g, " "));
  return match ? `${match[1] ?? ""} ${match[2] ?? ""}` : undefined;
}

/**
 * Refuses the save if any rule is broken. Rules name fields by their meaning ("startDate");
 * dates and date-times are entered in GOV.UK date inputs, whose errors belong on the day box.
 */
export function refuseBreaches(breaches: readonly Breach[], dateFields: readonly string[]): void {
  if (breaches.length === 0) return;
  throw new AppError(
    "validation",
    "Check the details you entered",
    breaches.map((b) => ({
      field: dateFields.includes(b.field) ? `${b.field}-day` : b.field,
      message: b.message,
    })),
  );
}
