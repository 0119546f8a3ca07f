/**
 * The returns module (`/returns`, permission `returns`, decision 0031): choose a return and a
 * collection year, generate it from the whole council's records (an audited, council-wide
 * read), see the validation report, download the XML and the report as CSV, and answer
 * queries. Past runs are kept with their files and reports.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { mayAnswerQueries, mayRunDfeFeed, maySeeNamedChildren } from "../../access/returns.ts";
import { collectionYears, isCollectionYear } from "../../domain/cin-census/model.ts";
import { ruleByCode } from "../../domain/cin-census/rules/index.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { registerCensusChildRoutes } from "./child-routes.ts";
import { completeCinRun } from "./cin-run.ts";
import { markStoppedRuns, runInBackground, startRun, waitForRuns } from "./run-lock.ts";
import {
  arrivalOf,
  noteArrivals,
  registerRunProgressRoute,
  unfinishedRunPage,
} from "./run-page.ts";
import { registerDfeFeedRoutes } from "./dfe-feed-routes.ts";
import { registerFileCheckRoutes } from "./file-check-routes.ts";
import {
  downloadBlockers,
  loadRun,
  reportCsv,
  reportGroups,
  schemaProblems,
  type ReportGroup,
} from "./report.ts";
import { registerSsda903Routes } from "./ssda903-routes.ts";
import { ssda903Years } from "../../domain/ssda903/model.ts";

/** The year whose census period holds today (1 April to 31 March), if Trellis has its rules. */
function currentYear(now: Date): string {
  const y = now.getUTCFullYear();
  const first = now.getUTCMonth() >= 3 ? y : y - 1;
  return `${String(first)}-${String(first + 1).slice(2)}`;
}

function namedPeople(groups: readonly ReportGroup[]): string[] {
  const ids = new Set<string>();
  for (const g of groups) for (const f of g.failures) if (f.personId) ids.add(f.personId);
  return [...ids];
}

function download(reply: FastifyReply, type: string, name: string, body: string) {
  void reply.header("content-type", type);
  void reply.header("content-disposition", `attachment; filename="${name}"`);
  return { json: body };
}

async function runOf(ctx: RouteContext, params: unknown) {
  const { id } = params as { id: string };
  return loadRun(ctx.db, actorOf(ctx), id);
}

