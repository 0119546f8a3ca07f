import type { FastifyRequest } from "fastify";
import type { FieldError } from "./errors.ts";

/**
 * The shape every route's input has before its handler sees it. A browser sends a form as
 * strings (a repeated name, for checkboxes, as a list of strings) and a query string with one
 * value per name. Anything else (a JSON number or object where text belongs, a control
 * character PostgreSQL cannot store in text) is refused by the route kernel with the fields
 * named, so no handler has to guard against it and nothing half-checked reaches the database.
 */

// C0 control characters and DEL, except tab, line feed and carriage return (text areas send them).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

/**
 * A query string with one value per name: a repeated name (`?name=a&name=b`) keeps its first
 * value, since no GET form here sends a list and handlers read each name as text.
 */
export function singleValues(query: unknown): Record<string, string> {
  const single: Record<string, string> = {};
  if (typeof query !== "object" || query === null) return single;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") single[name] = first;
  }
  return single;
}

function isFormValue(value: unknown): value is string | string[] {
  return (
    typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"))
  );
}

/**
 * What is wrong with a request's query, URL parameters and body, field by field. The body must
 * be what a browser's form sends: names with text, or lists of text (and, on a route that
 * declares an upload, that one field's file as bytes). A control character in a
 * form field is left to the form, which names the field and shows the answers again
 * (`FormReader`); in a query or URL there is no form to show again, so it is refused here.
 */
export function inputProblems(request: FastifyRequest, uploadField?: string): FieldError[] {
  const problems: FieldError[] = [];
  const controlCharacters = (values: Record<string, unknown>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === "string" && hasControlCharacter(value)) {
        problems.push({ field: name, message: controlCharacterMessage(name) });
      }
    }
  };
  controlCharacters((request.params ?? {}) as Record<string, unknown>);
  controlCharacters(request.query as Record<string, unknown>);
  const body: unknown = request.body;
  if (body === undefined || body === null) return problems;
  if (typeof body !== "object" || Array.isArray(body)) {
    problems.push({ field: "body", message: "The form could not be read. Go back and try again" });
    return problems;
  }
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    // An uploaded file arrives as bytes, and only in the one field its route declares.
    if (name === uploadField && Buffer.isBuffer(value)) continue;
    if (!isFormValue(value)) problems.push({ field: name, message: `${name} must be text` });
  }
  return problems;
}

export function controlCharacterMessage(what: string): string {
  return `${what} contains a character that cannot be saved, such as a null character. Remove it and try again`;
}

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22: a number or date out of range, text it
 * cannot store) come from what the user sent, not from a fault in the service.
 */
export function isDataException(error: unknown): boolean {
  const code: unknown =
    typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code);
}
