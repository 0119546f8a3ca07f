/** One error type for everything a user can be told about; mapped to HTTP at the edge. */
export type ErrorCode =
  "validation" | "not_found" | "conflict" | "unauthenticated" | "forbidden" | "too_many_attempts";

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const httpStatus: Record<ErrorCode, number> = {
  validation: 400,
  not_found: 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  too_many_attempts: 429,
};

export function notFound(what = "Page"): AppError {
  return new AppError("not_found", `${what} not found`);
}
