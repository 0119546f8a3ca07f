import { z } from "zod";
import { ethnicities, genders, isCode } from "../../domain/code-lists.ts";
import {
  identifierExceptions,
  needsConsistentIdentifier,
} from "../../domain/consistent-identifier.ts";
import { isCalendarDate } from "../../domain/dates.ts";
import { validateNhsNumber, validateUpn } from "../../domain/identifiers.ts";
import { AppError, type FieldError } from "../../platform/errors.ts";
import { isVersion } from "../../platform/forms.ts";
import { controlCharacterMessage, hasControlCharacter } from "../../platform/input.ts";

/** A person's details as a form or the API sends them, validated at the edge. */
export const PersonInput = z.object({
  givenName: z.string().trim().min(1).max(100),
  familyName: z.string().trim().min(1).max(100),
  otherNames: z.string().trim().max(200),
  dateOfBirth: z.string().nullable(),
  sex: z.string().nullable(),
  ethnicity: z.string().nullable(),
  nhsNumber: z.string().nullable(),
  upn: z.string().nullable(),
  /** Why a child's record has no NHS number (s16LC); null when it has one. */
  nhsNumberException: z.string().nullable(),
  nhsNumberExceptionNote: z.string().max(2000),
});
export type PersonInput = z.infer<typeof PersonInput>;

type Form = Record<string, unknown>;

const text = (form: Form, name: string): string => {
  const value = form[name];
  return typeof value === "string" ? value.trim() : "";
};

/** GOV.UK date input: three boxes; all empty means no date. */
function dateFrom(form: Form, prefix: string): { value: string | null; error?: string } {
  const day = text(form, `${prefix}-day`);
  const month = text(form, `${prefix}-month`);
  const year = text(form, `${prefix}-year`);
  if (!day && !month && !year) return { value: null };
  if (!day || !month || !year) return { value: null, error: "must include a day, month and year" };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { value: null, error: "must be a real date, like 27 3 2015" };
  }
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isCalendarDate(iso)) return { value: null, error: "must be a real date, like 27 3 2015" };
  return { value: iso };
}

/**
 * Reads and checks a person form. Every problem is collected, so the error summary names each
 * field at once; nothing is saved unless all of it is right.
 */
export function parsePersonForm(form: Form, today: string): PersonInput {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(form)) {
    if (typeof value === "string" && hasControlCharacter(value)) {
      errors.push({ field: name, message: controlCharacterMessage("This answer") });
    }
  }
  const givenName = text(form, "givenName");
  const familyName = text(form, "familyName");
  if (!givenName) errors.push({ field: "givenName", message: "Enter the person's first name" });
  else if (givenName.length > 100) {
    errors.push({ field: "givenName", message: "First name must be 100 characters or fewer" });
  }
  if (!familyName) errors.push({ field: "familyName", message: "Enter the person's last name" });
  else if (familyName.length > 100) {
    errors.push({ field: "familyName", message: "Last name must be 100 characters or fewer" });
  }
  const otherNames = text(form, "otherNames");
  if (otherNames.length > 200) {
    errors.push({ field: "otherNames", message: "Other names must be 200 characters or fewer" });
  }
  const dob = dateFrom(form, "dateOfBirth");
  if (dob.error) errors.push({ field: "dateOfBirth-day", message: `Date of birth ${dob.error}` });
  else if (dob.value && dob.value > today) {
    errors.push({
      field: "dateOfBirth-day",
      message: "Date of birth must be today or in the past",
    });
  } else if (dob.value && dob.value < "1900-01-01") {
    errors.push({
      field: "dateOfBirth-day",
      message: "Date of birth must be after 1 January 1900",
    });
  }
  const sex = text(form, "sex") || null;
  if (sex !== null && !isCode(genders, sex)) {
    errors.push({ field: "sex", message: "Select the person's sex from the list" });
  }
  const ethnicity = text(form, "ethnicity") || null;
  if (ethnicity !== null && !isCode(ethnicities, ethnicity)) {
    errors.push({ field: "ethnicity", message: "Select the person's ethnicity from the list" });
  }
  let nhsNumber: string | null = null;
  if (text(form, "nhsNumber")) {
    const checked = validateNhsNumber(text(form, "nhsNumber"));
    if (checked.ok) nhsNumber = checked.value;
    else errors.push({ field: "nhsNumber", message: checked.message });
  }
  const exception = consistentIdentifier(form, nhsNumber, dob.value, today, errors);
  let upn: string | null = null;
  if (text(form, "upn")) {
    const checked = validateUpn(text(form, "upn"));
    if (checked.ok) upn = checked.value;
    else errors.push({ field: "upn", message: checked.message });
  }
  if (errors.length > 0) {
    throw new AppError("validation", "Check the person's details", errors);
  }
  return PersonInput.parse({
    givenName,
    familyName,
    otherNames,
    dateOfBirth: dob.value,
    sex,
    ethnicity,
    nhsNumber,
    upn,
    ...exception,
  });
}

