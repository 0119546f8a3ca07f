/**
 * The DfE feed's page for the performance officer (`/returns/dfe-feed`, decision 0034): the
 * last runs with their counts, and "Send changes now", which runs the feed at once in the
 * request's transaction. A run is one council-wide audit row with its counts; who may see or
 * run it is decided in src/access/returns.ts (everyone else: 404).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { mayRunDfeFeed } from "../../access/returns.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { actorOf, addRoute, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { runDfeFeed } from "./dfe-feed-run.ts";

function officerOf(ctx: RouteContext) {
  const actor = actorOf(ctx);
  if (!mayRunDfeFeed(actor)) throw notFound("Page");
  return actor;
}

export function registerDfeFeedRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/returns/dfe-feed",
    permission: "returns",
    audit: "returns.feed.page",
    handler: async (_request, _reply, ctx) => {
      const actor = officerOf(ctx);
      const runs = await ctx.db
        .selectFrom("dfe_feed_run as r")
        .leftJoin("app_user as u", "u.id", "r.started_by")
        .select([
          "r.id",
          "r.started_at",
          "r.finished_at",
          "r.children",
          "r.unchanged",
          "r.sent",
          "r.rejected",
          "r.failed",
          "r.purged",
          "r.invalid",
          "r.problem",
          "u.display_name",
        ])
        .where("r.la_id", "=", actor.laId)
        .orderBy("r.started_at", "desc")
        .limit(20)
        .execute();
      ctx.audit({ summary: { runs: runs.length } });
      return {
        view: "returns/views/dfe-feed.njk",
        data: {
          title: "DfE daily feed",
          configured: services.config.dfeFeed !== undefined,
          endpoint: services.config.dfeFeed?.baseUrl,
          runs,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/returns/dfe-feed/send",
    permission: "returns",
    audit: "returns.feed.send",
    body: z.object({}),
    handler: async (_request, _reply, ctx) => {
      const actor = officerOf(ctx);
      const result = await runDfeFeed(ctx.db, {
        laId: actor.laId,
        startedBy: actor.userId,
        settings: services.config.dfeFeed,
      });
      if (result.kind === "not_configured") throw new AppError("conflict", result.message);
      if (result.kind !== "sent") throw new Error("a run that was not a dry run sent nothing");
      ctx.audit({
        subjectType: "dfe_feed_run",
        subjectId: result.runId,
        summary: { scope: "council-wide", ...result.counts, stopped: result.problem },
      });
      return { redirect: "/returns/dfe-feed" };
    },
  });
}