export function registerReturnsRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/returns",
    permission: "returns",
    audit: "none",
    handler: async (_request, _reply, ctx) => {
      const actor = actorOf(ctx);
      await markStoppedRuns(ctx.db, { laId: actor.laId });
      const runs = await ctx.db
        .selectFrom("return_run as r")
        .innerJoin("app_user as u", "u.id", "r.generated_by")
        .select([
          "r.id",
          "r.return_kind",
          "r.collection_year",
          "r.generated_at",
          "r.children",
          "r.errors",
          "r.queries",
          "r.schema_valid",
          "r.status",
          "u.display_name",
        ])
        .where("r.la_id", "=", actor.laId)
        .orderBy("r.generated_at", "desc")
        .limit(50)
        .execute();
      const current = currentYear(ctx.now);
      return {
        view: "returns/views/index.njk",
        data: {
          title: "Statutory returns",
          years: collectionYears.map((y) => ({
            value: y,
            text: y,
            selected: y === current || (!isCollectionYear(current) && y === collectionYears.at(-1)),
          })),
          runs,
          // The 903's years: the latest the DfE's rules are held for is chosen (decision 0037).
          years903: ssda903Years.map((y) => ({
            value: y,
            text: y,
            selected: y === ssda903Years.at(-1),
          })),
          dfeFeed: mayRunDfeFeed(actor),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/returns/cin",
    permission: "returns",
    audit: "returns.start",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const f = new FormReader((request.body ?? {}) as Record<string, unknown>);
      const year = f.raw("year");
      if (!isCollectionYear(year)) {
        throw new AppError("validation", "Choose a collection year", [
          { field: "year", message: `Choose a collection year: ${collectionYears.join(" or ")}` },
        ]);
      }
      // The run is started here and done in the background; the page shows its progress.
      const run = await startRun(ctx.db, actor, "cin", year, arrivalOf(services, request));
      if (!run.joined) {
        const db = services.database.db;
        const now = ctx.now;
        runInBackground(db, { id: run.id, laId: actor.laId, kind: "cin", year }, (progress) =>
          completeCinRun(db, run.id, actor, year, now, progress).then(() => undefined),
        );
      }
      ctx.audit({
        subjectType: "return_run",
        subjectId: run.id,
        summary: {
          return: "cin",
          year,
          scope: "council-wide",
          joinedRunAlreadyStarted: run.joined,
        },
      });
      return { redirect: `/returns/runs/${run.id}` };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/returns/runs/:id",
    permission: "returns",
    audit: "returns.report.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const run = await runOf(ctx, request.params);
      // A 903 run has its own report (ssda903-routes.ts).
      if (run.return_kind === "903") return { redirect: `/returns/903/runs/${run.id}` };
      if (run.status !== "done") {
        ctx.audit({
          subjectType: "return_run",
          subjectId: run.id,
          summary: { status: run.status },
        });
        return unfinishedRunPage(run);
      }
      const groups = await reportGroups(ctx.db, actor, run);
      const schemaErrors = await schemaProblems(ctx.db, actor, run);
      ctx.audit({
        personIds: [
          ...new Set([
            ...namedPeople(groups),
            ...schemaErrors.flatMap((e) => (e.personId ? [e.personId] : [])),
          ]),
        ],
        subjectType: "return_run",
        subjectId: run.id,
        summary: { return: run.return_kind, year: run.collection_year },
      });
      const { answered } = request.query as { answered?: unknown };
      return {
        view: "returns/views/report.njk",
        data: {
          title: `Children in need census ${run.collection_year}`,
          run,
          schemaErrors,
          errorGroups: groups.filter((g) => g.severity === "error"),
          queryGroups: groups.filter((g) => g.severity === "query"),
          named: maySeeNamedChildren(actor),
          mayAnswer: mayAnswerQueries(actor),
          blockers: downloadBlockers(run, groups),
          answered: answered === "1",
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/returns/runs/:id/report.csv",
    permission: "returns",
    audit: "returns.report.download",
    handler: async (request, reply, ctx) => {
      const actor = actorOf(ctx);
      const run = await runOf(ctx, request.params);
      const groups = await reportGroups(ctx.db, actor, run);
      ctx.audit({ personIds: namedPeople(groups), subjectType: "return_run", subjectId: run.id });
      const name = `cin-census-${run.collection_year}-report.csv`;
      return download(
        reply,
        "text/csv; charset=utf-8",
        name,
        reportCsv(groups, maySeeNamedChildren(actor)),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/returns/runs/:id/cin.xml",
    permission: "returns",
    audit: "returns.file.download",
    handler: async (request, reply, ctx) => {
      const actor = actorOf(ctx);
      const run = await runOf(ctx, request.params);
      if (run.return_kind !== "cin") throw notFound("Return");
      const blockers = downloadBlockers(run, await reportGroups(ctx.db, actor, run));
      if (blockers.length > 0) {
        throw new AppError("conflict", `The file cannot be downloaded yet. ${blockers.join(" ")}`);
      }
      const file = await ctx.db
        .selectFrom("return_run")
        .select("file_xml")
        .where("id", "=", run.id)
        .executeTakeFirstOrThrow();
      ctx.audit({
        subjectType: "return_run",
        subjectId: run.id,
        summary: { return: run.return_kind, year: run.collection_year, scope: "council-wide" },
      });
      return download(
        reply,
        "application/xml; charset=utf-8",
        `cin-census-${run.collection_year}.xml`,
        file.file_xml,
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/returns/runs/:id/answers",
    permission: "returns",
    audit: "returns.query.answer",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const run = await runOf(ctx, request.params);
      if (!mayAnswerQueries(actor)) throw notFound("Return");
      const f = new FormReader((request.body ?? {}) as Record<string, unknown>);
      const position = Number(f.raw("position"));
      const reason = f.text("reason", "why the value is right", { required: true, max: 1000 });
      const failure = Number.isInteger(position)
        ? await ctx.db
            .selectFrom("return_failure")
            .select(["rule", "la_child_id", "person_id", "severity"])
            .where("run_id", "=", run.id)
            .where("position", "=", position)
            .executeTakeFirst()
        : undefined;
      if (!failure || failure.severity !== "query") {
        throw notFound("Query");
      }
      f.done();
      await ctx.db
        .insertInto("return_query_answer")
        .values({
          la_id: actor.laId,
          return_kind: run.return_kind,
          rule: failure.rule,
          // A whole-return query (no one child) is answered under the empty id.
          la_child_id: failure.la_child_id ?? "",
          reason,
          answered_by: actor.userId,
          run_id: run.id,
        })
        .onConflict((oc) =>
          oc.columns(["la_id", "return_kind", "rule", "la_child_id"]).doUpdateSet({
            reason,
            answered_by: actor.userId,
            answered_at: ctx.now,
            run_id: run.id,
          }),
        )
        .execute();
      ctx.audit({
        personIds: failure.person_id ? [failure.person_id] : [],
        subjectType: "return_run",
        subjectId: run.id,
        summary: { rule: failure.rule, message: ruleByCode(failure.rule)?.message ?? "" },
      });
      return { redirect: `/returns/runs/${run.id}?answered=1#rule-${failure.rule}` };
    },
  });

  registerRunProgressRoute(app, services);
  noteArrivals(app);
  // A closing service lets its runs finish before the database closes (decision 0040).
  app.addHook("onClose", () => waitForRuns());
  registerCensusChildRoutes(app, services);
  registerFileCheckRoutes(app, services);
  registerSsda903Routes(app, services);
  registerDfeFeedRoutes(app, services);
}
