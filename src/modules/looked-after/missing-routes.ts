import type { FastifyInstance } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import { checkInterview, returnInterviewStatus } from "../../domain/missing-rules.ts";
import { missingKinds } from "../../domain/ssda903.ts";
import { returnInterviewDue } from "../../domain/timescales.ts";
import { addMonths } from "../../domain/working-days.ts";
import { AppError } from "../../platform/errors.ts";
import type { FormReader } from "../../platform/forms.ts";
import type { AppServices, RouteContext, RouteResult } from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { actorOf, codeText, mayRecord, MISSING, radioItems, type Form } from "./common.ts";
import { dateTimeParts, londonDateTime, readDateTime, refuseBreaches } from "./input.ts";
import { missingEpisodesOf, updateAtVersion, type StoredMissingEpisode } from "./queries.ts";
import { endMissingEpisode, startMissingEpisode } from "./missing-service.ts";
import {
  addChildPage,
  addEpisodeForm,
  addNewRecord,
  recordOnChronology,
  type EpisodeKind,
  type Recording,
} from "./record-routes.ts";

/**
 * Missing (M) and away from placement without authorisation (A): when the child went, when and
 * where they were found, and the return home interview, which must be held within 72 hours
 * of their return (judged on when it is held, not when it was offered). Times are entered as a date and a time on a clock in England.
 */

const statusTags = {
  missing: { text: "Still missing", colour: "red" },
  due: { text: "Interview due", colour: "yellow" },
  overdue: { text: "Interview overdue", colour: "red" },
  offered: { text: "Interview offered", colour: "blue" },
  accepted: { text: "Interview accepted", colour: "blue" },
  held: { text: "Interview held", colour: "green" },
  held_late: { text: "Interview held late", colour: "orange" },
  declined: { text: "Interview declined", colour: "grey" },
} as const;

async function missingPage(
  ctx: RouteContext,
  person: VisiblePerson,
  values: Form,
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const episodes = await missingEpisodesOf(ctx.db, person.id);
  const yearAgo = addMonths(todayIn(ctx.now), -12);
  return {
    view: "looked-after/views/missing.njk",
    data: {
      title: `Missing episodes: ${person.given_name} ${person.family_name}`,
      person,
      values,
      kindItems: radioItems(missingKinds, values.kind),
      total: episodes.length,
      lastYear: episodes.filter((e) => todayIn(e.startedAt) >= yearAgo).length,
      episodes: episodes.map((e) => {
        const { status, dueAt, offeredLate } = returnInterviewStatus(e, ctx.now);
        return {
          ...e,
          kindText: codeText(missingKinds, e.kind),
          status,
          tag: statusTags[status],
          dueAt,
          offeredLate,
        };
      }),
      canRecord: mayRecord(actor, person),
    },
  };
}

const missingEpisode: EpisodeKind<StoredMissingEpisode> = {
  area: MISSING,
  subjectType: "missing_episode",
  name: "Missing episode",
  episodesOf: missingEpisodesOf,
  isStale: (episode, version) => version !== episode.version,
};

async function startMissing(recording: Recording, reader: FormReader): Promise<void> {
  const { ctx, actor, person } = recording;
  const kind = reader.code("kind", missingKinds, "missing or away from placement", {
    required: true,
  });
  const startedAt = readDateTime(reader, "startedAt", "they went missing", { required: true });
  reader.done();
  if (!kind || !startedAt) throw new AppError("validation", "Check the details");
  const { episodeId } = await startMissingEpisode(
    ctx.db,
    actor,
    person,
    { kind, startedAt },
    ctx.now,
  );
  ctx.audit({ subjectType: "missing_episode", subjectId: episodeId, summary: { kind } });
}

