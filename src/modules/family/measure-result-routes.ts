/**
 * One scoring: its answers with their labels, total, band, the practitioner's judged level and
 * reason, who recorded it, and the alerts it raised; and acknowledging an alert. An alert is
 * acknowledged once: a second acknowledgement of the same alert is a conflict (409).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Actor } from "../../access/actor.ts";
import { mayAcknowledgeAlert } from "../../access/family-measures.ts";
import { measureDisciplineLabels } from "../../domain/family-safeguarding.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import {
  memberOf,
  requireRecordable,
  requireSeeDiscipline,
  workbookOf,
  type FamilyMember,
  type VisibleFamily,
} from "./family.ts";
import { resolveInstrument } from "./instruments.ts";
import { levelLabel } from "./measure-change.ts";
import { auditPerson, familyOfRequest, formOf, uuidParam, type Form } from "./measure-context.ts";
import { alertById, alertsOfResult, resultById, type MeasureResultRow } from "./measure-queries.ts";

const NOTE_MAX = 2000;

interface Seen {
  family: VisibleFamily;
  member: FamilyMember;
  result: MeasureResultRow;
}

/** A result the actor may see: its person visible, its discipline open to them; else 404. */
async function visibleResult(
  ctx: RouteContext,
  actor: Actor,
  family: VisibleFamily,
  resultId: string,
): Promise<Seen> {
  const workbook = workbookOf(family);
  const result = await resultById(ctx.db, workbook.id, resultId);
  if (!result) throw notFound("Measure");
  const member = memberOf(family, result.person_id);
  auditPerson(ctx, member);
  requireSeeDiscipline(actor, member, result.discipline);
  return { family, member, result };
}

async function resultPage(
  ctx: RouteContext,
  actor: Actor,
  { family, member, result }: Seen,
  values: { alertId?: string; note?: string } = {},
): Promise<RouteResult> {
  const entry = await resolveInstrument(
    ctx.db,
    family.laId,
    result.instrument_code,
    result.instrument_version,
  );
  const instrument = entry?.instrument;
  const computed = instrument?.bands.find((b) => b.level === result.computed_level);
  const judged = instrument?.bands.find((b) => b.level === result.judged_level);
  const alerts = await alertsOfResult(ctx.db, workbookOf(family).id, result.id);
  const answers = (instrument?.items ?? []).map((item) => {
    const value = result.answers[item.id];
    const option = item.options.find((o) => o.value === value);
    return { label: item.label, answer: option?.label ?? "Not recorded", value };
  });
  const notes = [computed?.note, judged && judged !== computed ? judged.note : undefined];
  return {
    view: "family/views/measure-result.njk",
    data: {
      title: `${instrument?.name ?? result.instrument_code} for ${member.name}`,
      family,
      member,
      result,
      instrumentName: instrument?.name ?? result.instrument_code,
      discipline: measureDisciplineLabels[result.discipline],
      computedLabel: levelLabel(instrument, result.computed_level),
      judgedLabel: levelLabel(instrument, result.judged_level),
      overridden: result.judged_level !== result.computed_level,
      bandNotes: notes.filter((n): n is string => Boolean(n)),
      answers,
      alerts: alerts.map((a) => ({
        ...a,
        canAcknowledge:
          a.acknowledged_at === null && mayAcknowledgeAlert(actor, a.discipline, member),
        note: a.id === values.alertId ? (values.note ?? "") : "",
      })),
    },
  };
}

function noteOf(form: Form): string {
  return typeof form.note === "string" ? form.note : "";
}

function alertIdFrom(request: FastifyRequest): string {
  return uuidParam(request, "alertId");
}

export function registerMeasureResultRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook/measures/:resultId",
    permission: "family.view",
    audit: "measure.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await familyOfRequest(ctx, request);
      const seen = await visibleResult(ctx, actor, family, uuidParam(request, "resultId"));
      ctx.audit({ subjectType: "measure_result", subjectId: seen.result.id });
      return resultPage(ctx, actor, seen);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/alerts/:alertId/acknowledge",
    permission: "workbook.write",
    audit: "measure.acknowledge",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await familyOfRequest(ctx, request);
      const workbook = workbookOf(family);
      const alert = await alertById(ctx.db, workbook.id, alertIdFrom(request));
      if (!alert) throw notFound("Alert");
      const seen = await visibleResult(ctx, actor, family, alert.measure_result_id);
      ctx.audit({ subjectType: "measure_alert", subjectId: alert.id });
      requireRecordable(family);
      if (!mayAcknowledgeAlert(actor, alert.discipline, seen.member)) {
        throw new AppError(
          "forbidden",
          "Only the family's practitioners may acknowledge an alert from a measure",
        );
      }
      const form = formOf(request.body);
      const field = `note-${alert.id}`;
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const note = f.raw("note");
          if (!note) f.fail(field, "Enter what has been done about the alert");
          else if (note.length > NOTE_MAX) {
            f.fail(field, `What has been done must be ${String(NOTE_MAX)} characters or fewer`);
          }
          f.done();
          const updated = await ctx.db
            .updateTable("measure_alert")
            .set({ acknowledged_by: actor.userId, acknowledged_at: ctx.now, acknowledgement: note })
            .where("id", "=", alert.id)
            .where("acknowledged_at", "is", null)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 0n) {
            throw new AppError(
              "conflict",
              "This alert has already been acknowledged by someone else. Their note is shown below.",
            );
          }
          return {
            redirect: `/families/${family.id}/workbook/measures/${alert.measure_result_id}#alert-${alert.id}`,
          };
        },
        () => resultPage(ctx, actor, seen, { alertId: alert.id, note: noteOf(form) }),
      );
    },
  });
}
