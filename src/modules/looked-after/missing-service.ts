/**
 * Missing (M) and away from placement (A) episodes as plain functions of (db, actor, input,
 * now): the child's page and the JSON API (a police system reporting a child missing and
 * found) both call them. The caller has already checked the actor may record on the child,
 * and runs them in its transaction; a broken rule throws a validation error naming the field.
 */
import type { Actor } from "../../access/actor.ts";
import { checkMissingStart, checkReturn } from "../../domain/missing-rules.ts";
import type { Db } from "../../platform/database.ts";
import { notFound } from "../../platform/errors.ts";
import { recordEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { londonDateTime, refuseBreaches } from "./input.ts";
import { claEpisodesOf, lockChild, missingEpisodesOf, updateAtVersion } from "./queries.ts";

const kindWords = { M: "Went missing", A: "Away from placement without authorisation" };

export interface MissingStart {
  kind: "M" | "A";
  startedAt: Date;
}

/** Records that the child went missing; returns the episode's id. */
export async function startMissingEpisode(
  db: Db,
  actor: Actor,
  person: Pick<VisiblePerson, "id" | "date_of_birth">,
  start: MissingStart,
  now: Date,
  dateFields: readonly string[] = ["startedAt"],
): Promise<{ episodeId: string }> {
  await lockChild(db, person.id);
  const [missing, claEpisodes] = await Promise.all([
    missingEpisodesOf(db, person.id),
    claEpisodesOf(db, person.id),
  ]);
  refuseBreaches(
    checkMissingStart({ dateOfBirth: person.date_of_birth }, missing, claEpisodes, start, now),
    dateFields,
  );
  const episode = await db
    .insertInto("missing_episode")
    .values({
      la_id: actor.laId,
      person_id: person.id,
      kind: start.kind,
      started_at: start.startedAt,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { date, time } = londonDateTime(start.startedAt);
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: date,
    kind: "missing_started",
    summary: `${kindWords[start.kind]} at ${time}`,
    subject: { type: "missing_episode", id: episode.id },
  });
  return { episodeId: episode.id };
}

export interface MissingEnd {
  endedAt: Date;
  whereFound: string;
}

/** Records that the child came back (or was found); the return interview is then due. */
export async function endMissingEpisode(
  db: Db,
  actor: Actor,
  person: Pick<VisiblePerson, "id">,
  episodeId: string,
  end: MissingEnd,
  now: Date,
  dateFields: readonly string[] = ["endedAt"],
): Promise<void> {
  await lockChild(db, person.id);
  const episode = (await missingEpisodesOf(db, person.id)).find((e) => e.id === episodeId);
  if (!episode) throw notFound("Missing episode");
  refuseBreaches(checkReturn(episode, end.endedAt, now), dateFields);
  await updateAtVersion(db, "missing_episode", episode, {
    ended_at: end.endedAt,
    where_found: end.whereFound,
  });
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: londonDateTime(end.endedAt).date,
    kind: "missing_ended",
    summary: `Came back at ${londonDateTime(end.endedAt).time}; return home interview to be held within 72 hours`,
    subject: { type: "missing_episode", id: episode.id },
  });
}
