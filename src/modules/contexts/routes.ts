/**
 * Contexts as subjects (a peer group, a place or a school): the list, referring one, and a
 * context's page with its assessment, plan by agency, reviews, and the children linked to it
 * that the actor may see.
 */
import type { FastifyInstance } from "fastify";
import type { Actor } from "../../access/actor.ts";
import { mayChangeContext, mayUpdateActionProgress } from "../../access/contexts.ts";
import { todayIn } from "../../domain/dates.ts";
import { notFound } from "../../platform/errors.ts";
import { saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { registerPlanRoutes } from "./plan-routes.ts";
import {
  actionsByAgency,
  contextActions,
  contextKinds,
  contextReviews,
  linkedChildren,
  visibleContexts,
  type ContextKind,
  type ContextView,
} from "./queries.ts";
import { formOf, visibleContext, type Form } from "./request.ts";
import { contextKindOf, referContext, subjectChoices, subjectFields } from "./service.ts";

async function contextPage(ctx: RouteContext, context: ContextView): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const today = todayIn(ctx.now);
  const open = !context.closedOn;
  const actions = (await contextActions(ctx.db, context.id, today)).map((a) => ({
    ...a,
    canUpdate: open && mayUpdateActionProgress(actor, a.ownerOrganisationId),
  }));
  const reviews = await contextReviews(ctx.db, context.id);
  const children = await linkedChildren(ctx.db, actor, ctx.now, context);
  ctx.audit({
    personIds: children.map((c) => c.id),
    subjectType: "context_case",
    subjectId: context.id,
    summary: { children: children.length },
  });
  return {
    view: "contexts/views/context.njk",
    data: {
      title: `${context.kindLabel}: ${context.name}`,
      context,
      agencies: actionsByAgency(actions),
      reviews,
      children,
      reviewOverdue: open && context.nextReviewOn !== null && context.nextReviewOn < today,
      canChange: open && mayChangeContext(actor),
    },
  };
}

function kindPage(values: Form): RouteResult {
  return {
    view: "contexts/views/new-kind.njk",
    data: {
      title: "Refer a context",
      kindItems: contextKinds.map((k) => ({
        value: k.code,
        text: k.label,
        checked: values.kind === k.code,
      })),
    },
  };
}

async function referralPage(
  ctx: RouteContext,
  actor: Actor,
  kind: ContextKind,
  values: Form,
): Promise<RouteResult> {
  const field = subjectFields[kind];
  const choices = await subjectChoices(ctx, actor, kind);
  const label = contextKinds.find((k) => k.code === kind)?.label ?? kind;
  return {
    view: "contexts/views/new.njk",
    data: {
      title: `Refer a context: ${label.toLowerCase()}`,
      kind,
      field,
      noChoices: choices.length === 0,
      choiceItems: [
        { value: "", text: "Choose one" },
        ...choices.map((c) => ({
          value: c.id,
          text: c.name,
          selected: values[field.name] === c.id,
        })),
      ],
      values,
    },
  };
}

export function registerContextRoutes(app: FastifyInstance, services: AppServices): void {
  registerReferralRoutes(app, services);
  registerPlanRoutes(app, services);
}

/** The list of contexts, referring one, and a context's page. */
function registerReferralRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/contexts",
    permission: "exploitation.view",
    audit: "context.view",
    handler: async (_request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const contexts = await visibleContexts(ctx.db, actor, ctx.now);
      const today = todayIn(ctx.now);
      ctx.audit({ subjectType: "context_case", summary: { contexts: contexts.length } });
      return {
        view: "contexts/views/list.njk",
        data: {
          title: "Contexts",
          contexts: contexts.map((c) => ({
            ...c,
            reviewOverdue: !c.closedOn && c.nextReviewOn !== null && c.nextReviewOn < today,
          })),
          canRefer: mayChangeContext(actor),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/contexts/new",
    permission: "context.record",
    audit: "context.record.form",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      if (!mayChangeContext(actor)) throw notFound("Page");
      const query = (request.query ?? {}) as Form;
      const kind = contextKindOf(query.kind);
      return kind ? referralPage(ctx, actor, kind, {}) : kindPage(query);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/contexts",
    permission: "context.record",
    audit: "context.record",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      if (!mayChangeContext(actor)) throw notFound("Page");
      const form = formOf(request);
      return saveForm(
        ctx,
        async () => ({ redirect: `/contexts/${await referContext(ctx, actor, form)}` }),
        () => {
          const kind = contextKindOf(form.kind);
          return kind ? referralPage(ctx, actor, kind, form) : kindPage(form);
        },
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/contexts/:id",
    permission: "exploitation.view",
    audit: "context.view",
    handler: async (request, _reply, ctx) => contextPage(ctx, await visibleContext(ctx, request)),
  });
}
