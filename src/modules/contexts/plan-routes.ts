/**
 * A context's assessment, the plan's actions and their progress, reviews and closure. Only the
 * LA's practitioners who run contexts change them; a partner agency reports progress on its
 * own actions (src/access/contexts.ts).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { mayUpdateActionProgress } from "../../access/contexts.ts";
import { todayIn } from "../../domain/dates.ts";
import { notFound } from "../../platform/errors.ts";
import { dateParts, saveForm } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { agencyChoices, contextActions, progressCodes, type ContextView } from "./queries.ts";
import {
  contextToChange,
  formOf,
  formPage,
  idParam,
  visibleContext,
  type Form,
} from "./request.ts";
import { addAction, addReview, closeContext, recordAssessment, updateProgress } from "./service.ts";

/** The assessment, the plan's actions and progress, reviews and closure. */
export function registerPlanRoutes(app: FastifyInstance, services: AppServices): void {
  const assessmentPage = (context: ContextView, values: Form) =>
    formPage("assessment", `Assessment of ${context.name}`, context, values);
  addRoute(app, services, {
    method: "GET",
    url: "/contexts/:id/assessment",
    permission: "context.record",
    audit: "context.record.form",
    handler: async (request, _reply, ctx) => {
      const context = await contextToChange(ctx, request);
      return assessmentPage(context, {
        assessment: context.assessment,
        version: String(context.version),
        ...dateParts("assessedOn", context.assessedOn),
      });
    },
  });
  addRoute(app, services, {
    method: "POST",
    url: "/contexts/:id/assessment",
    permission: "context.record",
    audit: "context.record",
    handler: async (request, _reply, ctx) => {
      const context = await contextToChange(ctx, request);
      const form = formOf(request);
      return saveForm(
        ctx,
        async () => {
          await recordAssessment(ctx, actorOf(ctx), context, form);
          return { redirect: `/contexts/${context.id}` };
        },
        // On a conflict the form shows the assessment saved now, with its newer version.
        (error) =>
          assessmentPage(
            context,
            error.code === "conflict"
              ? {
                  assessment: context.assessment,
                  version: String(context.version),
                  ...dateParts("assessedOn", context.assessedOn),
                }
              : form,
          ),
      );
    },
  });

  const actionPage = async (ctx: RouteContext, context: ContextView, values: Form) => {
    const agencies = await agencyChoices(ctx.db, actorOf(ctx));
    return formPage("action", `Add an action to the plan for ${context.name}`, context, values, {
      agencyItems: [
        { value: "", text: "Choose an agency" },
        ...agencies.map((a) => ({
          value: a.id,
          text: a.name,
          selected: values.ownerOrganisationId === a.id,
        })),
      ],
    });
  };
  addRoute(app, services, {
    method: "GET",
    url: "/contexts/:id/actions/new",
    permission: "context.record",
    audit: "context.record.form",
    handler: async (request, _reply, ctx) =>
      actionPage(ctx, await contextToChange(ctx, request), {}),
  });
  addRoute(app, services, {
    method: "POST",
    url: "/contexts/:id/actions",
    permission: "context.record",
    audit: "context.record",
    handler: async (request, _reply, ctx) => {
      const context = await contextToChange(ctx, request);
      const form = formOf(request);
      return saveForm(
        ctx,
        async () => {
          await addAction(ctx, actorOf(ctx), context, form);
          return { redirect: `/contexts/${context.id}` };
        },
        () => actionPage(ctx, context, form),
      );
    },
  });

  /** An action of a visible context whose progress the actor may update, else not found. */
  const actionToUpdate = async (ctx: RouteContext, request: FastifyRequest) => {
    const context = await visibleContext(ctx, request);
    const actionId = idParam(request, "actionId");
    const actions = await contextActions(ctx.db, context.id, todayIn(ctx.now));
    const action = actions.find((a) => a.id === actionId);
    if (!action || !mayUpdateActionProgress(actorOf(ctx), action.ownerOrganisationId)) {
      throw notFound("Action");
    }
    return { context, action };
  };
  const progressPage = (
    context: ContextView,
    action: { id: string; action: string; agency: string; dueOn: string },
    values: Form,
  ) =>
    formPage("progress", "Update the progress of an action", context, values, {
      action,
      progressItems: progressCodes.map((p) => ({
        value: p.code,
        text: p.label,
        checked: values.progress === p.code,
      })),
    });
  // Partners may report progress on their own agency's actions, so these routes need only
  // exploitation.view; mayUpdateActionProgress (src/access/contexts.ts) decides.
  addRoute(app, services, {
    method: "GET",
    url: "/contexts/:id/actions/:actionId",
    permission: "exploitation.view",
    audit: "context.record.form",
    handler: async (request, _reply, ctx) => {
      const { context, action } = await actionToUpdate(ctx, request);
      return progressPage(context, action, {
        progress: action.progress,
        progressNote: action.progressNote,
        version: String(action.version),
      });
    },
  });
  addRoute(app, services, {
    method: "POST",
    url: "/contexts/:id/actions/:actionId",
    permission: "exploitation.view",
    audit: "context.record",
    handler: async (request, _reply, ctx) => {
      const { context, action } = await actionToUpdate(ctx, request);
      const form = formOf(request);
      return saveForm(
        ctx,
        async () => {
          await updateProgress(ctx, context, action, form);
          return { redirect: `/contexts/${context.id}` };
        },
        (error) =>
          progressPage(
            context,
            action,
            // On a conflict the form shows what is saved now, with its newer version.
            error.code === "conflict"
              ? {
                  progress: action.progress,
                  progressNote: action.progressNote,
                  version: String(action.version),
                }
              : form,
          ),
      );
    },
  });

  registerReviewRoutes(app, services);
}

function registerReviewRoutes(app: FastifyInstance, services: AppServices): void {
  const reviewPage = (context: ContextView, values: Form) =>
    formPage("review", `Review of ${context.name}`, context, values);
  addRoute(app, services, {
    method: "GET",
    url: "/contexts/:id/reviews/new",
    permission: "context.record",
    audit: "context.record.form",
    handler: async (request, _reply, ctx) => reviewPage(await contextToChange(ctx, request), {}),
  });
  addRoute(app, services, {
    method: "POST",
    url: "/contexts/:id/reviews",
    permission: "context.record",
    audit: "context.record",
    handler: async (request, _reply, ctx) => {
      const context = await contextToChange(ctx, request);
      const form = formOf(request);
      return saveForm(
        ctx,
        async () => {
          await addReview(ctx, actorOf(ctx), context, form);
          return { redirect: `/contexts/${context.id}` };
        },
        () => reviewPage(context, form),
      );
    },
  });

  const closePage = (context: ContextView, values: Form) =>
    formPage("close", `Close the context: ${context.name}`, context, values);
  addRoute(app, services, {
    method: "GET",
    url: "/contexts/:id/close",
    permission: "context.record",
    audit: "context.record.form",
    handler: async (request, _reply, ctx) => {
      const context = await contextToChange(ctx, request);
      return closePage(context, { version: String(context.version) });
    },
  });
  addRoute(app, services, {
    method: "POST",
    url: "/contexts/:id/close",
    permission: "context.record",
    audit: "context.record",
    handler: async (request, _reply, ctx) => {
      const context = await contextToChange(ctx, request);
      const form = formOf(request);
      return saveForm(
        ctx,
        async () => {
          await closeContext(ctx, context, form);
          return { redirect: `/contexts/${context.id}` };
        },
        (error) =>
          closePage(
            context,
            error.code === "conflict" ? { version: String(context.version) } : form,
          ),
      );
    },
  });
}