async function recordReturn(
  recording: Recording & { episode: StoredMissingEpisode },
  reader: FormReader,
): Promise<void> {
  const { ctx, episode } = recording;
  const endedAt = readDateTime(reader, "endedAt", "they came back", { required: true });
  const whereFound = reader.text("whereFound", "where they were found", { max: 500 });
  reader.done();
  if (!endedAt) throw new AppError("validation", "Check the details");
  await endMissingEpisode(
    ctx.db,
    recording.actor,
    recording.person,
    episode.id,
    { endedAt, whereFound },
    ctx.now,
  );
  ctx.audit({ subjectType: "missing_episode", subjectId: episode.id });
}

const interviewValues = (e: StoredMissingEpisode): Form => ({
  ...dateTimeParts("offeredAt", e.interviewOfferedAt),
  ...dateTimeParts("heldAt", e.interviewHeldAt),
  accepted:
    e.interviewOfferedAt === null
      ? ""
      : e.interviewAccepted === null
        ? "unknown"
        : e.interviewAccepted
          ? "yes"
          : "no",
  childSaid: e.childSaid,
  version: e.version,
});

async function recordInterview(
  recording: Recording & { episode: StoredMissingEpisode },
  reader: FormReader,
): Promise<void> {
  const { ctx, episode } = recording;
  const offeredAt = readDateTime(reader, "offeredAt", "the interview was offered", {
    required: true,
  });
  const answer = reader.raw("accepted");
  const accepted = answer === "yes" ? true : answer === "no" ? false : null;
  if (!["yes", "no", "unknown"].includes(answer)) {
    reader.fail("accepted", "Select whether the child accepted the interview");
  }
  const heldAt = readDateTime(reader, "heldAt", "the interview was held", { required: false });
  const childSaid = reader.text("childSaid", "what the child said", { max: 10000 });
  reader.done();
  if (!offeredAt) throw new AppError("validation", "Check the details");
  refuseBreaches(checkInterview(episode, { offeredAt, accepted, heldAt }, ctx.now), [
    "offeredAt",
    "heldAt",
  ]);
  await updateAtVersion(ctx.db, "missing_episode", episode, {
    interview_offered_at: offeredAt,
    interview_accepted: accepted,
    interview_held_at: heldAt,
    child_said: childSaid,
  });
  const late =
    heldAt !== null && episode.endedAt !== null && heldAt > returnInterviewDue(episode.endedAt);
  const outcome = heldAt
    ? late
      ? "held after the 72 hours"
      : "held"
    : accepted === null
      ? "offered"
      : accepted
        ? "accepted"
        : "declined";
  // What the child said stays on the episode: the chronology and audit name only the outcome.
  await recordOnChronology(
    recording,
    {
      occurredOn: londonDateTime(heldAt ?? offeredAt).date,
      kind: "return_interview",
      summary: `Return home interview ${outcome}`,
      subject: { type: "missing_episode", id: episode.id },
    },
    { interview: outcome },
  );
}

export function registerMissingRoutes(app: FastifyInstance, services: AppServices): void {
  const base = "/people/:id/missing";

  // The page holds the form to record that the child is missing.
  addChildPage(app, services, {
    url: base,
    area: MISSING,
    show: (ctx, person) => missingPage(ctx, person, {}),
  });

  addNewRecord(app, services, {
    area: MISSING,
    url: base,
    show: missingPage,
    save: startMissing,
  });

  addEpisodeForm(app, services, {
    ...missingEpisode,
    url: `${base}/:episodeId/return`,
    saved: (episode) => ({ version: episode.version }),
    show: (person, episode, values) => ({
      view: "looked-after/views/return.njk",
      data: { title: "Record the child's return", person, episode, values },
    }),
    save: recordReturn,
  });

  addEpisodeForm(app, services, {
    ...missingEpisode,
    url: `${base}/:episodeId/interview`,
    saved: interviewValues,
    show: (person, episode, values) => ({
      view: "looked-after/views/interview.njk",
      data: {
        title: "Return home interview",
        person,
        episode,
        values,
        dueAt: episode.endedAt && returnInterviewDue(episode.endedAt),
      },
    }),
    save: recordInterview,
  });
}
