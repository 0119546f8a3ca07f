import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AuditKind } from "../../audit/kinds.ts";
import type { Actor } from "../../access/actor.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import {
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { recordEvent, type ChronologyEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { actorOf, episodeIdFrom, STALE_MESSAGE, type Area, type Form } from "./common.ts";
import { lockChild } from "./queries.ts";

/**
 * The scaffolding the looked-after and missing routes share, so each route says only what is
 * particular to it: the child's page, a form for a new record, and a form on an existing
 * episode. Every save locks the child's row first (so two saves on one child run one after
 * the other) and runs through saveForm, so a refused save leaves nothing saved and shows the
 * form again with the reasons.
 */

/** What a save works with: the request's transaction, who is recording, and on which child. */
export interface Recording {
  ctx: RouteContext;
  actor: Actor;
  person: VisiblePerson;
}

/** The child's page, for anyone who may see the child; emergency access is marked in the audit. */
export function addChildPage(
  app: FastifyInstance,
  services: AppServices,
  spec: {
    url: string;
    area: Area;
    show: (ctx: RouteContext, person: VisiblePerson) => Promise<RouteResult>;
  },
): void {
  addRoute(app, services, {
    method: "GET",
    url: spec.url,
    permission: "journey.view",
    audit: spec.area.view,
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      if (person.via_break_glass) ctx.audit({ summary: { breakGlass: true } });
      return spec.show(ctx, person);
    },
  });
}

/**
 * A route that records on the child: the journey.record permission, and the child seen other
 * than on emergency access alone (getPersonToRecordOn refuses that with a 403).
 */
function addRecordingRoute(
  app: FastifyInstance,
  services: AppServices,
  route: { method: "GET" | "POST"; url: string; audit: AuditKind },
  handle: (request: FastifyRequest, recording: Recording) => Promise<RouteResult>,
): void {
  addRoute(app, services, {
    ...route,
    permission: "journey.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      return handle(request, { ctx, actor, person });
    },
  });
}

/** Saves through saveForm with the child's row locked, then returns to the child's page. */
function saveLocked(
  { ctx, person }: Recording,
  area: Area,
  save: () => Promise<void>,
  showAgain: () => RouteResult | Promise<RouteResult>,
): Promise<RouteResult> {
  return saveForm(
    ctx,
    async () => {
      await lockChild(ctx.db, person.id);
      await save();
      return { redirect: `/people/${person.id}/${area.page}` };
    },
    showAgain,
  );
}

const formOf = (request: FastifyRequest) => (request.body ?? {}) as Form;

export interface NewRecordSpec {
  area: Area;
  /** Where the form is sent. */
  url: string;
  /** Where a blank form is shown, if not on the child's page. */
  formUrl?: string;
  show: (
    ctx: RouteContext,
    person: VisiblePerson,
    values: Form,
  ) => RouteResult | Promise<RouteResult>;
  /** Reads the form, checks the rules and writes; throws to refuse. */
  save: (recording: Recording, reader: FormReader) => Promise<void>;
}

/** A form that adds a new record for the child. */
export function addNewRecord(
  app: FastifyInstance,
  services: AppServices,
  spec: NewRecordSpec,
): void {
  const { area, show, save } = spec;
  if (spec.formUrl !== undefined) {
    const blank = { method: "GET", url: spec.formUrl, audit: area.view } as const;
    addRecordingRoute(app, services, blank, async (_request, { ctx, person }) =>
      show(ctx, person, {}),
    );
  }
  const send = { method: "POST", url: spec.url, audit: area.record } as const;
  addRecordingRoute(app, services, send, async (request, recording) => {
    const form = formOf(request);
    return saveLocked(
      recording,
      area,
      () => save(recording, new FormReader(form)),
      () => show(recording.ctx, recording.person, form),
    );
  });
}

/** What the forms on one kind of episode have in common. */
export interface EpisodeKind<E extends { id: string }> {
  area: Area;
  subjectType: string;
  /** What a wrong episode id is "not found" as. */
  name: string;
  /** The child's episodes of this kind. */
  episodesOf: (db: Db, personId: string) => Promise<E[]>;
  /** Whether a form sent at `version` no longer matches the episode as saved now. */
  isStale: (episode: E, version: number) => boolean;
}

export interface EpisodeFormSpec<E extends { id: string }> extends EpisodeKind<E> {
  /** Where the form is shown and sent; :episodeId names the episode. */
  url: string;
  /** The form's values from what is saved: to open it, and again after a stale edit. */
  saved: (episode: E) => Form;
  show: (person: VisiblePerson, episode: E, values: Form) => RouteResult;
  /** Reads the form, checks the rules and writes; throws to refuse. */
  save: (recording: Recording & { episode: E }, reader: FormReader) => Promise<void>;
}

/** A form that changes one of the child's episodes, refusing a stale edit with a 409. */
export function addEpisodeForm<E extends { id: string }>(
  app: FastifyInstance,
  services: AppServices,
  spec: EpisodeFormSpec<E>,
): void {
  const { area, saved, show } = spec;
  const find = async (ctx: RouteContext, personId: string, episodeId: string) => {
    const episode = (await spec.episodesOf(ctx.db, personId)).find((e) => e.id === episodeId);
    if (!episode) throw notFound(spec.name);
    return episode;
  };
  const open = { method: "GET", url: spec.url, audit: area.view } as const;
  addRecordingRoute(app, services, open, async (request, { ctx, person }) => {
    const episode = await find(ctx, person.id, episodeIdFrom(request));
    ctx.audit({ subjectType: spec.subjectType, subjectId: episode.id });
    return show(person, episode, saved(episode));
  });

  const send = { method: "POST", url: spec.url, audit: area.record } as const;
  addRecordingRoute(app, services, send, async (request, recording) => {
    const { ctx, person } = recording;
    const episodeId = episodeIdFrom(request);
    const form = formOf(request);
    let stale = false;
    return saveLocked(
      recording,
      area,
      async () => {
        const episode = await find(ctx, person.id, episodeId);
        const reader = new FormReader(form);
        if (spec.isStale(episode, reader.version())) {
          stale = true;
          throw new AppError("conflict", STALE_MESSAGE);
        }
        await spec.save({ ...recording, episode }, reader);
      },
      async () => {
        // After a stale edit the form shows what is saved now, not the refused answers.
        const episode = await find(ctx, person.id, episodeId);
        return show(person, episode, stale ? saved(episode) : form);
      },
    );
  });
}

/**
 * Adds the save to the child's chronology and names what it saved in the audit row (never
 * free text there), in the request's transaction.
 */
export async function recordOnChronology(
  { ctx, actor, person }: Recording,
  event: Omit<ChronologyEvent, "personId" | "subject"> & { subject: { type: string; id: string } },
  auditSummary?: Record<string, unknown>,
): Promise<void> {
  await recordEvent(ctx.db, actor, { personId: person.id, ...event });
  ctx.audit({
    subjectType: event.subject.type,
    subjectId: event.subject.id,
    summary: auditSummary,
  });
}
