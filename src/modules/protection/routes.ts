/**
 * Child protection: strategy discussions, section 47 enquiries, initial and review
 * conferences, CP plans and core groups (issue 3). Pages need journey.view and read through
 * getVisiblePerson; forms and saves need journey.record and write through getPersonToRecordOn
 * (so emergency access stays read-only). Each save runs in saveForm: a refused save leaves
 * nothing behind and shows the form again with the reasons.
 */
import { mayRecordOn } from "../../access/recording.ts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import { notFound } from "../../platform/errors.ts";
import { saveForm } from "../../platform/forms.ts";
import { addRoute, isUuid, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { saveInitialConference, saveReviewConference } from "./conferences.ts";
import { saveCoreGroup } from "./core-groups.ts";
import { actorOf, type Form } from "./form-support.ts";
import {
  coreGroupForm,
  initialConferenceForm,
  protectionPage,
  reviewConferenceForm,
  s47Form,
  strategyForm,
} from "./pages.ts";
import { planToRecordOn, s47ToRecordOn } from "./queries.ts";
import { saveS47Completion } from "./s47.ts";
import { saveStrategyDiscussion } from "./strategy.ts";

const VIEW = { permission: "journey.view", audit: "protection.view", personParam: "id" } as const;
const FORM = { permission: "journey.record", audit: "protection.view", personParam: "id" } as const;
const SAVE = {
  permission: "journey.record",
  audit: "protection.record",
  personParam: "id",
} as const;

/** A uuid from the URL or form, or a 404 (never a database error on a malformed id). */
function idFrom(value: unknown, what: string): string {
  if (!isUuid(value)) throw notFound(what);
  return value;
}

const param = (request: FastifyRequest, name: string): unknown =>
  (request.params as Record<string, unknown>)[name];

const protectionUrl = (person: VisiblePerson) => `/people/${person.id}/protection`;

async function loadS47(ctx: RouteContext, person: VisiblePerson, s47Id: string) {
  const s47 = await s47ToRecordOn(ctx.db, person.id, s47Id);
  if (!s47) throw notFound("Section 47 enquiry");
  ctx.audit({ subjectType: "s47_enquiry", subjectId: s47.id });
  return s47;
}

async function loadPlan(ctx: RouteContext, person: VisiblePerson, planId: string) {
  const plan = await planToRecordOn(ctx.db, person.id, planId);
  if (!plan) throw notFound("Child protection plan");
  ctx.audit({ subjectType: "cp_plan", subjectId: plan.id });
  return plan;
}

export function registerProtectionRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/protection",
    ...VIEW,
    handler: async (request, _reply, ctx) => {
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      const canRecord = mayRecordOn(actorOf(ctx), "journey.record", {
        viaBreakGlassOnly: person.via_break_glass,
      });
      return protectionPage(ctx.db, person, ctx.now, canRecord);
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/strategy-discussions/new",
    ...FORM,
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      return strategyForm(ctx.db, person, {});
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/strategy-discussions",
    ...SAVE,
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          const saved = await saveStrategyDiscussion(
            ctx.db,
            actorOf(ctx),
            person,
            form,
            todayIn(ctx.now),
          );
          ctx.audit({
            subjectType: "strategy_discussion",
            subjectId: saved.id,
            summary: {
              outcome: saved.outcome,
              attendees: saved.attendees,
              allStatutoryPartners: saved.allStatutoryPartners,
              ...(saved.s47Id ? { s47Enquiry: saved.s47Id } : {}),
            },
          });
          return { redirect: protectionUrl(person) };
        },
        () => strategyForm(ctx.db, person, form),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/s47/:s47Id/complete",
    ...FORM,
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const s47 = await loadS47(ctx, person, idFrom(param(request, "s47Id"), "Section 47 enquiry"));
      return s47Form(person, s47, { version: String(s47.version) });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/s47/:s47Id/complete",
    ...SAVE,
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const s47Id = idFrom(param(request, "s47Id"), "Section 47 enquiry");
      const form = (request.body ?? {}) as Form;
      ctx.audit({ subjectType: "s47_enquiry", subjectId: s47Id });
      return saveForm(
        ctx,
        async () => {
          const saved = await saveS47Completion(
            ctx.db,
            actorOf(ctx),
            person,
            s47Id,
            form,
            todayIn(ctx.now),
          );
          ctx.audit({ summary: { outcome: saved.outcome } });
          return { redirect: protectionUrl(person) };
        },
        async () => s47Form(person, await loadS47(ctx, person, s47Id), form),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/conferences/new",
    ...FORM,
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const query = request.query as Record<string, unknown>;
      const today = todayIn(ctx.now);
      if (query.plan !== undefined) {
        const plan = await loadPlan(ctx, person, idFrom(query.plan, "Child protection plan"));
        return reviewConferenceForm(person, plan, { version: String(plan.version) }, today);
      }
      const s47 = await loadS47(ctx, person, idFrom(query.s47, "Section 47 enquiry"));
      return initialConferenceForm(ctx.db, person, s47, {}, today);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/conferences",
    ...SAVE,
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = (request.body ?? {}) as Form;
      const today = todayIn(ctx.now);
      const actor = actorOf(ctx);
      const isReview = typeof form.planId === "string" && form.planId !== "";
      const id = isReview
        ? idFrom(form.planId, "Child protection plan")
        : idFrom(form.s47Id, "Section 47 enquiry");
      ctx.audit({ subjectType: isReview ? "cp_plan" : "s47_enquiry", subjectId: id });
      return saveForm(
        ctx,
        async () => {
          const saved = isReview
            ? await saveReviewConference(ctx.db, actor, person, id, form, today)
            : await saveInitialConference(ctx.db, actor, person, id, form, today);
          ctx.audit({
            subjectType: "cp_conference",
            subjectId: saved.id,
            summary: {
              kind: saved.kind,
              decision: saved.decision,
              ...(saved.planId ? { cpPlan: saved.planId } : {}),
            },
          });
          return { redirect: protectionUrl(person) };
        },
        async () =>
          isReview
            ? reviewConferenceForm(person, await loadPlan(ctx, person, id), form, today)
            : initialConferenceForm(ctx.db, person, await loadS47(ctx, person, id), form, today),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/cp-plans/:planId/core-groups/new",
    ...FORM,
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const plan = await loadPlan(ctx, person, idFrom(param(request, "planId"), "Plan"));
      return coreGroupForm(person, plan, {});
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/cp-plans/:planId/core-groups",
    ...SAVE,
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const planId = idFrom(param(request, "planId"), "Child protection plan");
      const form = (request.body ?? {}) as Form;
      ctx.audit({ subjectType: "cp_plan", subjectId: planId });
      return saveForm(
        ctx,
        async () => {
          const saved = await saveCoreGroup(
            ctx.db,
            actorOf(ctx),
            person,
            planId,
            form,
            todayIn(ctx.now),
          );
          ctx.audit({
            subjectType: "core_group",
            subjectId: saved.id,
            summary: { cpPlan: planId, first: saved.first },
          });
          return { redirect: protectionUrl(person) };
        },
        async () => coreGroupForm(person, await loadPlan(ctx, person, planId), form),
      );
    },
  });
}
