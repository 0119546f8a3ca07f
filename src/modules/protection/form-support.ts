/** Small pieces shared by the protection module's forms. */
import type { Actor } from "../../access/actor.ts";
import type { RuleProblem } from "../../domain/protection-rules.ts";
import { AppError } from "../../platform/errors.ts";
import type { FormReader } from "../../platform/forms.ts";
import type { RouteContext } from "../../platform/routes.ts";

export type Form = Record<string, unknown>;

/** Date inputs report their errors on the day box; rules about the whole record on the page. */
const DATE_FIELDS = new Set(["heldOn", "completedOn"]);

export function fieldFor(about: string): string {
  if (DATE_FIELDS.has(about)) return `${about}-day`;
  return about === "record" ? "main-content" : about;
}

/** Adds the domain rules' problems to the form's errors, each against its field. */
export function failOn(reader: FormReader, problems: readonly RuleProblem[]): void {
  for (const problem of problems) reader.fail(fieldFor(problem.about), problem.message);
}

/**
 * Puts the form's errors in the order of `fields` (the page's order), problems with the whole
 * record first, so the GOV.UK error summary reads top to bottom like the form.
 */
export function orderErrors(reader: FormReader, fields: readonly string[]): void {
  const rank = (field: string) => (field === "main-content" ? -1 : fields.indexOf(field));
  reader.errors.sort((a, b) => rank(a.field) - rank(b.field));
}

/** The first problem that no field on the form can fix, if any (the form is then not shown). */
export function blockingProblem(problems: readonly RuleProblem[]): string | undefined {
  return problems.find((p) => p.about === "record")?.message;
}

export function staleEdit(what: string): AppError {
  return new AppError(
    "conflict",
    `Someone else changed this ${what} after you opened it, so nothing was saved. Reload the page to see their changes, then try again`,
  );
}

export function actorOf(ctx: RouteContext): Actor {
  if (!ctx.actor) throw new AppError("unauthenticated", "Sign in first");
  return ctx.actor;
}

/** GOV.UK radio or select items from a code list, with the chosen one marked. */
export function choiceItems(
  list: readonly { code: string; label: string }[],
  chosen: unknown,
  mark: "checked" | "selected",
): Record<string, unknown>[] {
  return list.map((entry) => ({
    value: entry.code,
    text: entry.label,
    [mark]: entry.code === chosen,
  }));
}
