import { maySeeTeamWork } from "../../access/family.ts";
/**
 * Scored measures in the family Workbook (decision 0013): change over time for each person and
 * measure the actor may see, open alerts, scoring a measure, one result, acknowledging an
 * alert, and the council's own instruments. Mental health and substance misuse measures are
 * special category data: maySeeDiscipline decides, per person, whether they are shown at all.
 */
import type { FastifyInstance } from "fastify";
import { can } from "../../access/actor.ts";
import { maySeeDiscipline, mayWriteDiscipline } from "../../access/family.ts";
import { AppError } from "../../platform/errors.ts";
import { dateParts, errorList, fieldErrors, FormReader } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices } from "../../platform/routes.ts";
import { familyIdFrom, getVisibleFamily, workbookOf } from "./family.ts";
import { registerInstrumentRoutes } from "./instrument-routes.ts";
import { activeInstruments, allInstruments, instrumentKey } from "./instruments.ts";
import { changeOverTime, changeText, type Period } from "./measure-change.ts";
import type { Form } from "./measure-context.ts";
import { openAlertsOf, resultsOf } from "./measure-queries.ts";
import { registerMeasureRecordRoutes } from "./measure-record-routes.ts";
import { registerMeasureResultRoutes } from "./measure-result-routes.ts";

/**
 * The period filter: GOV.UK date inputs (from-day, from-month, from-year; likewise "to"), or
 * `from=YYYY-MM-DD&to=YYYY-MM-DD` in a link. Either end may be left open.
 */
function periodFrom(query: Form): { period: Period; values: Form; error?: AppError } {
  const values: Form = { ...query };
  for (const name of ["from", "to"]) {
    const iso = query[name];
    if (typeof iso === "string" && iso !== "") Object.assign(values, dateParts(name, iso));
  }
  const f = new FormReader(values);
  const from = f.date("from", "the start date", {});
  const to = f.date("to", "the end date", {});
  if (from && to && from > to) {
    f.fail("to-day", "The end date must be the same as or after the start date");
  }
  if (f.errors.length > 0) {
    const error = new AppError("validation", "Check the dates", f.errors);
    return { period: { from: null, to: null }, values, error };
  }
  return { period: { from, to }, values };
}

export function registerMeasureRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook/measures",
    permission: "family.view",
    audit: "measure.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      const workbook = workbookOf(family);
      const { period, values, error } = periodFrom(request.query as Form);
      const members = family.members;
      const memberById = new Map(members.map((m) => [m.id, m]));
      const seeable = (personId: string, discipline: string) => {
        const member = memberById.get(personId);
        return member !== undefined && maySeeDiscipline(actor, discipline, member);
      };
      const ids = members.map((m) => m.id);
      const results = (await resultsOf(ctx.db, workbook.id, ids)).filter((r) =>
        seeable(r.person_id, r.discipline),
      );
      const instruments = await allInstruments(ctx.db, family.laId);
      const names = new Map(
        instruments.map((a) => [
          instrumentKey(a.instrument.id, a.instrument.version),
          a.instrument.name,
        ]),
      );
      const groups = changeOverTime(results, members, instruments, period);
      const alerts = (await openAlertsOf(ctx.db, workbook.id, ids))
        .filter((a) => seeable(a.person_id, a.discipline))
        .map((a) => ({
          ...a,
          personName: memberById.get(a.person_id)?.name ?? "",
          instrumentName:
            names.get(instrumentKey(a.instrument_code, a.instrument_version)) ?? a.instrument_code,
        }));
      const scorable = await activeInstruments(ctx.db, family.laId);
      const canScore =
        can(actor, "workbook.write") &&
        members.some(
          (m) =>
            !m.viaBreakGlassOnly &&
            scorable.some((i) => mayWriteDiscipline(actor, i.discipline, m)),
        );
      ctx.audit({
        summary: {
          scorings: groups.reduce((n, g) => n + g.scorings.length, 0),
          ...(period.from || period.to ? { from: period.from, to: period.to } : {}),
          ...(members.some((m) => m.viaBreakGlassOnly) ? { breakGlass: true } : {}),
        },
      });
      return {
        view: "family/views/measures.njk",
        status: error ? 400 : 200,
        data: {
          teamWork: maySeeTeamWork(actorOf(ctx)),
          title: "Scored measures",
          family,
          workbook,
          period,
          values,
          alerts,
          canScore,
          groups: groups.map((g) => ({ ...g, changeText: changeText(g.change) })),
          unscored: members.filter((m) => !groups.some((g) => g.personId === m.id)),
          ...(error ? { errors: errorList(error), fieldErrors: fieldErrors(error) } : {}),
        },
      };
    },
  });

  registerMeasureRecordRoutes(app, services);
  registerMeasureResultRoutes(app, services);
  registerInstrumentRoutes(app, services);
}
