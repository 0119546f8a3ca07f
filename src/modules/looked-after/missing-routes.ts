import type { FastifyInstance } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import {
  checkInterview,
  checkMissingStart,
  checkReturn,
  returnInterviewStatus,
} from "../../domain/looked-after-rules.ts";
import { missingKinds } from "../../domain/ssda903.ts";
import { addMonths } from "../../domain/working-days.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import {
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { recordEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import {
  actorOf,
  codeText,
  episodeIdFrom,
  mayRecord,
  radioItems,
  STALE_MESSAGE,
  type Form,
} from "./common.ts";
import { dateTimeParts, londonDateTime, readDateTime, refuseBreaches } from "./input.ts";
import {
  claEpisodesOf,
  lockChild,
  missingEpisodesOf,
  type StoredMissingEpisode,
} from "./queries.ts";

/**
 * Missing (M) and away from placement without authorisation (A): when the child went, when and
 * where they were found, and the return home interview, which must be offered within 72 hours
 * of their return. Times are entered as a date and a time on a clock in England.
 */

const statusTags = {
  missing: { text: "Still missing", colour: "red" },
  due: { text: "Interview due", colour: "yellow" },
  overdue: { text: "Interview overdue", colour: "red" },
  offered: { text: "Interview offered", colour: "blue" },
  accepted: { text: "Interview accepted", colour: "green" },
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

async function findMissing(
  ctx: RouteContext,
  personId: string,
  episodeId: string,
): Promise<StoredMissingEpisode> {
  const episode = (await missingEpisodesOf(ctx.db, personId)).find((e) => e.id === episodeId);
  if (!episode) throw notFound("Missing episode");
  return episode;
}

const kindWords = { M: "Went missing", A: "Away from placement without authorisation" };

export function registerMissingRoutes(app: FastifyInstance, services: AppServices): void {
  const base = "/people/:id/missing";

  addRoute(app, services, {
    method: "GET",
    url: base,
    permission: "journey.view",
    audit: "missing.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      if (person.via_break_glass) ctx.audit({ summary: { breakGlass: true } });
      return missingPage(ctx, person, {});
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: base,
    permission: "journey.record",
    audit: "missing.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await lockChild(ctx.db, person.id);
          const reader = new FormReader(form);
          const kind = reader.code("kind", missingKinds, "missing or away from placement", {
            required: true,
          });
          const startedAt = readDateTime(reader, "startedAt", "they went missing", {
            required: true,
          });
          reader.done();
          if (!kind || !startedAt) throw new AppError("validation", "Check the details");
          const [missing, claEpisodes] = await Promise.all([
            missingEpisodesOf(ctx.db, person.id),
            claEpisodesOf(ctx.db, person.id),
          ]);
          refuseBreaches(
            checkMissingStart(
              { dateOfBirth: person.date_of_birth },
              missing,
              claEpisodes,
              { kind, startedAt },
              ctx.now,
            ),
            ["startedAt"],
          );
          const episode = await ctx.db
            .insertInto("missing_episode")
            .values({
              la_id: actor.laId,
              person_id: person.id,
              kind,
              started_at: startedAt,
              recorded_by: actor.userId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await recordEvent(ctx.db, actor, {
            personId: person.id,
            occurredOn: londonDateTime(startedAt).date,
            kind: "missing_started",
            summary: `${kindWords[kind]} at ${londonDateTime(startedAt).time}`,
            subject: { type: "missing_episode", id: episode.id },
          });
          ctx.audit({ subjectType: "missing_episode", subjectId: episode.id, summary: { kind } });
          return { redirect: `/people/${person.id}/missing` };
        },
        () => missingPage(ctx, person, form),
      );
    },
  });

  const returnForm = (person: VisiblePerson, episode: StoredMissingEpisode, values: Form) => ({
    view: "looked-after/views/return.njk",
    data: { title: "Record the child's return", person, episode, values },
  });

  addRoute(app, services, {
    method: "GET",
    url: `${base}/:episodeId/return`,
    permission: "journey.record",
    audit: "missing.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const episode = await findMissing(ctx, person.id, episodeIdFrom(request));
      ctx.audit({ subjectType: "missing_episode", subjectId: episode.id });
      return returnForm(person, episode, { version: episode.version });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/:episodeId/return`,
    permission: "journey.record",
    audit: "missing.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const episodeId = episodeIdFrom(request);
      const form = (request.body ?? {}) as Form;
      let stale = false;
      return saveForm(
        ctx,
        async () => {
          await lockChild(ctx.db, person.id);
          const episode = await findMissing(ctx, person.id, episodeId);
          const reader = new FormReader(form);
          if (reader.version() !== episode.version) {
            stale = true;
            throw new AppError("conflict", STALE_MESSAGE);
          }
          const endedAt = readDateTime(reader, "endedAt", "they came back", { required: true });
          const whereFound = reader.text("whereFound", "where they were found", { max: 500 });
          reader.done();
          if (!endedAt) throw new AppError("validation", "Check the details");
          refuseBreaches(checkReturn(episode, endedAt, ctx.now), ["endedAt"]);
          const updated = await ctx.db
            .updateTable("missing_episode")
            .set({ ended_at: endedAt, where_found: whereFound, version: episode.version + 1 })
            .where("id", "=", episode.id)
            .where("version", "=", episode.version)
            .executeTakeFirst();
          if (updated.numUpdatedRows !== 1n) throw new AppError("conflict", STALE_MESSAGE);
          await recordEvent(ctx.db, actor, {
            personId: person.id,
            occurredOn: londonDateTime(endedAt).date,
            kind: "missing_ended",
            summary: `Came back at ${londonDateTime(endedAt).time}; return home interview to be offered within 72 hours`,
            subject: { type: "missing_episode", id: episode.id },
          });
          ctx.audit({ subjectType: "missing_episode", subjectId: episode.id });
          return { redirect: `/people/${person.id}/missing` };
        },
        async () => {
          const episode = await findMissing(ctx, person.id, episodeId);
          return returnForm(person, episode, stale ? { version: episode.version } : form);
        },
      );
    },
  });

  const interviewForm = (person: VisiblePerson, episode: StoredMissingEpisode, values: Form) => ({
    view: "looked-after/views/interview.njk",
    data: { title: "Return home interview", person, episode, values },
  });

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

  addRoute(app, services, {
    method: "GET",
    url: `${base}/:episodeId/interview`,
    permission: "journey.record",
    audit: "missing.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const episode = await findMissing(ctx, person.id, episodeIdFrom(request));
      ctx.audit({ subjectType: "missing_episode", subjectId: episode.id });
      return interviewForm(person, episode, interviewValues(episode));
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/:episodeId/interview`,
    permission: "journey.record",
    audit: "missing.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const episodeId = episodeIdFrom(request);
      const form = (request.body ?? {}) as Form;
      let stale = false;
      return saveForm(
        ctx,
        async () => {
          await lockChild(ctx.db, person.id);
          const episode = await findMissing(ctx, person.id, episodeId);
          const reader = new FormReader(form);
          if (reader.version() !== episode.version) {
            stale = true;
            throw new AppError("conflict", STALE_MESSAGE);
          }
          const offeredAt = readDateTime(reader, "offeredAt", "the interview was offered", {
            required: true,
          });
          const answer = reader.raw("accepted");
          const accepted = answer === "yes" ? true : answer === "no" ? false : null;
          if (!["yes", "no", "unknown"].includes(answer)) {
            reader.fail("accepted", "Select whether the child accepted the interview");
          }
          const heldAt = readDateTime(reader, "heldAt", "the interview was held", {
            required: false,
          });
          const childSaid = reader.text("childSaid", "what the child said", { max: 10000 });
          reader.done();
          if (!offeredAt) throw new AppError("validation", "Check the details");
          refuseBreaches(checkInterview(episode, { offeredAt, accepted, heldAt }, ctx.now), [
            "offeredAt",
            "heldAt",
          ]);
          const updated = await ctx.db
            .updateTable("missing_episode")
            .set({
              interview_offered_at: offeredAt,
              interview_accepted: accepted,
              interview_held_at: heldAt,
              child_said: childSaid,
              version: episode.version + 1,
            })
            .where("id", "=", episode.id)
            .where("version", "=", episode.version)
            .executeTakeFirst();
          if (updated.numUpdatedRows !== 1n) throw new AppError("conflict", STALE_MESSAGE);
          const outcome = heldAt
            ? "held"
            : accepted === null
              ? "offered"
              : accepted
                ? "accepted"
                : "declined";
          await recordEvent(ctx.db, actor, {
            personId: person.id,
            occurredOn: londonDateTime(heldAt ?? offeredAt).date,
            kind: "return_interview",
            summary: `Return home interview ${outcome}`,
            subject: { type: "missing_episode", id: episode.id },
          });
          ctx.audit({
            subjectType: "missing_episode",
            subjectId: episode.id,
            summary: { interview: outcome },
          });
          return { redirect: `/people/${person.id}/missing` };
        },
        async () => {
          const episode = await findMissing(ctx, person.id, episodeId);
          return interviewForm(person, episode, stale ? interviewValues(episode) : form);
        },
      );
    },
  });
}
