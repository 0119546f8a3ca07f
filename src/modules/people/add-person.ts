/**
 * Adding a person looks for them first (decision 0022): the form posts to /people/check, which
 * shows the records that may be the same person ("Is it one of these?") before anything is
 * created. Records the user may see are shown with enough to tell; of any other, the user
 * learns only that a possible match exists, and creating the record flags it for the front door.
 */
import type { FastifyInstance } from "fastify";
import type { Actor } from "../../access/actor.ts";
import { ethnicities, genders, labelFor } from "../../domain/code-lists.ts";
import { personFormData } from "./form-data.ts";
import { ageOn, formatDate, isChildOn, todayIn } from "../../domain/dates.ts";
import { formatNhsNumber } from "../../domain/identifiers.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { errorList, fieldErrors } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices } from "../../platform/routes.ts";
import {
  findPersonCandidates,
  matchReasonLabels,
  type HiddenCandidate,
  type PersonCandidate,
} from "./candidates.ts";
import { parsePersonForm, type PersonInput } from "./input.ts";

/** The add-person form's fields, carried through the check as hidden inputs. */
export const personFormFields = [
  "givenName",
  "familyName",
  "otherNames",
  "dateOfBirth-day",
  "dateOfBirth-month",
  "dateOfBirth-year",
  "sex",
  "ethnicity",
  "nhsNumber",
  "upn",
  "nhsNumberException",
  "nhsNumberExceptionNote",
] as const;

export function candidatesFor(db: Db, actor: Actor, input: PersonInput, now: Date) {
  return findPersonCandidates(
    db,
    actor,
    {
      givenName: input.givenName,
      familyName: input.familyName,
      dateOfBirth: input.dateOfBirth,
      nhsNumber: input.nhsNumber,
      upn: input.upn,
    },
    now,
  );
}

/**
 * Flags the new record against each possible match its recorder could not see, for the front
 * door to check (decision 0022). Returns how many were flagged.
 */
export async function flagPossibleDuplicates(
  db: Db,
  actor: Actor,
  personId: string,
  hidden: readonly HiddenCandidate[],
): Promise<number> {
  if (hidden.length === 0) return 0;
  await db
    .insertInto("possible_duplicate")
    .values(
      hidden.map((c) => ({
        la_id: actor.laId,
        person_id: personId,
        candidate_id: c.id,
        score: c.score,
        reasons: c.reasons,
        flagged_by: actor.userId,
      })),
    )
    .onConflict((oc) => oc.columns(["person_id", "candidate_id"]).doNothing())
    .execute();
  return hidden.length;
}

function checkPage(
  input: PersonInput,
  form: Record<string, unknown>,
  found: PersonCandidate[],
  today: string,
) {
  const shown = found.flatMap((c) => (c.visible ? [c] : []));
  const value = (name: string) => (typeof form[name] === "string" ? form[name] : "");
  return {
    view: "people/views/check.njk",
    data: {
      title: shown.length > 0 ? "Is it one of these people?" : "Check the details",
      hidden: personFormFields.map((name) => ({ name, value: value(name) })),
      details: [
        { key: "Name", value: `${input.givenName} ${input.familyName}` },
        ...(input.otherNames ? [{ key: "Other names", value: input.otherNames }] : []),
        {
          key: "Date of birth",
          value: input.dateOfBirth ? formatDate(input.dateOfBirth) : "Not known",
        },
        ...(input.sex ? [{ key: "Sex", value: labelFor(genders, input.sex) }] : []),
        ...(input.ethnicity
          ? [{ key: "Ethnicity", value: labelFor(ethnicities, input.ethnicity) }]
          : []),
        ...(input.nhsNumber
          ? [{ key: "NHS number", value: formatNhsNumber(input.nhsNumber) }]
          : []),
        ...(input.upn ? [{ key: "Unique pupil number", value: input.upn }] : []),
      ],
      candidates: shown.map((c) => ({
        id: c.id,
        name: `${c.givenName} ${c.familyName}`,
        dateOfBirth: c.dateOfBirth,
        age: c.dateOfBirth ? ageOn(c.dateOfBirth, today) : null,
        child: c.dateOfBirth ? isChildOn(c.dateOfBirth, today) : null,
        postcode: c.postcode,
        allocated: c.allocated,
        reasons: c.reasons.map((r) => matchReasonLabels[r]),
      })),
      // Only whether one exists: nothing of a record the user may not see.
      unseenMatch: found.some((c) => !c.visible),
    },
  };
}

export function registerAddPersonRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "POST",
    url: "/people/check",
    permission: "person.create",
    audit: "person.candidates",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const form = (request.body ?? {}) as Record<string, unknown>;
      let input: PersonInput;
      try {
        input = parsePersonForm(form, todayIn(ctx.now));
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "validation") throw error;
        ctx.setOutcome("failed");
        ctx.audit({
          summary: { reason: "validation", fields: error.fieldErrors.map((e) => e.field) },
        });
        return addPersonForm(form, 400, error);
      }
      if (form.change === "yes") return addPersonForm(form, 200);
      const found = await candidatesFor(ctx.db, actor, input, ctx.now);
      const shown = found.filter((c) => c.visible);
      // Who was shown is named, as for a search; of unseen matches only how many there were,
      // and their ids in the summary for information governance (the user saw nothing of them).
      ctx.audit({
        personIds: shown.map((c) => c.id),
        summary: {
          candidates: shown.length,
          unseenMatches: found.filter((c) => !c.visible).map((c) => c.id),
          byNhsNumber: input.nhsNumber !== null,
          byUpn: input.upn !== null,
          byDateOfBirth: input.dateOfBirth !== null,
        },
      });
      return checkPage(input, form, found, todayIn(ctx.now));
    },
  });
}

/** The add-person form with the values as typed (and its errors, if any). */
export function addPersonForm(form: Record<string, unknown>, status: number, error?: AppError) {
  return {
    view: "people/views/form.njk",
    status,
    data: {
      title: "Add a person",
      ...personFormData(form),
      ...(error ? { errors: errorList(error), fieldErrors: fieldErrors(error) } : {}),
    },
  };
}
