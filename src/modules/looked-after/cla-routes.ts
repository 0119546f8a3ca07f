import type { FastifyInstance } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import {
  checkChange,
  checkEndOfCare,
  checkNewPeriodOfCare,
  type Placement,
} from "../../domain/looked-after-rules.ts";
import {
  legalStatuses,
  placementProviders,
  placementTypes,
  reasonsEpisodeCeased,
  reasonsForNewEpisode,
} from "../../domain/ssda903.ts";
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
import { lookedAfterPage } from "./cla-page.ts";
import {
  actorOf,
  codeText,
  episodeIdFrom,
  radioItems,
  selectItems,
  STALE_MESSAGE,
  type Form,
} from "./common.ts";
import { normalisePostcode, refuseBreaches } from "./input.ts";
import { claEpisodesOf, lockChild, type StoredClaEpisode } from "./queries.ts";

/**
 * Looked-after children (SSDA903 episodes): start a period of care, change legal status or
 * placement (which ends the open episode with X1 and opens the next), end care, and record
 * reviews (review-routes.ts). Each write locks the child's row first, checks the rules in
 * src/domain/looked-after-rules.ts, and adds to the chronology in the same transaction.
 */

const placementFieldsOf = (e: StoredClaEpisode): Form => ({
  legalStatus: e.legalStatus,
  placementType: e.placementType,
  placementProvider: e.placementProvider ?? "",
  placementPostcode: e.placementPostcode ?? "",
  version: e.version,
});

/** The legal status and placement fields, as entered. */
function readPlacement(reader: FormReader): Placement | null {
  const legalStatus = reader.code("legalStatus", legalStatuses, "the legal status", {
    required: true,
  });
  const placementType = reader.code("placementType", placementTypes, "the placement type", {
    required: true,
  });
  const placementProvider = reader.code(
    "placementProvider",
    placementProviders,
    "the placement provider",
  );
  const typed = reader.text("placementPostcode", "the placement postcode", { max: 10 });
  const placementPostcode = typed ? normalisePostcode(typed) : null;
  if (placementPostcode === undefined) {
    reader.fail("placementPostcode", "Enter a real postcode, like TS1 1AA, or leave it empty");
  }
  if (!legalStatus || !placementType || placementPostcode === undefined) return null;
  return { legalStatus, placementType, placementProvider, placementPostcode };
}

function formView(
  view: string,
  title: string,
  person: VisiblePerson,
  values: Form,
  more: Record<string, unknown> = {},
): RouteResult {
  return {
    view: `looked-after/views/${view}`,
    data: {
      title,
      person,
      values,
      legalStatusItems: selectItems(legalStatuses, values.legalStatus),
      placementTypeItems: selectItems(placementTypes, values.placementType),
      providerItems: selectItems(
        placementProviders,
        values.placementProvider,
        "None (temporary placement)",
      ),
      ...more,
    },
  };
}

async function findEpisode(ctx: RouteContext, personId: string, episodeId: string) {
  const episodes = await claEpisodesOf(ctx.db, personId);
  const episode = episodes.find((e) => e.id === episodeId);
  if (!episode) throw notFound("Episode");
  return { episode, episodes };
}

const describeEpisode = (e: StoredClaEpisode) => ({
  ...e,
  legalStatusText: codeText(legalStatuses, e.legalStatus),
  placementTypeText: codeText(placementTypes, e.placementType),
});

