/**
 * A return's run while it is running, and when it failed (decision 0040): the run page shows
 * a progress bar that updates by itself, without JavaScript through a refresh every 2 seconds
 * and with it through /assets/app/return-progress.mjs polling `/returns/runs/:id/progress`.
 * That JSON holds the run's stage and counts only (no child is named), so, like the list of
 * runs, it is not audited; it is for holders of `returns` who may open the run, as the page.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import { Id } from "../../platform/schemas.ts";
import { loadRun, type Run } from "./report.ts";
import { progressText } from "./run-progress.ts";

const RunParams = z.object({ id: Id });

export const RunProgress = z.object({
  status: z.enum(["running", "done", "failed"]),
  text: z.string(),
  done: z.number().int().nullable(),
  total: z.number().int().nullable(),
  error: z.string().nullable(),
  /** Where the report is (the run page), for the script to go to when the run ends. */
  href: z.string(),
});
export type RunProgress = z.infer<typeof RunProgress>;

const titles = { cin: "Children in need census", "903": "SSDA903 children looked after" };

const arrivals = new WeakMap<FastifyRequest, Date>();

/** Notes when each POST to /returns arrives (Fastify's own timer is not kept for every route). */
export function noteArrivals(app: FastifyInstance): void {
  app.addHook("onRequest", (request, _reply, done) => {
    if (request.method === "POST" && request.url.startsWith("/returns/")) {
      arrivals.set(request, new Date());
    }
    done();
  });
}

/** When the request arrived, for startRun on the embedded database (see there). */
export function arrivalOf(services: AppServices, request: FastifyRequest): Date | undefined {
  return services.database.kind === "embedded" ? (arrivals.get(request) ?? new Date()) : undefined;
}

export function runHref(run: Pick<Run, "id" | "return_kind">): string {
  return run.return_kind === "903" ? `/returns/903/runs/${run.id}` : `/returns/runs/${run.id}`;
}

export function progressOf(run: Run): RunProgress {
  return {
    status: run.status,
    text:
      run.status === "running"
        ? progressText({
            stage: run.stage ?? "Starting",
            done: run.progress_done ?? undefined,
            total: run.progress_total ?? undefined,
            unit: run.progress_unit ?? undefined,
          })
        : run.status === "failed"
          ? "The run failed"
          : "Finished",
    done: run.progress_done,
    total: run.progress_total,
    error: run.status === "failed" ? (run.error ?? "No reason was kept.") : null,
    href: runHref(run),
  };
}

/** The run page of a run that has not finished: its progress, or why it failed. */
export function unfinishedRunPage(run: Run): RouteResult {
  return {
    view: "returns/views/run-progress.njk",
    data: {
      title: `${titles[run.return_kind]} ${run.collection_year}`,
      run,
      progress: progressOf(run),
    },
  };
}

export function registerRunProgressRoute(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/returns/runs/:id/progress",
    permission: "returns",
    audit: "none",
    params: RunParams,
    response: RunProgress,
    handler: async (_request, _reply, ctx, { params }) => {
      const run = await loadRun(ctx.db, actorOf(ctx), params.id);
      return { json: progressOf(run) };
    },
  });
}
