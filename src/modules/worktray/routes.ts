import type { FastifyInstance } from "fastify";
import { can } from "../../access/actor.ts";
import { arrangesTeamSupervision } from "../../access/family-supervision.ts";
import { AppError } from "../../platform/errors.ts";
import { todayIn } from "../../domain/dates.ts";
import { addRoute, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { reviewsWaiting } from "../break-glass/queries.ts";
import { LOOK_AHEAD_WORKING_DAYS, trayChildren, trayItems } from "./items.ts";

async function tray(ctx: RouteContext, scope: "mine" | "team") {
  const actor = ctx.actor;
  if (!actor) throw new AppError("unauthenticated", "Sign in first");
  const today = todayIn(ctx.now);
  const children = await trayChildren(ctx.db, actor, today, scope);
  const items = await trayItems(ctx.db, actor, ctx.now, today, children, scope);
  // The audit row names the children whose due work was listed, and the families' people.
  ctx.audit({
    personIds: [
      ...new Set(
        items.flatMap((i) => [...(i.personId ? [i.personId] : []), ...(i.personIds ?? [])]),
      ),
    ],
    summary: { items: items.length, scope },
  });
  // Emergency access waiting for this reviewer's review (a count: the list is its own page).
  const emergencyReviews =
    scope === "mine" && can(actor, "break_glass.review") ? await reviewsWaiting(ctx.db, actor) : 0;
  return {
    view: "worktray/views/tray.njk",
    data: {
      title: scope === "mine" ? "My work" : "My team's work",
      scope,
      canManageTeam: can(actor, "caseload.manage"),
      items,
      overdue: items.filter((i) => i.overdue).length,
      cases: new Set(children.map((c) => c.id)).size,
      // Business support hold no cases: their tray is their teams' group supervision.
      arrangesSupervision: scope === "mine" && arrangesTeamSupervision(actor),
      lookAhead: LOOK_AHEAD_WORKING_DAYS,
      emergencyReviews,
    },
  };
}

export function registerWorktrayRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/my-work",
    permission: "worktray.view",
    audit: "worktray.view",
    handler: (_request, _reply, ctx) => tray(ctx, "mine"),
  });
  addRoute(app, services, {
    method: "GET",
    url: "/my-team",
    permission: "caseload.manage",
    audit: "worktray.view_team",
    handler: (_request, _reply, ctx) => tray(ctx, "team"),
  });
}
