import { sql } from "kysely";
import { isCalendarDate } from "../domain/dates.ts";
import { formatDate } from "../domain/dates.ts";
import type { Db } from "./database.ts";
import { AppError, type FieldError } from "./errors.ts";
import { withErrors } from "./form-errors.ts";
import { controlCharacterMessage, hasControlCharacter } from "./input.ts";
import type { RouteContext, RouteResult } from "./routes.ts";

type Form = Record<string, unknown>;

/**
 * Reads a submitted form field by field, collecting every problem so the GOV.UK error summary
 * names each field at once. Call `done()` before saving anything: it throws a validation
 * error if any field was wrong.
 */
export class FormReader {
  readonly errors: FieldError[] = [];

  constructor(readonly form: Form) {}

  raw(name: string): string {
    const value = this.form[name];
    if (typeof value !== "string") return "";
    // PostgreSQL cannot store some of these (NUL); none belongs in a record.
    if (hasControlCharacter(value)) {
      this.fail(name, controlCharacterMessage("This answer"));
      return "";
    }
    return value.trim();
  }

  fail(field: string, message: string): void {
    if (!this.errors.some((e) => e.field === field)) this.errors.push({ field, message });
  }

  text(name: string, label: string, options: { required?: boolean; max?: number } = {}): string {
    const value = this.raw(name);
    const max = options.max ?? 5000;
    if (options.required && !value) this.fail(name, `Enter ${label}`);
    else if (value.length > max) {
      this.fail(name, `${capitalise(label)} must be ${String(max)} characters or fewer`);
    }
    return value;
  }

  /** A GOV.UK date input (`<name>-day`, `-month`, `-year`); errors point at the day box. */
  date(
    name: string,
    label: string,
    options: { required?: boolean; notAfter?: string; notBefore?: { date: string; what: string } },
  ): string | null {
    const field = `${name}-day`;
    const parts = ["day", "month", "year"].map((p) => this.raw(`${name}-${p}`));
    const [day = "", month = "", year = ""] = parts;
    if (!day && !month && !year) {
      if (options.required) this.fail(field, `Enter ${label}`);
      return null;
    }
    if (!day || !month || !year) {
      this.fail(field, `${capitalise(label)} must include a day, month and year`);
      return null;
    }
    const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
    if (
      !/^\d{1,2}$/.test(day) ||
      !/^\d{1,2}$/.test(month) ||
      !/^\d{4}$/.test(year) ||
      !isCalendarDate(iso)
    ) {
      this.fail(field, `${capitalise(label)} must be a real date, like 27 3 2025`);
      return null;
    }
    if (options.notAfter && iso > options.notAfter) {
      this.fail(field, `${capitalise(label)} must be today or in the past`);
      return null;
    }
    if (options.notBefore && iso < options.notBefore.date) {
      this.fail(
        field,
        `${capitalise(label)} must be on or after ${options.notBefore.what} (${formatDate(options.notBefore.date)})`,
      );
      return null;
    }
    return iso;
  }

  /** One code from a list (radios or a select). */
  code<C extends string>(
    name: string,
    list: readonly { readonly code: C; readonly label: string }[],
    label: string,
    options: { required?: boolean } = {},
  ): C | null {
    const value = this.raw(name);
    if (!value) {
      if (options.required) this.fail(name, `Select ${label}`);
      return null;
    }
    if (!list.some((entry) => entry.code === value)) {
      this.fail(name, `Select ${label} from the list`);
      return null;
    }
    return value as C;
  }

  /** Several codes from a list (checkboxes). */
  codes<C extends string>(
    name: string,
    list: readonly { readonly code: C; readonly label: string }[],
    label: string,
  ): C[] {
    const value = this.form[name];
    const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
      (v): v is string => typeof v === "string" && v !== "",
    );
    if (values.some((v) => !list.some((entry) => entry.code === v))) {
      this.fail(name, `Select ${label} from the list`);
      return [];
    }
    return [...new Set(values)] as C[];
  }

  /** A yes/no radio. */
  yesNo(name: string, question: string, options: { required?: boolean } = {}): boolean | null {
    const value = this.raw(name);
    if (value === "yes") return true;
    if (value === "no") return false;
    if (value || options.required) this.fail(name, `Select yes or no: ${question}`);
    return null;
  }

  /** The version the form was loaded with, for optimistic concurrency. */
  version(): number {
    const version = Number(this.raw("version"));
    if (!isVersion(version)) {
      throw new AppError(
        "validation",
        "The form is missing its version. Reload the page and try again.",
      );
    }
    return version;
  }

  done(message = "Check the details you entered"): void {
    if (this.errors.length > 0) throw new AppError("validation", message, this.errors);
  }
}

/** PostgreSQL's integer holds versions; the largest is kept back so that `version + 1` fits. */
const LARGEST_VERSION = 2147483646;

export function isVersion(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= LARGEST_VERSION;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export { errorList, fieldErrors } from "./form-errors.ts";

/** GOV.UK date input values for a stored 'YYYY-MM-DD' (to fill a form). */
export function dateParts(name: string, iso: string | null): Record<string, string> {
  const [year = "", month = "", day = ""] = iso ? iso.split("-") : [];
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

/**
 * Runs a form's save inside a savepoint. A validation error or a refused state change (a rule
 * broken, a stale edit) rolls back everything the save had written, is audited as failed with
 * the fields named, and the form is shown again with the user's answers and the reasons;
 * nothing is half-saved. Other errors propagate (and the whole request rolls back).
 */
export async function saveForm(
  ctx: RouteContext,
  save: () => Promise<RouteResult>,
  showAgain: (error: AppError) => RouteResult | Promise<RouteResult>,
): Promise<RouteResult> {
  const db: Db = ctx.db;
  await sql`savepoint form_save`.execute(db);
  try {
    const result = await save();
    await sql`release savepoint form_save`.execute(db);
    return result;
  } catch (error) {
    if (
      !(error instanceof AppError) ||
      (error.code !== "validation" && error.code !== "conflict")
    ) {
      throw error;
    }
    await sql`rollback to savepoint form_save`.execute(db);
    ctx.setOutcome("failed");
    ctx.audit({
      summary: { reason: error.code, fields: error.fieldErrors.map((e) => e.field) },
    });
    return withErrors(await showAgain(error), error);
  }
}
