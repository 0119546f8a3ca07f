import { annexAPeriod, DEFAULT_MONTHS, type AnnexAPeriod } from "../../domain/annex-a/codes.ts";
import { isCalendarDate, todayIn } from "../../domain/dates.ts";
import { FormReader } from "../../platform/forms.ts";
import type { FieldError } from "../../platform/errors.ts";

/** The longest period Trellis will list: Ofsted asks for six months, at times twelve. */
export const MAX_MONTHS = 24;

export interface PeriodChoice {
  period: AnnexAPeriod;
  values: Record<string, string>;
  errors: FieldError[];
}

function readMonths(reader: FormReader, raw: string): number {
  if (raw === "") return DEFAULT_MONTHS;
  const months = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
  if (!(months >= 1 && months <= MAX_MONTHS)) {
    reader.fail("months", `Enter a number of months from 1 to ${String(MAX_MONTHS)}`);
    return DEFAULT_MONTHS;
  }
  return months;
}

/**
 * The period chosen on the page (a GOV.UK date input `to` and a number of months), defaulting
 * to the six months up to today. A wrong answer keeps the default period and names the field.
 */
export function readPeriodForm(query: Record<string, unknown>, now: Date): PeriodChoice {
  const today = todayIn(now);
  const reader = new FormReader(query);
  const to = reader.date("to", "the last day of the period", { notAfter: today }) ?? today;
  const months = readMonths(reader, reader.raw("months"));
  const values = {
    "to-day": reader.raw("to-day"),
    "to-month": reader.raw("to-month"),
    "to-year": reader.raw("to-year"),
    months: reader.raw("months"),
  };
  const errors = reader.errors;
  return {
    period: annexAPeriod(errors.length ? today : to, errors.length ? DEFAULT_MONTHS : months),
    values,
    errors,
  };
}

/** The period in a download link (`to` as YYYY-MM-DD); undefined when it is not a real one. */
export function readPeriodLink(
  query: Record<string, unknown>,
  now: Date,
): AnnexAPeriod | undefined {
  const to = typeof query.to === "string" ? query.to : "";
  const months = typeof query.months === "string" ? Number(query.months) : NaN;
  if (!isCalendarDate(to) || to > todayIn(now)) return undefined;
  if (!Number.isInteger(months) || months < 1 || months > MAX_MONTHS) return undefined;
  return annexAPeriod(to, months);
}
