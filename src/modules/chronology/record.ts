import type { Actor } from "../../access/actor.ts";
import type { ChronologyKind } from "../../domain/chronology.ts";
import type { Db } from "../../platform/database.ts";

/** One significant event on a person's chronology, recorded by the acting user's agency. */
export interface ChronologyEvent {
  personId: string;
  occurredOn: string;
  kind: ChronologyKind;
  /** A short factual sentence; shown to everyone who may see the person's record. */
  summary: string;
  /** The record this event summarises, e.g. { type: "assessment", id }. */
  subject?: { type: string; id: string };
}

/**
 * The one way any module adds to a chronology: inside the caller's transaction, so the event
 * is saved with the record it describes or not at all.
 */
export async function recordEvents(
  tx: Db,
  actor: Actor,
  events: readonly ChronologyEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insertInto("chronology_entry")
    .values(
      events.map((event) => ({
        la_id: actor.laId,
        person_id: event.personId,
        occurred_on: event.occurredOn,
        kind: event.kind,
        summary: event.summary,
        organisation_id: actor.organisationId,
        recorded_by: actor.userId,
        subject_type: event.subject?.type ?? null,
        subject_id: event.subject?.id ?? null,
      })),
    )
    .execute();
}

export async function recordEvent(tx: Db, actor: Actor, event: ChronologyEvent): Promise<void> {
  await recordEvents(tx, actor, [event]);
}
