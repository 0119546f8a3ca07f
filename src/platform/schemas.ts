/**
 * The schemas route contracts are built from (decision 0029), with the GOV.UK wording each
 * field's error uses. A form field arrives as text (or a list of text, for checkboxes); these
 * schemas turn it into the value a service takes, or name what is wrong in the user's terms.
 */
import { z } from "zod";
import type { CodeList } from "../domain/code-lists.ts";
import { formatDate, isCalendarDate } from "../domain/dates.ts";
import { controlCharacterMessage, hasControlCharacter } from "./input.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A record's id, as every table keys it (lower-case, as PostgreSQL writes a uuid). */
export const Id = z.string().regex(UUID, "Enter a valid id");
export type Id = z.infer<typeof Id>;

/** The parameters of a route about one person, `/people/:id/...`. */
export const PersonParams = z.object({ id: Id });
export type PersonParams = z.infer<typeof PersonParams>;

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A form's text, trimmed; a control character PostgreSQL cannot store is named, not saved. */
const formText = z
  .string({ error: "This answer must be text" })
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return "";
    if (hasControlCharacter(value)) {
      ctx.addIssue({ code: "custom", message: controlCharacterMessage("This answer") });
      return z.NEVER;
    }
    return value.trim();
  });

/** Trimmed text up to `max` characters (5,000 unless told); "" when left empty and optional. */
export function text(label: string, options: { required?: boolean; max?: number } = {}) {
  const max = options.max ?? 5000;
  return formText.superRefine((value, ctx) => {
    if (options.required && !value) ctx.addIssue({ code: "custom", message: `Enter ${label}` });
    else if (value.length > max) {
      ctx.addIssue({
        code: "custom",
        message: `${capitalise(label)} must be ${String(max)} characters or fewer`,
      });
    }
  });
}

/** An id chosen from a list on the form (a worker, a team), with the message for none. */
export function chosenId(message: string) {
  return formText.pipe(z.string().regex(UUID, message));
}

interface DateRules {
  /** The latest date allowed, as YYYY-MM-DD: today, for a date that has happened. */
  notAfter?: string;
  notBefore?: { date: string; what: string };
}

const dateParts = z
  .object({ day: formText, month: formText, year: formText }, { error: "Enter a date" })
  .optional();

function isoFrom(
  parts: z.output<typeof dateParts>,
  label: string,
  rules: DateRules & { required: boolean },
  ctx: z.RefinementCtx,
): string | null {
  // Errors point at the day box, as GOV.UK's date input pattern asks.
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message, path: ["day"] });
    return null;
  };
  const { day = "", month = "", year = "" } = parts ?? {};
  if (!day && !month && !year) return rules.required ? fail(`Enter ${label}`) : null;
  const Label = capitalise(label);
  if (!day || !month || !year) return fail(`${Label} must include a day, month and year`);
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  const digits = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year);
  // isCalendarDate keeps today's bounds (years 1850 to 2200), so PostgreSQL can hold it.
  if (!digits || !isCalendarDate(iso)) return fail(`${Label} must be a real date, like 27 3 2025`);
  if (rules.notAfter && iso > rules.notAfter) return fail(`${Label} must be today or in the past`);
  if (rules.notBefore && iso < rules.notBefore.date) {
    const { what, date } = rules.notBefore;
    return fail(`${Label} must be on or after ${what} (${formatDate(date)})`);
  }
  return iso;
}

/**
 * A GOV.UK date input (`<name>-day`, `-month`, `-year`, gathered by the kernel into one
 * `<name>` object) as an ISO date: a string when required, else a string or null.
 */
export function dateInput(
  label: string,
  rules: DateRules & { required: true },
): z.ZodType<string, z.input<typeof dateParts>>;
export function dateInput(
  label: string,
  rules?: DateRules & { required?: false },
): z.ZodType<string | null, z.input<typeof dateParts>>;
export function dateInput(label: string, rules: DateRules & { required?: boolean } = {}) {
  // A required date is never null: isoFrom adds an issue instead, so the parse fails.
  return dateParts.transform((parts, ctx) =>
    isoFrom(parts, label, { ...rules, required: rules.required ?? false }, ctx),
  ) as z.ZodType<string, z.input<typeof dateParts>>;
}

/** One code from a code list (radios or a select), e.g. `code(genders, "their gender")`. */
export function code<C extends string>(
  list: CodeList<C>,
  label: string,
  options: { required: true },
): z.ZodType<C, string | undefined>;
export function code<C extends string>(
  list: CodeList<C>,
  label: string,
  options?: { required?: false },
): z.ZodType<C | null, string | undefined>;
export function code<C extends string>(
  list: CodeList<C>,
  label: string,
  options: { required?: boolean } = {},
) {
  return formText.transform((value, ctx): C | null => {
    if (!value) {
      if (options.required) ctx.addIssue({ code: "custom", message: `Select ${label}` });
      return null;
    }
    const entry = list.find((e) => e.code === value);
    if (!entry) ctx.addIssue({ code: "custom", message: `Select ${label} from the list` });
    return entry ? entry.code : null;
  });
}

/** Checkboxes: none, one (sent as text) or many (a list) codes from a list, each once. */
export function checkboxes<C extends string>(list: CodeList<C>, label: string) {
  return z
    .union([z.string(), z.array(z.string())], { error: `Select ${label} from the list` })
    .optional()
    .transform((value, ctx): C[] => {
      const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
        (v) => v !== "",
      );
      const chosen = list.filter((e) => values.includes(e.code)).map((e) => e.code);
      if (values.some((v) => !list.some((e) => e.code === v))) {
        ctx.addIssue({ code: "custom", message: `Select ${label} from the list` });
      }
      return chosen;
    });
}

/** A yes/no radio: true, false, or null when unanswered and optional. */
export function yesNo(question: string, options: { required?: boolean } = {}) {
  return formText.transform((value, ctx): boolean | null => {
    if (value === "yes") return true;
    if (value === "no") return false;
    if (value || options.required) {
      ctx.addIssue({ code: "custom", message: `Select yes or no: ${question}` });
    }
    return null;
  });
}
