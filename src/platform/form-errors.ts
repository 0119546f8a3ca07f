import type { AppError } from "./errors.ts";

/** The shape of a page a route shows (a subset of RouteResult, kept here to avoid a cycle). */
type Shown =
  | { view: string; data?: Record<string, unknown>; status?: number }
  | { redirect: string }
  | { json: unknown; status?: number }
  | { sent: true };

/** The GOV.UK error summary list for an error. */
export function errorList(error: AppError): { text: string; href: string }[] {
  return error.fieldErrors.length > 0
    ? error.fieldErrors.map((e) => ({ text: e.message, href: `#${e.field}` }))
    : [{ text: error.message, href: "#main-content" }];
}

/** Field name to message, for each input's error message. */
export function fieldErrors(error: AppError): Record<string, string> {
  return Object.fromEntries(error.fieldErrors.map((e) => [e.field, e.message]));
}

/** A form page shown again: 400 (409 for a stale or refused change) with each field's error. */
export function withErrors<R extends Shown>(shown: R, error: AppError): R {
  if (!("view" in shown)) return shown;
  return {
    ...shown,
    status: error.code === "conflict" ? 409 : 400,
    data: { ...shown.data, errors: errorList(error), fieldErrors: fieldErrors(error) },
  };
}
