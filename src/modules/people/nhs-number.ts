/**
 * The NHS number is unique within a council (migration 015, decision 0023). A duplicate is a
 * field error: naming the record that holds it when the user may see that record, and a
 * neutral message otherwise, never the other record's details. The unique index decides a race
 * between two saves; the loser gets the same field error and nothing else is lost.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { personVisible } from "../../access/visibility.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";

export const NEUTRAL_DUPLICATE_MESSAGE =
  "This NHS number is already on another record. Contact the front door to check it.";

/** A duplicate NHS number; `existing` is set only when the user may see that record. */
export class DuplicateNhsNumber extends AppError {
  constructor(
    message: string,
    readonly existing?: { id: string; name: string },
  ) {
    super("validation", "Check the person's details", [{ field: "nhsNumber", message }]);
  }
}

async function duplicateError(
  db: Db,
  actor: Actor,
  nhsNumber: string,
  selfId: string | undefined,
  now: Date,
): Promise<DuplicateNhsNumber | undefined> {
  const holder = await db
    .selectFrom("person")
    .select(["person.id", "person.given_name", "person.family_name"])
    .select(personVisible(actor, now).as("visible"))
    .where("person.la_id", "=", actor.laId)
    .where("person.nhs_number", "=", nhsNumber)
    .$if(selfId !== undefined, (q) => q.where("person.id", "<>", selfId ?? ""))
    .executeTakeFirst();
  if (!holder) return undefined;
  if (!holder.visible) return new DuplicateNhsNumber(NEUTRAL_DUPLICATE_MESSAGE);
  const name = `${holder.given_name} ${holder.family_name}`;
  return new DuplicateNhsNumber(`This NHS number is already on ${name}'s record`, {
    id: holder.id,
    name,
  });
}

function isNhsNumberCollision(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, constraint, message } = error as Record<string, unknown>;
  return (
    code === "23505" &&
    (constraint === "person_nhs_number_unique" ||
      (typeof message === "string" && message.includes("person_nhs_number_unique")))
  );
}

/**
 * Runs a write that sets `nhsNumber` on a person (`selfId` when changing one): refused with a
 * field error if another record of the council holds it, before the write or, when two saves
 * race, by the unique index (the write rolls back to a savepoint and the request goes on).
 */
export async function withUniqueNhsNumber<T>(
  db: Db,
  actor: Actor,
  nhsNumber: string | null,
  selfId: string | undefined,
  now: Date,
  write: () => Promise<T>,
): Promise<T> {
  if (nhsNumber === null) return write();
  const early = await duplicateError(db, actor, nhsNumber, selfId, now);
  if (early) throw early;
  await sql`savepoint nhs_number_unique`.execute(db);
  try {
    const result = await write();
    await sql`release savepoint nhs_number_unique`.execute(db);
    return result;
  } catch (error) {
    await sql`rollback to savepoint nhs_number_unique`.execute(db);
    if (!isNhsNumberCollision(error)) throw error;
    throw (
      (await duplicateError(db, actor, nhsNumber, selfId, now)) ??
      new DuplicateNhsNumber(NEUTRAL_DUPLICATE_MESSAGE)
    );
  }
}