/**
 * The consistent identifier (decision 0023): a child's record carries the NHS number or the
 * exception that applies, with a note. With an NHS number any exception is dropped.
 */
function consistentIdentifier(
  form: Form,
  nhsNumber: string | null,
  dateOfBirth: string | null,
  today: string,
  errors: FieldError[],
): { nhsNumberException: string | null; nhsNumberExceptionNote: string } {
  const none = { nhsNumberException: null, nhsNumberExceptionNote: "" };
  if (nhsNumber || errors.some((e) => e.field === "nhsNumber")) return none;
  const code = text(form, "nhsNumberException") || null;
  const note = text(form, "nhsNumberExceptionNote");
  if (code !== null && !identifierExceptions.some((e) => e.code === code)) {
    errors.push({ field: "nhsNumberException", message: "Select a reason from the list" });
    return none;
  }
  if (code === null) {
    if (needsConsistentIdentifier(dateOfBirth, today)) {
      errors.push({
        field: "nhsNumber",
        message: "Enter the child's NHS number, or select why this record does not carry it",
      });
    }
    return none;
  }
  if (!note) {
    errors.push({
      field: "nhsNumberExceptionNote",
      message: "Say why the NHS number is not on this record",
    });
  } else if (note.length > 2000) {
    errors.push({
      field: "nhsNumberExceptionNote",
      message: "The note must be 2000 characters or fewer",
    });
  }
  return { nhsNumberException: code, nhsNumberExceptionNote: note };
}

/** The version the form was loaded with, for optimistic concurrency. */
export function parseVersion(form: Form): number {
  const version = Number(text(form, "version"));
  if (!isVersion(version)) {
    throw new AppError(
      "validation",
      "The form is missing its version. Reload the page and try again.",
    );
  }
  return version;
}

/** What one search box holds: a name, or an identifier, a postcode or an address. */
export type SearchTerms =
  | { kind: "name"; name: string }
  | { kind: "nhs_number"; nhsNumber: string }
  | { kind: "upn"; upn: string }
  | { kind: "postcode"; postcode: string }
  | { kind: "address"; address: string }
  | { kind: "error"; message: string };

/**
 * Reads the search box: ten digits (spaces allowed) are an NHS number; a letter, eleven digits
 * and a digit or letter a UPN; a full postcode a postcode; words with a number an address
 * ("12 Mill Street"); anything else a name.
 */
export function parseSearchText(typed: string): SearchTerms | undefined {
  const text = typed.trim().replace(/\s+/g, " ");
  if (!text) return undefined;
  const compact = text.replace(/ /g, "");
  if (/^\d+$/.test(compact)) {
    return compact.length === 10
      ? { kind: "nhs_number", nhsNumber: compact }
      : { kind: "error", message: "An NHS number has 10 digits, like 943 476 5919" };
  }
  if (/^[A-Z]\d{11}[0-9A-Z]$/i.test(compact)) return { kind: "upn", upn: compact.toUpperCase() };
  if (/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i.test(text)) {
    return { kind: "postcode", postcode: text };
  }
  if (/\d/.test(text) && /[a-z]/i.test(text)) return { kind: "address", address: text };
  if (text.length < 2) return { kind: "error", message: "Enter at least 2 letters of the name" };
  return { kind: "name", name: text };
}
