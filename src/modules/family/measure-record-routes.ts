/**
 * Scoring a measure: choose the family member and the measure (only measures of a discipline the
 * actor writes), then fill in the form; the POST scores it and saves it through saveForm, so a
 * refused scoring leaves nothing behind.
 */
import type { FastifyInstance } from "fastify";
import type { Actor } from "../../access/actor.ts";
import { mayWriteDiscipline } from "../../access/family.ts";
import { measureDisciplineLabels } from "../../domain/family-safeguarding.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { errorList, fieldErrors, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import {
  familyIdFrom,
  getVisibleFamily,
  memberOf,
  requireRecordable,
  requireWriteDiscipline,
  workbookOf,
  type VisibleFamily,
} from "./family.ts";
import {
  activeInstruments,
  currentInstrument,
  latestPerCode,
  resolveInstrument,
  type AvailableInstrument,
} from "./instruments.ts";
import { auditPerson, familyOfRequest, formOf, type Form } from "./measure-context.ts";
import {
  alertsFromForm,
  blankForm,
  measureFormPage,
  saveMeasure,
  type MeasureFormContext,
} from "./measure-form.ts";
import { earlierGoals } from "./measure-queries.ts";

/** Who the actor may score which measures for: recordable members, writable disciplines. */
async function choices(ctx: RouteContext, actor: Actor, family: VisibleFamily) {
  const instruments = latestPerCode(await activeInstruments(ctx.db, family.laId));
  const members = family.members.filter(
    (m) =>
      !m.viaBreakGlassOnly && instruments.some((i) => mayWriteDiscipline(actor, i.discipline, m)),
  );
  const offered = instruments.filter((i) =>
    members.some((m) => mayWriteDiscipline(actor, i.discipline, m)),
  );
  return { members, offered };
}

async function choosePage(
  ctx: RouteContext,
  actor: Actor,
  family: VisibleFamily,
  values: Form,
  error?: AppError,
): Promise<RouteResult> {
  const { members, offered } = await choices(ctx, actor, family);
  return {
    view: "family/views/measure-new.njk",
    status: error ? 400 : 200,
    data: {
      title: "Score a measure",
      family,
      people: members.map((m) => ({
        value: m.id,
        text: m.name,
        hint: { text: m.adult ? "Adult" : "Child" },
        checked: values.person === m.id,
      })),
      instruments: offered.map((i) => ({
        value: i.instrument.id,
        text: i.instrument.name,
        hint: { text: measureDisciplineLabels[i.discipline] },
        checked: values.instrument === i.instrument.id,
      })),
      ...(error ? { errors: errorList(error), fieldErrors: fieldErrors(error) } : {}),
    },
  };
}

/** The person and measure of a form, checked: the actor must write the measure's discipline. */
async function formContext(
  ctx: RouteContext,
  actor: Actor,
  family: VisibleFamily,
  personId: unknown,
  entry: AvailableInstrument | undefined,
): Promise<MeasureFormContext> {
  const workbook = workbookOf(family);
  const member = memberOf(family, personId);
  auditPerson(ctx, member);
  requireRecordable(family);
  if (!entry) throw notFound("Measure");
  requireWriteDiscipline(actor, member, entry.discipline);
  return {
    family,
    workbook,
    member,
    entry,
    earlierGoals: await earlierGoals(ctx.db, workbook.id, member.id, entry.instrument.id),
  };
}

export function registerMeasureRecordRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook/measures/new",
    permission: "workbook.write",
    audit: "measure.record.form",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const query = request.query as Form;
      const chosen = typeof query.person === "string" || typeof query.instrument === "string";
      if (!chosen) {
        const family = await getVisibleFamily(ctx, familyIdFrom(request));
        workbookOf(family);
        requireRecordable(family);
        return choosePage(ctx, actor, family, {});
      }
      const family = await familyOfRequest(ctx, request);
      workbookOf(family);
      const missing: { field: string; message: string }[] = [];
      if (!query.person)
        missing.push({ field: "person", message: "Select who the measure is for" });
      if (!query.instrument) missing.push({ field: "instrument", message: "Select a measure" });
      if (missing.length > 0) {
        ctx.audit({ personIds: family.members.map((m) => m.id) });
        const error = new AppError("validation", "Select who and which measure", missing);
        return choosePage(ctx, actor, family, query, error);
      }
      const code = String(query.instrument);
      const entry = await currentInstrument(ctx.db, family.laId, code);
      const fc = await formContext(ctx, actor, family, query.person, entry);
      return measureFormPage(fc, blankForm(ctx.now));
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/measures",
    permission: "workbook.write",
    audit: "measure.record",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await familyOfRequest(ctx, request);
      const form = formOf(request.body);
      const code = typeof form.instrument === "string" ? form.instrument : "";
      const version = typeof form.instrumentVersion === "string" ? form.instrumentVersion : "";
      const entry = await resolveInstrument(ctx.db, family.laId, code, version, {
        activeOnly: true,
      });
      const fc = await formContext(ctx, actor, family, form.person, entry);
      const { instrument } = fc.entry;
      return saveForm(
        ctx,
        async () => {
          const saved = await saveMeasure(ctx, actor, fc, form);
          ctx.audit({
            subjectType: "measure_result",
            subjectId: saved.resultId,
            summary: {
              instrument: instrument.id,
              version: instrument.version,
              alerts: saved.alerts,
            },
          });
          return { redirect: `/families/${family.id}/workbook/measures/${saved.resultId}` };
        },
        () => measureFormPage(fc, form, alertsFromForm(instrument, form)),
      );
    },
  });
}
