import type { FastifyInstance } from "fastify";
import { completeWork } from "../work/service.ts";
import type { ValueExpression } from "kysely";
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
import { AppError } from "../../platform/errors.ts";
import type { FormReader } from "../../platform/forms.ts";
import type { AppServices, RouteResult } from "../../platform/routes.ts";
import type { DB } from "../../platform/schema.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { lookedAfterPage } from "./cla-page.ts";
import { actorOf, codeText, LOOKED_AFTER, radioItems, selectItems, type Form } from "./common.ts";
import { normalisePostcode, refuseBreaches } from "./input.ts";
import { claEpisodesOf, updateAtVersion, type StoredClaEpisode } from "./queries.ts";
import {
  addChildPage,
  addEpisodeForm,
  addNewRecord,
  recordOnChronology,
  type EpisodeKind,
  type Recording,
} from "./record-routes.ts";

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

/** A form on the open episode: what it is now, the placement fields, and the reasons to choose. */
const episodeForm =
  (view: string, title: string, reasonItems: (values: Form) => unknown) =>
  (person: VisiblePerson, episode: StoredClaEpisode, values: Form) =>
    formView(view, title, person, values, {
      episode: {
        ...episode,
        legalStatusText: codeText(legalStatuses, episode.legalStatus),
        placementTypeText: codeText(placementTypes, episode.placementType),
      },
      reasonItems: reasonItems(values),
    });

const claEpisode: EpisodeKind<StoredClaEpisode> = {
  area: LOOKED_AFTER,
  subjectType: "cla_episode",
  name: "Episode",
  episodesOf: claEpisodesOf,
  // Only the open episode changes: one ended since the form was opened is stale too.
  isStale: (open, version) => version !== open.version || open.endDate !== null,
};

/** Opens an episode with the placement entered; returns its id. */
async function openEpisode(
  { ctx, actor, person }: Recording,
  start: { startDate: string; reasonNewEpisode: string; placement: Placement },
  referralId: ValueExpression<DB, "cla_episode", string | null>,
): Promise<string> {
  const { placement } = start;
  const episode = await ctx.db
    .insertInto("cla_episode")
    .values({
      la_id: actor.laId,
      person_id: person.id,
      referral_id: referralId,
      start_date: start.startDate,
      reason_new_episode: start.reasonNewEpisode,
      legal_status: placement.legalStatus,
      placement_type: placement.placementType,
      placement_provider: placement.placementProvider,
      placement_postcode: placement.placementPostcode,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await completeWork(ctx.db, actor, {
    personId: person.id,
    kinds: ["looked_after"],
    subject: { type: "cla_episode", id: episode.id },
    doneOn: start.startDate,
  });
  return episode.id;
}

async function startPeriodOfCare(recording: Recording, reader: FormReader): Promise<void> {
  const { ctx, person } = recording;
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
  const id = await openEpisode(
    recording,
    { startDate, reasonNewEpisode: "S", placement },
    referral?.id ?? null,
  );
  await recordOnChronology(
    recording,
    {
      occurredOn: startDate,
      kind: "cla_started",
      summary: `Became looked after: ${codeText(legalStatuses, placement.legalStatus)}; ${codeText(placementTypes, placement.placementType)}`,
      subject: { type: "cla_episode", id },
    },
    { reasonNewEpisode: "S", legalStatus: placement.legalStatus },
  );
}

async function changeEpisode(
  recording: Recording & { episode: StoredClaEpisode },
  reader: FormReader,
): Promise<void> {
  const { ctx, episode: open } = recording;
  const changeDate = reader.date("changeDate", "the date of the change", { required: true });
  const placement = readPlacement(reader);
  const reasonNewEpisode = reader.code("reasonNewEpisode", reasonsForNewEpisode, "what changed", {
    required: true,
  });
  reader.done();
  if (!changeDate || !placement || !reasonNewEpisode) {
    throw new AppError("validation", "Check the details");
  }
  const change = { ...placement, changeDate, reasonNewEpisode };
  refuseBreaches(checkChange(open, change, todayIn(ctx.now)), ["changeDate"]);
  await updateAtVersion(ctx.db, "cla_episode", open, { end_date: changeDate, reason_ceased: "X1" });
  // The next episode stays with the episode of need the ended one belonged to.
  const id = await openEpisode(
    recording,
    { startDate: changeDate, reasonNewEpisode, placement },
    ctx.db.selectFrom("cla_episode").select("referral_id").where("id", "=", open.id),
  );
  const changes = [
    placement.legalStatus !== open.legalStatus
      ? `legal status now ${codeText(legalStatuses, placement.legalStatus)}`
      : "",
    ["P", "B", "T", "U"].includes(reasonNewEpisode)
      ? `placement now ${codeText(placementTypes, placement.placementType)}`
      : "",
  ].filter(Boolean);
  await recordOnChronology(
    recording,
    {
      occurredOn: changeDate,
      kind: "cla_changed",
      summary: `${codeText(reasonsForNewEpisode, reasonNewEpisode)}: ${changes.join("; ")}`,
      subject: { type: "cla_episode", id },
    },
    { reasonNewEpisode, endedEpisode: open.id },
  );
}

async function endCare(
  recording: Recording & { episode: StoredClaEpisode },
  reader: FormReader,
): Promise<void> {
  const { ctx, person, episode: open } = recording;
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
  await updateAtVersion(ctx.db, "cla_episode", open, {
    end_date: endDate,
    reason_ceased: reasonCeased,
  });
  await recordOnChronology(
    recording,
    {
      occurredOn: endDate,
      kind: "cla_ceased",
      summary: `Ceased to be looked after: ${codeText(reasonsEpisodeCeased, reasonCeased)}`,
      subject: { type: "cla_episode", id: open.id },
    },
    { reasonCeased },
  );
}

export function registerClaRoutes(app: FastifyInstance, services: AppServices): void {
  const base = "/people/:id/looked-after";

  addChildPage(app, services, {
    url: base,
    area: LOOKED_AFTER,
    show: (ctx, person) => lookedAfterPage(ctx.db, actorOf(ctx), person, ctx.now),
  });

  addNewRecord(app, services, {
    area: LOOKED_AFTER,
    formUrl: `${base}/episodes/new`,
    url: `${base}/episodes`,
    show: (_ctx, person, values) => formView("start.njk", "Start a period of care", person, values),
    save: startPeriodOfCare,
  });

  addEpisodeForm(app, services, {
    ...claEpisode,
    url: `${base}/episodes/:episodeId/change`,
    saved: placementFieldsOf,
    show: episodeForm("change.njk", "Change of legal status or placement", (values) =>
      radioItems(
        reasonsForNewEpisode.filter((r) => r.code !== "S"),
        values.reasonNewEpisode,
      ),
    ),
    save: changeEpisode,
  });

  addEpisodeForm(app, services, {
    ...claEpisode,
    url: `${base}/episodes/:episodeId/end`,
    saved: (episode) => ({ version: episode.version }),
    show: episodeForm("end.njk", "End the period of care", (values) =>
      selectItems(
        reasonsEpisodeCeased.filter((r) => r.code !== "X1"),
        values.reasonCeased,
      ),
    ),
    save: endCare,
  });
}
