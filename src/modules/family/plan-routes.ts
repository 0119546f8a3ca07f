import { maySeeTeamWork } from "../../access/family.ts";
import type { FastifyInstance } from "fastify";
import { can } from "../../access/actor.ts";
import { todayIn } from "../../domain/dates.ts";
import { dateParts, saveForm } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import {
  familyIdFrom,
  getVisibleFamily,
  requireRecordable,
  workbookOf,
  type VisibleFamily,
} from "./family.ts";
import { registerPlanGoalRoutes } from "./plan-goal-routes.ts";
import { goalsOf, planOf, type FamilyPlan } from "./plan-queries.ts";
import { consentItems, saveViewsAndConsent } from "./plan-service.ts";

/**
 * The whole-family plan: goals for each family member with owned actions, the children's and
 * parents' views in their own words, and the family's consent. Everyone with family.view sees
 * it, but only the goals of the members they may see (a partner sees the members shared with
 * it); the views and consent are the family's own and shown to all of them. Only the family's
 * LA practitioners change it (workbook.write), and not on emergency access alone.
 */
function viewsForm(
  family: VisibleFamily,
  values: Record<string, unknown>,
  version: number,
): RouteResult {
  return {
    view: "family/views/plan-views-form.njk",
    data: {
      title: "Views and consent",
      family,
      values,
      version,
      consentItems,
    },
  };
}

function viewsValues(plan: FamilyPlan | undefined): Record<string, string> {
  return {
    childViews: plan?.childViews ?? "",
    parentViews: plan?.parentViews ?? "",
    consent: plan?.consent ?? "not_asked",
    consentGivenBy: plan?.consentGivenBy ?? "",
    ...dateParts("consentOn", plan?.consentRecordedOn ?? null),
  };
}

export function registerFamilyPlanRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook/plan",
    permission: "family.view",
    audit: "family_plan.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      const workbook = workbookOf(family);
      const plan = await planOf(ctx.db, workbook.id);
      const goals = await goalsOf(
        ctx.db,
        workbook.id,
        family.members.map((m) => m.id),
        todayIn(ctx.now),
      );
      ctx.audit({
        subjectType: "family_plan",
        ...(plan ? { subjectId: plan.id } : {}),
        summary: { goals: goals.length },
      });
      const recordable = family.members.some((m) => !m.viaBreakGlassOnly);
      return {
        view: "family/views/plan.njk",
        data: {
          teamWork: maySeeTeamWork(actorOf(ctx)),
          title: "Whole-family plan",
          family,
          plan,
          people: family.members.map((member) => ({
            member,
            goals: goals.filter((g) => g.personId === member.id),
          })),
          overdue: goals.flatMap((g) => g.actions).filter((a) => a.overdue).length,
          canWrite: can(actor, "workbook.write") && recordable,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook/plan/views",
    permission: "workbook.write",
    audit: "family_plan.write.form",
    handler: async (request, _reply, ctx) => {
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireRecordable(family);
      const plan = await planOf(ctx.db, workbookOf(family).id);
      return viewsForm(family, viewsValues(plan), plan?.version ?? 0);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/plan/views",
    permission: "workbook.write",
    audit: "family_plan.write",
    handler: async (request, _reply, ctx) => {
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireRecordable(family);
      const workbook = workbookOf(family);
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          await saveViewsAndConsent(ctx, family, workbook, form);
          return { redirect: `/families/${family.id}/workbook/plan` };
        },
        // Shown again with what they entered and the version they started from.
        () => viewsForm(family, form, Number(form.version) || 0),
      );
    },
  });

  registerPlanGoalRoutes(app, services);
}
