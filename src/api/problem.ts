/**
 * RFC 9457 problem details, the API's only error body (`application/problem+json`). `type` is a
 * URI reference into the docs page, so a developer can look each kind up; `errors` names every
 * field that is wrong, by JSON Pointer into what was sent.
 */
import type { FastifyReply } from "fastify";
import { z } from "zod";
import { httpStatus, type AppError, type ErrorCode } from "../platform/errors.ts";

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe("Each field that is wrong: a JSON Pointer into the request, and why."),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;

/** The kinds of problem, each with a title; the docs page lists them. */
export const problemTitles = {
  validation: "What you sent is not valid",
  not_found: "Not found",
  conflict: "Conflict",
  unauthenticated: "A valid access token is needed",
  forbidden: "Not allowed",
  too_many_attempts: "Too many requests",
  too_large: "What you sent is too large",
  unsupported_media_type: "Send JSON",
  server_error: "Something went wrong; nothing was saved",
} as const;
export type ProblemKind = keyof typeof problemTitles;

const statusOf: Record<ProblemKind, number> = {
  ...httpStatus,
  too_large: 413,
  unsupported_media_type: 415,
  server_error: 500,
};

export function problem(
  kind: ProblemKind,
  detail: string,
  errors?: { field: string; message: string }[],
): Problem {
  return {
    type: `/api/docs#problem-${kind}`,
    title: problemTitles[kind],
    status: statusOf[kind],
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function problemOf(error: AppError): Problem {
  const kind: ErrorCode = error.code;
  return problem(kind, error.message, error.fieldErrors);
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  void reply.header("cache-control", "no-store");
  if (body.status === 401) void reply.header("www-authenticate", 'Bearer realm="trellis-api"');
  return reply.code(body.status).type("application/problem+json").send(body);
}

/** Zod's issues as the problem's field list: a JSON Pointer into `where`, and the message. */
export function fieldErrorsOf(
  where: "body" | "query" | "params",
  error: z.ZodError,
): { field: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: pointer(where, [...path, key]),
        message: "is not a field this endpoint takes",
      }));
    }
    return [{ field: pointer(where, path), message: issue.message }];
  });
}

function pointer(where: string, path: string[]): string {
  return `/${[where, ...path].map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}
