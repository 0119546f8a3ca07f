/**
 * Route contracts (decision 0029): the zod schemas a route declares for its URL parameters,
 * query and body, parsed by the route kernel before the handler runs. A handler's input types
 * come from its schemas, so the schema and the type share one name.
 */
import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { AppError, type FieldError } from "./errors.ts";

export type Schema = z.ZodType;

export interface ContractSchemas<P extends Schema, Q extends Schema, B extends Schema> {
  /** The URL parameters: a value that breaks it (a malformed id) is "not found". */
  params?: P;
  query?: Q;
  /** The body; a function of the request's clock when a rule needs today (a date not ahead). */
  body?: B | ((now: Date) => B);
  /** A JSON result's shape: what is sent is parsed by it (unknown members dropped). */
  response?: Schema;
}

/** The parsed input a handler is given. A part with no schema is `unknown`. */
export interface RouteInput<P extends Schema, Q extends Schema, B extends Schema> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
}

/** Which parts of a route's request and response have a schema. */
export interface Contract {
  params: boolean;
  query: boolean;
  body: boolean;
  response: boolean;
  /** The handler reads `request.query` with no query schema (found in its source text). */
  readsRawQuery: boolean;
}

type Parsed =
  | { refusal: undefined; input: RouteInput<Schema, Schema, Schema> }
  | { refusal: "params" }
  | { refusal: "query" | "body"; error: AppError; input: RouteInput<Schema, Schema, Schema> };

export function parseContract(
  spec: ContractSchemas<Schema, Schema, Schema>,
  request: FastifyRequest,
  now: Date,
): Parsed {
  const params = spec.params ? spec.params.safeParse(request.params) : ok(request.params);
  if (!params.success) return { refusal: "params" };
  const query = spec.query ? spec.query.safeParse(request.query) : ok(request.query);
  const input = { params: params.data, query: query.data, body: undefined as unknown };
  if (!query.success) {
    return { refusal: "query", error: invalid(query.error, "Check what you searched for"), input };
  }
  const schema = typeof spec.body === "function" ? spec.body(now) : spec.body;
  const body = schema ? schema.safeParse(withDateInputs(request.body)) : ok(request.body);
  if (!body.success) {
    return { refusal: "body", error: invalid(body.error, "Check the details you entered"), input };
  }
  return { refusal: undefined, input: { ...input, body: body.data } };
}

function ok(data: unknown) {
  return { success: true as const, data, error: undefined };
}

/** Each field's first problem, named as the form names it (a date's day box: `doneOn-day`). */
export function fieldProblems(error: z.ZodError): FieldError[] {
  const problems: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join("-") || "body";
    if (!problems.some((p) => p.field === field)) problems.push({ field, message: issue.message });
  }
  return problems;
}

function invalid(error: z.ZodError, message: string): AppError {
  return new AppError("validation", message, fieldProblems(error));
}

const DATE_PART = /^(.+)-(day|month|year)$/;

/**
 * A GOV.UK date input sends `<name>-day`, `-month` and `-year`: they are gathered into one
 * `<name>: { day, month, year }` for the date-input schema, the other fields left as they are.
 */
export function withDateInputs(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const grouped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const part = DATE_PART.exec(name);
    if (!part?.[1] || !part[2] || typeof value !== "string") {
      grouped[name] = value;
      continue;
    }
    const date = grouped[part[1]];
    const parts = typeof date === "object" && date !== null ? date : {};
    grouped[part[1]] = { ...parts, [part[2]]: value };
  }
  return grouped;
}
