import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { can } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { todayIn } from "../../domain/dates.ts";
import { planTypeLabel, seenAloneProblem } from "../../domain/visits.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import { dateInput, PersonParams, text, yesNo } from "../../platform/schemas.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson } from "../people/routes.ts";
import { visitSchedules } from "./due.ts";
import { CHILD_VIEWS_MAX, recordVisit, VISIT_NOTE_MAX, visitsOf } from "./service.ts";

/**
 * Statutory visits: the child's visits with when the next is due (journey.view), and recording
 * a visit (visit.record: social workers and team managers, not on emergency access). The plan
 * a visit was made under is taken from the plans open on the visit date, never from the form.
 */

/** The visit form: a date not ahead of today (nor before the child's birth: the service's). */
const VisitForm = (now: Date) =>
  z
    .object({
      visitedOn: dateInput("the date of the visit", { required: true, notAfter: todayIn(now) }),
      seen: yesNo("was the child seen", { required: true }).pipe(z.boolean()),
      seenAlone: yesNo("was the child seen alone", { required: true }).pipe(z.boolean()),
      childViews: text("the child's views", { max: CHILD_VIEWS_MAX }),
      note: text("the note", { max: VISIT_NOTE_MAX }),
    })
    // Both answered: can they be true together? Asked even when other fields are wrong, so
    // every problem is named at once.
    .refine((visit) => !seenAloneProblem(visit.seen, visit.seenAlone), {
      message: seenAloneProblem(false, true) ?? "",
      path: ["seenAlone"],
      when: (payload) => {
        const value = payload.value as { seen?: unknown; seenAlone?: unknown };
        return typeof value.seen === "boolean" && typeof value.seenAlone === "boolean";
      },
    });

const yesNoItems = (value: unknown) =>
  ["yes", "no"].map((v) => ({ value: v, text: v === "yes" ? "Yes" : "No", checked: value === v }));

function visitForm(person: VisiblePerson, values: FormValues): RouteResult {
  return {
    view: "visits/views/visit-form.njk",
    data: {
      title: `Record a visit to ${person.given_name} ${person.family_name}`,
      person,
      values,
      seenItems: yesNoItems(values.seen),
      seenAloneItems: yesNoItems(values.seenAlone),
    },
  };
}

export function registerVisitRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/visits",
    permission: "journey.view",
    audit: "visit.view",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx, { params }) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, params.id);
      const today = todayIn(ctx.now);
      const [schedule] = await visitSchedules(ctx.db, person.la_id, [person.id], today);
      const visits = await visitsOf(ctx.db, person.id);
      ctx.audit({
        summary: { visits: visits.length, ...(person.via_break_glass ? { breakGlass: true } : {}) },
      });
      return {
        view: "visits/views/visits.njk",
        data: {
          title: `Visits to ${person.given_name} ${person.family_name}`,
          person,
          schedule: schedule && { ...schedule, planLabel: planTypeLabel(schedule.planType) },
          visits: visits.map((v) => ({
            ...v,
            planLabel: v.plan_type ? planTypeLabel(v.plan_type) : "Not on a plan",
          })),
          canRecord: can(actor, "visit.record") && mayAddToRecord(person.via_break_glass),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/visits/new",
    permission: "visit.record",
    audit: "visit.record.form",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx, { params }) =>
      visitForm(await getPersonToRecordOn(ctx, params.id), {}),
  });

  addFormRoute(app, services, {
    url: "/people/:id/visits",
    permission: "visit.record",
    audit: "visit.record",
    personParam: "id",
    params: PersonParams,
    body: VisitForm,
    load: (ctx, params) => getPersonToRecordOn(ctx, params.id),
    page: (_ctx, person, values) => visitForm(person, values),
    save: async (ctx, person, body) => {
      const { visitId, planType } = await recordVisit(ctx.db, actorOf(ctx), person, body);
      ctx.audit({ subjectType: "visit", subjectId: visitId, summary: { planType } });
      return { redirect: `/people/${person.id}/visits` };
    },
  });
}
