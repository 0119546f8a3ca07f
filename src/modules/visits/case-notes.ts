/**
 * Case notes as plain functions (the notes page and the JSON API call them). The caller has
 * checked the actor may see (to read) or record on (to add) the person, and validated the
 * input; each runs in the caller's transaction.
 */
import type { Actor } from "../../access/actor.ts";
import type { Db } from "../../platform/database.ts";
import { recordEvent } from "../chronology/record.ts";

/** The longest note a form or the API may send. */
export const NOTE_MAX = 20_000;

/** The person's case notes, newest first, each with its author and agency. */
export async function caseNotesOf(db: Db, personId: string) {
  return db
    .selectFrom("case_note as n")
    .innerJoin("app_user as u", "u.id", "n.author_id")
    .innerJoin("organisation as o", "o.id", "n.organisation_id")
    .select([
      "n.id",
      "n.occurred_on",
      "n.note",
      "n.recorded_at",
      "u.display_name as author_name",
      "o.name as agency",
    ])
    .where("n.person_id", "=", personId)
    .orderBy("n.occurred_on", "desc")
    .orderBy("n.recorded_at", "desc")
    .orderBy("n.id", "desc")
    .execute();
}

/** Adds a note and its chronology entry; returns the note's id. */
export async function addCaseNote(
  db: Db,
  actor: Actor,
  person: { id: string; la_id: string },
  note: { occurredOn: string; note: string },
): Promise<{ noteId: string }> {
  const saved = await db
    .insertInto("case_note")
    .values({
      la_id: person.la_id,
      person_id: person.id,
      occurred_on: note.occurredOn,
      note: note.note,
      author_id: actor.userId,
      organisation_id: actor.organisationId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: note.occurredOn,
    kind: "case_note",
    summary: `Case note from ${actor.organisationName}`,
    subject: { type: "case_note", id: saved.id },
  });
  return { noteId: saved.id };
}
