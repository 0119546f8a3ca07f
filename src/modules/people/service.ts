import type { Actor } from "../../access/actor.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import { recordEvent } from "../chronology/record.ts";
import { AppError } from "../../platform/errors.ts";
import type { PersonInput } from "./input.ts";
import { withUniqueNhsNumber } from "./nhs-number.ts";
import { findVisiblePerson } from "./queries.ts";

const columns = (input: PersonInput) => ({
  given_name: input.givenName,
  family_name: input.familyName,
  other_names: input.otherNames,
  date_of_birth: input.dateOfBirth,
  sex: input.sex,
  ethnicity: input.ethnicity,
  nhs_number: input.nhsNumber,
  upn: input.upn,
  nhs_number_exception: input.nhsNumberException,
  nhs_number_exception_note: input.nhsNumberExceptionNote,
});

/**
 * Records a new person. The practitioner who records them is allocated to them, within their
 * first team, so the record is never orphaned out of everyone's sight (decision 0005).
 */
export async function createPerson(
  tx: Db,
  actor: Actor,
  input: PersonInput,
  now: Date,
): Promise<string> {
  const teamId = actor.teamIds[0];
  if (!teamId) {
    throw new AppError("forbidden", "You are not in a team, so you cannot record a new person.");
  }
  const person = await withUniqueNhsNumber(tx, actor, input.nhsNumber, undefined, now, () =>
    tx
      .insertInto("person")
      .values({ la_id: actor.laId, ...columns(input) })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  const today = todayIn(now);
  await tx
    .insertInto("allocation")
    .values({
      la_id: actor.laId,
      person_id: person.id,
      worker_id: actor.userId,
      team_id: teamId,
      start_date: today,
    })
    .execute();
  await recordEvent(tx, actor, {
    personId: person.id,
    occurredOn: today,
    kind: "record_created",
    summary: "Record created",
  });
  return person.id;
}

/**
 * Changes a person's details if nobody else has saved since the form was loaded (optimistic
 * concurrency on person.version); otherwise refuses, and the user's changes are shown again.
 */
export async function updatePerson(
  tx: Db,
  actor: Actor,
  personId: string,
  expectedVersion: number,
  input: PersonInput,
  now: Date,
): Promise<void> {
  const person = await findVisiblePerson(tx, actor, personId, now);
  if (!person) throw new AppError("not_found", "Person not found");
  const updated = await withUniqueNhsNumber(tx, actor, input.nhsNumber, personId, now, () =>
    tx
      .updateTable("person")
      .set({
        ...columns(input),
        // A number set aside by migration 015 is resolved once the record has its own.
        ...(input.nhsNumber ? { nhs_number_duplicate: null } : {}),
        version: expectedVersion + 1,
        updated_at: now,
      })
      .where("id", "=", personId)
      .where("version", "=", expectedVersion)
      .executeTakeFirst(),
  );
  if (updated.numUpdatedRows === 0n) {
    throw new AppError(
      "conflict",
      "Someone else changed this person's details while you were editing. Your changes have not been saved: check the current details and make your changes again.",
    );
  }
}
