/**
 * The care leaver pages a personal adviser uses (decision 0038): the young person's page
 * (status, adviser, pathway plan and reviews, keeping-in-touch contacts with activity and
 * accommodation over time) and the forms to record them. Rules and records are the service's.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { can } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import {
  accommodationCodes,
  activityCodes,
  birthday,
  careLeaverStatuses,
  contactDue,
  contactWindow,
  deriveStatus,
  inTouchCodes,
  KEEP_IN_TOUCH_AGES,
  notAskedValue,
  pathwayReviewDue,
} from "../../domain/care-leavers.ts";
import { isCode, type CodeList } from "../../domain/code-list.ts";
import { todayIn } from "../../domain/dates.ts";
import { isOverdue } from "../../domain/timescales.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { dateInput, PersonParams, text } from "../../platform/schemas.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson } from "../people/routes.ts";
import { adviserChoices, careLeaverRecordOf } from "./queries.ts";
import {
  careEpisodesOf,
  recordContact,
  recordPathwayPlan,
  recordPathwayReview,
  recordStatus,
} from "./service.ts";

const StatusForm = (now: Date) =>
  z.object({
    status: text("their care leaver status"),
    effectiveOn: dateInput("the date the status applies from", {
      required: true,
      notAfter: todayIn(now),
    }),
    reason: text("why the status differs", { max: 2000 }),
    adviserId: text("the personal adviser", { max: 40 }),
  });

const PlanForm = (now: Date) =>
  z.object({
    agreedOn: dateInput("the date the plan was agreed", {
      required: true,
      notAfter: todayIn(now),
    }),
  });

const ReviewForm = (now: Date) =>
  z.object({
    heldOn: dateInput("the date of the review", { required: true, notAfter: todayIn(now) }),
  });

const ContactForm = (now: Date) =>
  z.object({
    contactOn: dateInput("the date of the contact", { required: true, notAfter: todayIn(now) }),
    inTouch: text("whether you were in touch", { max: 10 }),
    activity: text("their main activity", { max: 10 }),
    accommodation: text("their accommodation", { max: 10 }),
  });

const label = (list: CodeList, code: string | null) =>
  code ? (list.find((e) => e.code === code)?.label ?? code) : "Not recorded";

function name(person: VisiblePerson): string {
  return `${person.given_name} ${person.family_name}`;
}

function itemsOf(list: CodeList, chosen: unknown, placeholder?: string) {
  const items = list.map((e) => ({
    value: e.code,
    text: e.label,
    selected: e.code === chosen,
    checked: e.code === chosen,
  }));
  return placeholder ? [{ value: "", text: placeholder }, ...items] : items;
}

async function careLeaverPage(ctx: RouteContext, person: VisiblePerson): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const today = todayIn(ctx.now);
  const record = await careLeaverRecordOf(ctx.db, person.id);
  const dob = person.date_of_birth;
  const derived = dob ? deriveStatus(dob, await careEpisodesOf(ctx.db, person.id), today) : null;
  const current = record.statuses[0];
  const adviser = record.advisers.find((a) => a.end_date === null);
  const plan = record.plans[0];
  const nextReview = plan
    ? pathwayReviewDue(
        plan.agreed_on,
        record.reviews.filter((r) => r.pathway_plan_id === plan.id).map((r) => r.held_on),
      )
    : undefined;
  const due = dob
    ? contactDue(
        dob,
        today,
        record.contacts.map((c) => c.birthday_age),
      )
    : undefined;
  const contactFor = (age: number) => record.contacts.find((c) => c.birthday_age === age);
  return {
    view: "care-leavers/views/care-leaver.njk",
    data: {
      title: `Leaving care: ${name(person)}`,
      person,
      status: current ? { ...current, text: label(careLeaverStatuses, current.status) } : undefined,
      derived: derived
        ? {
            text: derived.status ? label(careLeaverStatuses, derived.status) : "Not a care leaver",
            reason: derived.reason,
          }
        : undefined,
      adviser,
      advisers: record.advisers,
      plan,
      nextReview: nextReview
        ? { dueOn: nextReview, overdue: isOverdue(nextReview, today) }
        : undefined,
      reviews: record.reviews,
      due,
      birthdays: dob
        ? KEEP_IN_TOUCH_AGES.map((age) => {
            const contact = contactFor(age);
            return { age, birthday: birthday(dob, age), ...contactWindow(dob, age), contact };
          })
        : [],
      contacts: record.contacts.map((c) => ({
        ...c,
        inTouchText: label(inTouchCodes, c.in_touch),
        activityText: c.activity
          ? label(activityCodes, c.activity)
          : isCode(inTouchCodes, c.in_touch) && notAskedValue(c.in_touch) === "0"
            ? "Not known: not in touch"
            : "Not asked",
        accommodationText: c.accommodation ? label(accommodationCodes, c.accommodation) : "",
      })),
      statuses: record.statuses.map((s) => ({
        ...s,
        text: label(careLeaverStatuses, s.status),
      })),
      canRecord: can(actor, "journey.record") && mayAddToRecord(person.via_break_glass),
    },
  };
}

async function statusPage(
  ctx: RouteContext,
  person: VisiblePerson,
  values: FormValues,
): Promise<RouteResult> {
  const advisers = await adviserChoices(ctx.db, person.la_id);
  const dob = person.date_of_birth;
  const derived = dob
    ? deriveStatus(dob, await careEpisodesOf(ctx.db, person.id), todayIn(ctx.now))
    : undefined;
  return {
    view: "care-leavers/views/status.njk",
    data: {
      title: "Care leaver status and personal adviser",
      person,
      values: { status: derived?.status ?? "", ...values },
      derived,
      derivedText: derived?.status ? label(careLeaverStatuses, derived.status) : undefined,
      statusItems: itemsOf(careLeaverStatuses, values.status ?? derived?.status),
      adviserItems: [
        { value: "", text: "Keep the current adviser" },
        ...advisers.map((a) => ({
          value: a.id,
          text: a.display_name,
          selected: a.id === values.adviserId,
        })),
      ],
    },
  };
}

function datePage(view: string, title: string, person: VisiblePerson, values: FormValues) {
  return { view: `care-leavers/views/${view}.njk`, data: { title, person, values } };
}

function contactPage(person: VisiblePerson, values: FormValues): RouteResult {
  return {
    view: "care-leavers/views/contact.njk",
    data: {
      title: "Record a keeping-in-touch contact",
      person,
      values,
      inTouchItems: inTouchCodes.map((e) => ({
        value: e.code,
        text: e.label,
        checked: e.code === values.inTouch,
      })),
      activityItems: itemsOf(activityCodes, values.activity, "Choose their main activity"),
      accommodationItems: itemsOf(
        accommodationCodes,
        values.accommodation,
        "Choose their accommodation",
      ),
    },
  };
}

const pageOf = (person: { id: string }) => `/people/${person.id}/care-leaver`;

export function registerCareLeaverRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/care-leaver",
    permission: "journey.view",
    audit: "care_leaver.view",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx, { params }) =>
      careLeaverPage(ctx, await getVisiblePerson(ctx, params.id)),
  });

  const form = (
    url: string,
    page: (ctx: RouteContext, person: VisiblePerson) => RouteResult | Promise<RouteResult>,
  ) => {
    addRoute(app, services, {
      method: "GET",
      url,
      permission: "journey.record",
      audit: "care_leaver.record.form",
      personParam: "id",
      params: PersonParams,
      handler: async (_request, _reply, ctx, { params }) =>
        page(ctx, await getPersonToRecordOn(ctx, params.id)),
    });
  };

  form("/people/:id/care-leaver/status", (ctx, person) => statusPage(ctx, person, {}));
  addFormRoute(app, services, {
    url: "/people/:id/care-leaver/status",
    permission: "journey.record",
    audit: "care_leaver.record",
    personParam: "id",
    params: PersonParams,
    body: StatusForm,
    load: (ctx, params) => getPersonToRecordOn(ctx, params.id),
    page: (ctx, person, values) => statusPage(ctx, person, values),
    save: async (ctx, person, body) => {
      const saved = await recordStatus(ctx.db, actorOf(ctx), {
        personId: person.id,
        ...body,
        today: todayIn(ctx.now),
        now: ctx.now,
      });
      ctx.audit({
        subjectType: "care_leaver_status",
        subjectId: saved.statusId,
        summary: {
          status: saved.status,
          derived: saved.derived,
          adviserAppointed: saved.appointmentId !== undefined,
        },
      });
      return { redirect: pageOf(person) };
    },
  });

  form("/people/:id/care-leaver/pathway-plan", (_ctx, person) =>
    datePage("plan", "Record a pathway plan", person, {}),
  );
  addFormRoute(app, services, {
    url: "/people/:id/care-leaver/pathway-plan",
    permission: "journey.record",
    audit: "care_leaver.record",
    personParam: "id",
    params: PersonParams,
    body: PlanForm,
    load: (ctx, params) => getPersonToRecordOn(ctx, params.id),
    page: (_ctx, person, values) => datePage("plan", "Record a pathway plan", person, values),
    save: async (ctx, person, body) => {
      const saved = await recordPathwayPlan(ctx.db, actorOf(ctx), {
        personId: person.id,
        ...body,
        today: todayIn(ctx.now),
        now: ctx.now,
      });
      ctx.audit({ subjectType: "pathway_plan", subjectId: saved.planId });
      return { redirect: pageOf(person) };
    },
  });

  form("/people/:id/care-leaver/reviews", (_ctx, person) =>
    datePage("review", "Record a pathway plan review", person, {}),
  );
  addFormRoute(app, services, {
    url: "/people/:id/care-leaver/reviews",
    permission: "journey.record",
    audit: "care_leaver.record",
    personParam: "id",
    params: PersonParams,
    body: ReviewForm,
    load: (ctx, params) => getPersonToRecordOn(ctx, params.id),
    page: (_ctx, person, values) =>
      datePage("review", "Record a pathway plan review", person, values),
    save: async (ctx, person, body) => {
      const saved = await recordPathwayReview(ctx.db, actorOf(ctx), {
        personId: person.id,
        ...body,
        today: todayIn(ctx.now),
        now: ctx.now,
      });
      ctx.audit({ subjectType: "pathway_plan_review", subjectId: saved.reviewId });
      return { redirect: pageOf(person) };
    },
  });

  form("/people/:id/care-leaver/contacts", (_ctx, person) => contactPage(person, {}));
  addFormRoute(app, services, {
    url: "/people/:id/care-leaver/contacts",
    permission: "journey.record",
    audit: "care_leaver.record",
    personParam: "id",
    params: PersonParams,
    body: ContactForm,
    load: (ctx, params) => getPersonToRecordOn(ctx, params.id),
    page: (_ctx, person, values) => contactPage(person, values),
    save: async (ctx, person, body) => {
      const saved = await recordContact(ctx.db, actorOf(ctx), {
        personId: person.id,
        ...body,
        today: todayIn(ctx.now),
        now: ctx.now,
      });
      ctx.audit({
        subjectType: "care_leaver_contact",
        subjectId: saved.contactId,
        summary: { birthday: saved.birthdayAge, inTouch: body.inTouch },
      });
      return { redirect: pageOf(person) };
    },
  });
}