export function registerClaRoutes(app: FastifyInstance, services: AppServices): void {
  const base = "/people/:id/looked-after";

  addRoute(app, services, {
    method: "GET",
    url: base,
    permission: "journey.view",
    audit: "cla.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      if (person.via_break_glass) ctx.audit({ summary: { breakGlass: true } });
      return lookedAfterPage(ctx.db, actorOf(ctx), person, ctx.now);
    },
  });

  const startForm = (person: VisiblePerson, values: Form) =>
    formView("start.njk", "Start a period of care", person, values);

  addRoute(app, services, {
    method: "GET",
    url: `${base}/episodes/new`,
    permission: "journey.record",
    audit: "cla.view",
    personParam: "id",
    handler: async (request, _reply, ctx) =>
      startForm(await getPersonToRecordOn(ctx, personIdFrom(request)), {}),
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/episodes`,
    permission: "journey.record",
    audit: "cla.record",
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
          const startDate = reader.date("startDate", "the date the period of care started", {
            required: true,
          });
          const placement = readPlacement(reader);
          reader.done();
          if (!startDate || !placement) throw new AppError("validation", "Check the details");
          const today = todayIn(ctx.now);
          const episodes = await claEpisodesOf(ctx.db, person.id);
          const start = { ...placement, startDate };
          refuseBreaches(
            checkNewPeriodOfCare({ dateOfBirth: person.date_of_birth }, episodes, start, today),
            ["startDate"],
          );
          // The period of care belongs to the child's open episode of need, if there is one.
          const referral = await ctx.db
            .selectFrom("referral")
            .select("id")
            .where("person_id", "=", person.id)
            .where("closed_on", "is", null)
            .executeTakeFirst();
          const episode = await ctx.db
            .insertInto("cla_episode")
            .values({
              la_id: actor.laId,
              person_id: person.id,
              referral_id: referral?.id ?? null,
              start_date: startDate,
              reason_new_episode: "S",
              legal_status: placement.legalStatus,
              placement_type: placement.placementType,
              placement_provider: placement.placementProvider,
              placement_postcode: placement.placementPostcode,
              recorded_by: actor.userId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await recordEvent(ctx.db, actor, {
            personId: person.id,
            occurredOn: startDate,
            kind: "cla_started",
            summary: `Became looked after: ${codeText(legalStatuses, placement.legalStatus)}; ${codeText(placementTypes, placement.placementType)}`,
            subject: { type: "cla_episode", id: episode.id },
          });
          ctx.audit({
            subjectType: "cla_episode",
            subjectId: episode.id,
            summary: { reasonNewEpisode: "S", legalStatus: placement.legalStatus },
          });
          return { redirect: `/people/${person.id}/looked-after` };
        },
        () => startForm(person, form),
      );
    },
  });

  const changeForm = (person: VisiblePerson, episode: StoredClaEpisode, values: Form) =>
    formView("change.njk", "Change of legal status or placement", person, values, {
      episode: describeEpisode(episode),
      reasonItems: radioItems(
        reasonsForNewEpisode.filter((r) => r.code !== "S"),
        values.reasonNewEpisode,
      ),
    });

  addRoute(app, services, {
    method: "GET",
    url: `${base}/episodes/:episodeId/change`,
    permission: "journey.record",
    audit: "cla.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const { episode } = await findEpisode(ctx, person.id, episodeIdFrom(request));
      ctx.audit({ subjectType: "cla_episode", subjectId: episode.id });
      return changeForm(person, episode, placementFieldsOf(episode));
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/episodes/:episodeId/change`,
    permission: "journey.record",
    audit: "cla.record",
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
          const { episode: open } = await findEpisode(ctx, person.id, episodeId);
          const reader = new FormReader(form);
          if (reader.version() !== open.version || open.endDate !== null) {
            stale = true;
            throw new AppError("conflict", STALE_MESSAGE);
          }
          const changeDate = reader.date("changeDate", "the date of the change", {
            required: true,
          });
          const placement = readPlacement(reader);
          const reasonNewEpisode = reader.code(
            "reasonNewEpisode",
            reasonsForNewEpisode,
            "what changed",
            { required: true },
          );
          reader.done();
          if (!changeDate || !placement || !reasonNewEpisode) {
            throw new AppError("validation", "Check the details");
          }
          const change = { ...placement, changeDate, reasonNewEpisode };
          refuseBreaches(checkChange(open, change, todayIn(ctx.now)), ["changeDate"]);
          const ended = await ctx.db
            .updateTable("cla_episode")
            .set({ end_date: changeDate, reason_ceased: "X1", version: open.version + 1 })
            .where("id", "=", open.id)
            .where("version", "=", open.version)
            .executeTakeFirst();
          if (ended.numUpdatedRows !== 1n) throw new AppError("conflict", STALE_MESSAGE);
          const next = await ctx.db
            .insertInto("cla_episode")
            .values((eb) => ({
              la_id: actor.laId,
              person_id: person.id,
              referral_id: eb
                .selectFrom("cla_episode")
                .select("referral_id")
                .where("id", "=", open.id),
              start_date: changeDate,
              reason_new_episode: reasonNewEpisode,
              legal_status: placement.legalStatus,
              placement_type: placement.placementType,
              placement_provider: placement.placementProvider,
              placement_postcode: placement.placementPostcode,
              recorded_by: actor.userId,
            }))
            .returning("id")
            .executeTakeFirstOrThrow();
          const changes = [
            placement.legalStatus !== open.legalStatus
              ? `legal status now ${codeText(legalStatuses, placement.legalStatus)}`
              : "",
            ["P", "B", "T", "U"].includes(reasonNewEpisode)
              ? `placement now ${codeText(placementTypes, placement.placementType)}`
              : "",
          ].filter(Boolean);
          await recordEvent(ctx.db, actor, {
            personId: person.id,
            occurredOn: changeDate,
            kind: "cla_changed",
            summary: `${codeText(reasonsForNewEpisode, reasonNewEpisode)}: ${changes.join("; ")}`,
            subject: { type: "cla_episode", id: next.id },
          });
          ctx.audit({
            subjectType: "cla_episode",
            subjectId: next.id,
            summary: { reasonNewEpisode, endedEpisode: open.id },
          });
          return { redirect: `/people/${person.id}/looked-after` };
        },
        async () => {
          // After a stale edit the form shows what is saved now, not the refused answers.
          const { episode } = await findEpisode(ctx, person.id, episodeId);
          return changeForm(person, episode, stale ? placementFieldsOf(episode) : form);
        },
      );
    },
  });

  const endForm = (person: VisiblePerson, episode: StoredClaEpisode, values: Form) =>
    formView("end.njk", "End the period of care", person, values, {
      episode: describeEpisode(episode),
      reasonItems: selectItems(
        reasonsEpisodeCeased.filter((r) => r.code !== "X1"),
        values.reasonCeased,
      ),
    });

  addRoute(app, services, {
    method: "GET",
    url: `${base}/episodes/:episodeId/end`,
    permission: "journey.record",
    audit: "cla.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const { episode } = await findEpisode(ctx, person.id, episodeIdFrom(request));
      ctx.audit({ subjectType: "cla_episode", subjectId: episode.id });
      return endForm(person, episode, { version: episode.version });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/episodes/:episodeId/end`,
    permission: "journey.record",
    audit: "cla.record",
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
          const { episode: open } = await findEpisode(ctx, person.id, episodeId);
          const reader = new FormReader(form);
          if (reader.version() !== open.version || open.endDate !== null) {
            stale = true;
            throw new AppError("conflict", STALE_MESSAGE);
          }
          const endDate = reader.date("endDate", "the date care ended", { required: true });
          const reasonCeased = reader.code("reasonCeased", reasonsEpisodeCeased, "why care ended", {
            required: true,
          });
          reader.done();
          if (!endDate || !reasonCeased) throw new AppError("validation", "Check the details");
          refuseBreaches(
            checkEndOfCare(
              { dateOfBirth: person.date_of_birth },
              open,
              { endDate, reasonCeased },
              todayIn(ctx.now),
            ),
            ["endDate"],
          );
          const ended = await ctx.db
            .updateTable("cla_episode")
            .set({ end_date: endDate, reason_ceased: reasonCeased, version: open.version + 1 })
            .where("id", "=", open.id)
            .where("version", "=", open.version)
            .executeTakeFirst();
          if (ended.numUpdatedRows !== 1n) throw new AppError("conflict", STALE_MESSAGE);
          await recordEvent(ctx.db, actor, {
            personId: person.id,
            occurredOn: endDate,
            kind: "cla_ceased",
            summary: `Ceased to be looked after: ${codeText(reasonsEpisodeCeased, reasonCeased)}`,
            subject: { type: "cla_episode", id: open.id },
          });
          ctx.audit({ subjectType: "cla_episode", subjectId: open.id, summary: { reasonCeased } });
          return { redirect: `/people/${person.id}/looked-after` };
        },
        async () => {
          const { episode } = await findEpisode(ctx, person.id, episodeId);
          return endForm(person, episode, stale ? { version: episode.version } : form);
        },
      );
    },
  });
}
