import type { Actor } from "../../access/actor.ts";
import { AppError } from "../../platform/errors.ts";
import type { RouteContext } from "../../platform/routes.ts";

/** The signed-in actor; every route here needs a permission, so one is always present. */
export function actorOf(ctx: RouteContext): Actor {
  if (!ctx.actor) throw new AppError("unauthenticated", "Sign in first");
  return ctx.actor;
}

export type Form = Record<string, unknown>;

export function formOf(body: unknown): Form {
  return (body ?? {}) as Form;
}

/** The "not before the child's birth" limit for a date, when the date of birth is known. */
export function notBeforeBirth(dateOfBirth: string | null): {
  notBefore?: { date: string; what: string };
} {
  return dateOfBirth ? { notBefore: { date: dateOfBirth, what: "the child's date of birth" } } : {};
}
