/** The person a call is about, when the client may see them; 404 otherwise, as for users. */
import type { Actor } from "../../access/actor.ts";
import { findVisiblePerson } from "../../modules/people/queries.ts";
import type { Db } from "../../platform/database.ts";
import { notFound } from "../../platform/errors.ts";

export async function visiblePerson(db: Db, actor: Actor, personId: string, now: Date) {
  const person = await findVisiblePerson(db, actor, personId, now);
  if (!person) throw notFound("Person");
  return person;
}
