import type { FastifyInstance } from "fastify";
import { can } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { todayIn } from "../../domain/dates.ts";
import { planTypeLabel, seenAloneProblem, visitSummary } from "../../domain/visits.ts";
import type { Db } from "../../platform/database.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import type { AppServices, RouteResult } from "../../platform/routes.ts";
import { addRoute } from "../../platform/routes.ts";
import { recordEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { actorOf, formOf, notBeforeBirth, type Form } from "./context.ts";
import { planTypeOn, visitSchedules } from "./due.ts";

/**
 * Statutory visits: the child's visits with when the next is due (journey.view), and recording
 * a visit (visit.record: social workers and team managers, not on emergency access). The plan
 * a visit was made under is taken from the plans open on the visit date, never from the form.
 */
const CHILD_VIEWS_MAX = 10_000;
const NOTE_MAX = 20_000;

async function visitsOf(db: Db, personId: string) {
  return db
    .selectFrom("visit as v")
    .innerJoin("app_user as u", "u.id", "v.visitor_id")
    .innerJoin("organisation as o", "o.id", "u.organisation_id")
    .select([
      "v.id",
      "v.visited_on",
      "v.plan_type",
      "v.seen",
      "v.seen_alone",
      "v.child_views",
      "v.note",
      "u.display_name as visitor_name",
      "o.name as visitor_agency",
    ])
    .where("v.person_id", "=", personId)
    .orderBy("v.visited_on", "desc")
    .orderBy("v.recorded_at", "desc")
    .execute();
}

const yesNoItems = (value: unknown) =>
  ["yes", "no"].map((v) => ({ value: v, text: v === "yes" ? "Yes" : "No", checked: value === v }));

function visitForm(person: VisiblePerson, values: Form): RouteResult {
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
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, personIdFrom(request));
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
    handler: async (request, _reply, ctx) =>
      visitForm(await getPersonToRecordOn(ctx, personIdFrom(request)), {}),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/visits",
    permission: "visit.record",
    audit: "visit.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = formOf(request.body);
      const today = todayIn(ctx.now);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const visitedOn = f.date("visitedOn", "the date of the visit", {
            required: true,
            notAfter: today,
            ...notBeforeBirth(person.date_of_birth),
          });
          const seen = f.yesNo("seen", "was the child seen", { required: true });
          const seenAlone = f.yesNo("seenAlone", "was the child seen alone", { required: true });
          const problem = seen !== null && seenAlone !== null && seenAloneProblem(seen, seenAlone);
          if (problem) f.fail("seenAlone", problem);
          const childViews = f.text("childViews", "the child's views", { max: CHILD_VIEWS_MAX });
          const note = f.text("note", "the note", { max: NOTE_MAX });
          f.done();
          if (visitedOn === null || seen === null || seenAlone === null)
            throw new Error("validated form lost a value");
          const planType = await planTypeOn(ctx.db, person.id, visitedOn);
          const visit = await ctx.db
            .insertInto("visit")
            .values({
              la_id: person.la_id,
              person_id: person.id,
              visited_on: visitedOn,
              plan_type: planType,
              seen,
              seen_alone: seenAlone,
              child_views: childViews,
              note,
              visitor_id: actor.userId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await recordEvent(ctx.db, actor, {
            personId: person.id,
            occurredOn: visitedOn,
            kind: "visit",
            summary: visitSummary(seen, seenAlone),
            subject: { type: "visit", id: visit.id },
          });
          ctx.audit({ subjectType: "visit", subjectId: visit.id, summary: { planType } });
          return { redirect: `/people/${person.id}/visits` };
        },
        () => visitForm(person, form),
      );
    },
  });
}
