import type { FastifyInstance, FastifyRequest } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import { notFound } from "../../platform/errors.ts";
import { saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import {
  familyIdFrom,
  getVisibleFamily,
  memberOf,
  requireRecordable,
  workbookOf,
  type FamilyMember,
  type VisibleFamily,
} from "./family.ts";
import { ownerChoices, planAction, planGoal, type PlanAction } from "./plan-queries.ts";
import { addAction, addGoal, progressItems, updateProgress } from "./plan-service.ts";

/**
 * Goals and actions of the whole-family plan: add a goal for a member, add an action to a goal,
 * update an action's progress. A goal or action about a member the actor does not see is a 404.
 */
type Form = Record<string, unknown>;

function paramOf(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (!isUuid(value)) throw notFound("Page");
  return value;
}

/** The family, for recording on: visible, not on emergency access alone, Workbook open. */
async function familyToRecordOn(ctx: RouteContext, request: FastifyRequest) {
  const family = await getVisibleFamily(ctx, familyIdFrom(request));
  requireRecordable(family);
  return { family, workbook: workbookOf(family) };
}

function planUrl(family: VisibleFamily): string {
  return `/families/${family.id}/workbook/plan`;
}

function goalForm(family: VisibleFamily, values: Form): RouteResult {
  return {
    view: "family/views/plan-goal-form.njk",
    data: { title: "Add a goal", family, values },
  };
}

async function actionForm(
  ctx: RouteContext,
  family: VisibleFamily,
  goal: { id: string; goal: string },
  member: FamilyMember,
  values: Form,
): Promise<RouteResult> {
  const choices = await ownerChoices(ctx.db, actorOf(ctx), family, todayIn(ctx.now));
  return {
    view: "family/views/plan-action-form.njk",
    data: { title: `Add an action for ${member.name}`, family, goal, member, choices, values },
  };
}

function progressForm(
  family: VisibleFamily,
  action: PlanAction,
  member: FamilyMember,
  values: Form,
  version: number,
): RouteResult {
  return {
    view: "family/views/plan-progress-form.njk",
    data: {
      title: "Update progress",
      family,
      action,
      member,
      values,
      version,
      progressItems,
    },
  };
}

export function registerPlanGoalRoutes(app: FastifyInstance, services: AppServices): void {
  const base = "/families/:id/workbook/plan";

  addRoute(app, services, {
    method: "GET",
    url: `${base}/goals/new`,
    permission: "workbook.write",
    audit: "family_plan.write.form",
    handler: async (request, _reply, ctx) => {
      const { family } = await familyToRecordOn(ctx, request);
      const { personId } = request.query as { personId?: unknown };
      const chosen = family.members.find((m) => m.id === personId);
      return goalForm(family, chosen ? { personId: chosen.id } : {});
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/goals`,
    permission: "workbook.write",
    audit: "family_plan.write",
    handler: async (request, _reply, ctx) => {
      const { family, workbook } = await familyToRecordOn(ctx, request);
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await addGoal(ctx, family, workbook, form);
          return { redirect: planUrl(family) };
        },
        () => goalForm(family, form),
      );
    },
  });

  /** The goal named in the URL, of this family's plan, about a member the actor sees. */
  const goalOf = async (ctx: RouteContext, request: FastifyRequest, workbookId: string) => {
    const goal = await planGoal(ctx.db, workbookId, paramOf(request, "goalId"));
    if (!goal) throw notFound("Goal");
    return goal;
  };

  addRoute(app, services, {
    method: "GET",
    url: `${base}/goals/:goalId/actions/new`,
    permission: "workbook.write",
    audit: "family_plan.write.form",
    handler: async (request, _reply, ctx) => {
      const { family, workbook } = await familyToRecordOn(ctx, request);
      const goal = await goalOf(ctx, request, workbook.id);
      return actionForm(ctx, family, goal, memberOf(family, goal.personId), {});
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/goals/:goalId/actions`,
    permission: "workbook.write",
    audit: "family_plan.write",
    handler: async (request, _reply, ctx) => {
      const { family, workbook } = await familyToRecordOn(ctx, request);
      const goal = await goalOf(ctx, request, workbook.id);
      const member = memberOf(family, goal.personId);
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await addAction(ctx, family, goal, form);
          return { redirect: planUrl(family) };
        },
        () => actionForm(ctx, family, goal, member, form),
      );
    },
  });

  /** The action named in the URL, of this family's plan, about a member the actor sees. */
  const actionOf = async (ctx: RouteContext, request: FastifyRequest, family: VisibleFamily) => {
    const action = await planAction(
      ctx.db,
      workbookOf(family).id,
      paramOf(request, "actionId"),
      todayIn(ctx.now),
    );
    if (!action) throw notFound("Action");
    return { action, member: memberOf(family, action.personId) };
  };

  addRoute(app, services, {
    method: "GET",
    url: `${base}/actions/:actionId`,
    permission: "workbook.write",
    audit: "family_plan.write.form",
    handler: async (request, _reply, ctx) => {
      const { family } = await familyToRecordOn(ctx, request);
      const { action, member } = await actionOf(ctx, request, family);
      const values = { progress: action.progress, progressNote: action.progressNote };
      return progressForm(family, action, member, values, action.version);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/actions/:actionId`,
    permission: "workbook.write",
    audit: "family_plan.write",
    handler: async (request, _reply, ctx) => {
      const { family } = await familyToRecordOn(ctx, request);
      const { action, member } = await actionOf(ctx, request, family);
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await updateProgress(ctx, action, form);
          return { redirect: planUrl(family) };
        },
        () => progressForm(family, action, member, form, Number(form.version) || action.version),
      );
    },
  });
}
