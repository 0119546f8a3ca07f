/**
 * The SSDA903 on /returns (decision 0037): a holder of `returns` generates the return for a
 * collection year from the whole council's records (an audited, council-wide read), sees the
 * report with each failure linked to the child and the record it came from, downloads one CSV
 * per table, and sees past runs on /returns. Last year's stored run feeds the rules that need
 * it. Who sees named children and opens them is src/access/returns.ts, as for the census.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { mayOpenChildFromRun, maySeeNamedChildren } from "../../access/returns.ts";
import { personVisible } from "../../access/visibility.ts";
import {
  isSsda903Year,
  isTableName,
  ssda903Years,
  tableNames,
} from "../../domain/ssda903/model.ts";
import { ruleByCode, rulesNotRun } from "../../domain/ssda903/rules/index.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { actorOf, addRoute, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { Id } from "../../platform/schemas.ts";
import { loadRun, reportCsv, reportGroups, type ReportGroup, type Run } from "./report.ts";
import { listedRules } from "./ssda903-coverage.ts";
import { complete903Run, returnOfFiles } from "./ssda903-run.ts";
import { runInBackground, startRun } from "./run-lock.ts";
import { arrivalOf, unfinishedRunPage } from "./run-page.ts";

const RunParams = z.object({ id: Id });
const FileParams = z.object({ id: Id, table: z.string().max(40) });
const ChildParams = z.object({ id: Id, personId: Id });
const GenerateBody = z.object({ year: z.string().max(20).optional() });

/** Where each table's facts are put right, on the child's record (the worker's pages). */
const whereFixed: Record<string, { path: string; label: string }> = {
  Header: { path: "", label: "the child's record" },
  Episodes: { path: "/looked-after", label: "the looked-after episodes" },
  Reviews: { path: "/looked-after", label: "the looked-after reviews" },
  Missing: { path: "/missing", label: "the missing episodes" },
  UASC: { path: "/looked-after/uasc", label: "the UASC status" },
  SWEpisodes: { path: "/allocations", label: "the allocation history" },
  OC2: { path: "/looked-after/permanence", label: "the outcomes (OC2)" },
  AD1: { path: "/looked-after/permanence", label: "the adoption" },
  PlacedAdoption: {
    path: "/looked-after/permanence",
    label: "the decisions to place for adoption",
  },
  PrevPerm: { path: "/looked-after/permanence", label: "the previous permanence" },
};

function download(reply: FastifyReply, name: string, body: string) {
  void reply.header("content-type", "text/csv; charset=utf-8");
  void reply.header("content-disposition", `attachment; filename="${name}"`);
  return { json: body };
}

async function run903Of(ctx: RouteContext, id: string): Promise<Run> {
  const run = await loadRun(ctx.db, actorOf(ctx), id);
  if (run.return_kind !== "903") throw notFound("Return");
  return run;
}

function namedPeople(groups: readonly ReportGroup[]): string[] {
  const ids = new Set<string>();
  for (const g of groups) for (const f of g.failures) if (f.personId) ids.add(f.personId);
  return [...ids];
}

async function filesOf(ctx: RouteContext, run: Run): Promise<Record<string, string>> {
  const row = await ctx.db
    .selectFrom("return_run")
    .select("files")
    .where("id", "=", run.id)
    .executeTakeFirstOrThrow();
  return row.files ?? {};
}

export function registerSsda903Routes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "POST",
    url: "/returns/903",
    permission: "returns",
    audit: "returns.start",
    body: GenerateBody,
    handler: async (request, _reply, ctx, { body }) => {
      const actor = actorOf(ctx);
      const { year } = body;
      if (!isSsda903Year(year)) {
        throw new AppError("validation", "Choose a collection year", [
          { field: "year903", message: `Choose a collection year: ${ssda903Years.join(" or ")}` },
        ]);
      }
      // The run is started here and done in the background; the page shows its progress.
      const run = await startRun(ctx.db, actor, "903", year, arrivalOf(services, request));
      if (!run.joined) {
        const db = services.database.db;
        const now = ctx.now;
        runInBackground(db, { id: run.id, laId: actor.laId, kind: "903", year }, (progress) =>
          complete903Run(db, run.id, actor, year, now, progress).then(() => undefined),
        );
      }
      ctx.audit({
        subjectType: "return_run",
        subjectId: run.id,
        summary: {
          return: "903",
          year,
          scope: "council-wide",
          joinedRunAlreadyStarted: run.joined,
        },
      });
      return { redirect: `/returns/903/runs/${run.id}` };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/returns/903/runs/:id",
    permission: "returns",
    audit: "returns.report.view",
    params: RunParams,
    handler: async (_request, _reply, ctx, { params }) => {
      const actor = actorOf(ctx);
      const run = await run903Of(ctx, params.id);
      if (run.status !== "done") {
        ctx.audit({
          subjectType: "return_run",
          subjectId: run.id,
          summary: { status: run.status },
        });
        return unfinishedRunPage(run);
      }
      const groups = await reportGroups(ctx.db, actor, run);
      const stored = await ctx.db
        .selectFrom("return_run as r")
        .leftJoin("return_run as p", "p.id", "r.previous_run_id")
        .select(["r.files", "p.files as previous_files", "p.generated_at as previous_at"])
        .where("r.id", "=", run.id)
        .executeTakeFirstOrThrow();
      const tables = returnOfFiles(stored.files) ?? {};
      const previous = returnOfFiles(stored.previous_files);
      const year = run.collection_year;
      const notRun = isSsda903Year(year) ? rulesNotRun(listedRules(), tables, year, previous) : [];
      const byReason = new Map<string, string[]>();
      for (const r of notRun) byReason.set(r.detail, [...(byReason.get(r.detail) ?? []), r.code]);
      ctx.audit({
        personIds: namedPeople(groups),
        subjectType: "return_run",
        subjectId: run.id,
        summary: { return: "903", year },
      });
      return {
        view: "returns/views/ssda903-report.njk",
        data: {
          title: `SSDA903 children looked after ${year}`,
          run,
          groups,
          named: maySeeNamedChildren(actor),
          files: tableNames
            .filter((t) => stored.files?.[t] !== undefined)
            .map((t) => ({ table: t, rows: (tables[t] ?? []).length })),
          notHeld: tableNames.filter((t) => stored.files?.[t] === undefined),
          previousAt: stored.previous_at,
          hasRules: year === "2024-25",
          notRun: [...byReason].map(([detail, codes]) => ({ detail, codes: codes.join(" ") })),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/returns/903/runs/:id/report.csv",
    permission: "returns",
    audit: "returns.report.download",
    params: RunParams,
    handler: async (_request, reply, ctx, { params }) => {
      const actor = actorOf(ctx);
      const run = await run903Of(ctx, params.id);
      const groups = await reportGroups(ctx.db, actor, run);
      ctx.audit({ personIds: namedPeople(groups), subjectType: "return_run", subjectId: run.id });
      return download(
        reply,
        `ssda903-${run.collection_year}-report.csv`,
        reportCsv(groups, maySeeNamedChildren(actor)),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/returns/903/runs/:id/files/:table",
    permission: "returns",
    audit: "returns.file.download",
    params: FileParams,
    handler: async (_request, reply, ctx, { params }) => {
      const run = await run903Of(ctx, params.id);
      const text = isTableName(params.table) ? (await filesOf(ctx, run))[params.table] : undefined;
      if (text === undefined) throw notFound("File");
      // The file names every child in the table: the download is a council-wide read of them.
      ctx.audit({
        personIds: await childrenInFile(ctx, run, text),
        subjectType: "return_run",
        subjectId: run.id,
        summary: { return: "903", year: run.collection_year, table: params.table },
      });
      return download(reply, `${params.table}.csv`, text);
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/returns/903/runs/:id/children/:personId",
    permission: "returns",
    audit: "returns.child.view",
    personParam: "personId",
    params: ChildParams,
    handler: async (_request, _reply, ctx, { params }) => {
      const actor = actorOf(ctx);
      const run = await run903Of(ctx, params.id);
      const person = await ctx.db
        .selectFrom("person")
        .select([
          "id",
          "la_id",
          "la_child_id",
          "given_name",
          "family_name",
          "date_of_birth",
          "restricted",
          "merged_into",
          personVisible(actor, ctx.now).as("visible"),
        ])
        .where("id", "=", params.personId)
        .executeTakeFirst();
      const failures = await ctx.db
        .selectFrom("return_failure as f")
        .leftJoin("cla_episode as e", "e.id", "f.record_id")
        .leftJoin("cla_review as v", "v.id", "f.record_id")
        .leftJoin("missing_episode as m", "m.id", "f.record_id")
        .leftJoin("allocation as a", "a.id", "f.record_id")
        .select([
          "f.position",
          "f.rule",
          "f.field",
          "f.value",
          "f.table_name",
          "f.record_id",
          "e.start_date as episode_start",
          "e.end_date as episode_end",
          "v.held_on as review_held",
          "m.started_at as missing_started",
          "a.start_date as allocation_start",
        ])
        .where("f.run_id", "=", run.id)
        .where("f.person_id", "=", params.personId)
        .orderBy("f.position")
        .execute();
      if (!person || !mayOpenChildFromRun(actor, run, person, failures.length > 0)) {
        throw notFound("Child");
      }
      const worker = await ctx.db
        .selectFrom("allocation as a")
        .innerJoin("team as t", "t.id", "a.team_id")
        .leftJoin("app_user as u", "u.id", "a.worker_id")
        .select(["u.display_name", "t.name as team"])
        .where("a.person_id", "=", person.id)
        .where("a.end_date", "is", null)
        .orderBy("a.start_date", "desc")
        .executeTakeFirst();
      ctx.audit({ personIds: [person.id], subjectType: "return_run", subjectId: run.id });
      return {
        view: "returns/views/ssda903-child.njk",
        data: {
          title: `${person.given_name} ${person.family_name}: SSDA903 ${run.collection_year}`,
          run,
          person,
          worker: worker ? (worker.display_name ?? `${worker.team} (not allocated)`) : null,
          failures: failures.map((f) => {
            const fix = whereFixed[f.table_name ?? ""];
            return {
              ...f,
              message: ruleByCode(f.rule)?.message ?? "The rule could not be run",
              record: f.episode_start
                ? { kind: "episode", from: f.episode_start, to: f.episode_end }
                : f.review_held
                  ? { kind: "review", from: f.review_held }
                  : f.missing_started
                    ? { kind: "missing", from: f.missing_started }
                    : f.allocation_start
                      ? { kind: "allocation", from: f.allocation_start }
                      : null,
              fixLabel: fix?.label ?? "the child's record",
              // The page where it is fixed: a link only for a viewer who may open the record.
              fixHref:
                fix && person.visible
                  ? `/people/${person.id}${fix.path}${f.record_id ? `#record-${f.record_id}` : ""}`
                  : null,
            };
          }),
        },
      };
    },
  });
}

/** The person ids of the children a table's CSV names (its CHILD column). */
async function childrenInFile(ctx: RouteContext, run: Run, text: string): Promise<string[]> {
  const ids = [
    ...new Set(
      text
        .split("\r\n")
        .slice(1)
        .map((line) => line.split(",")[0] ?? "")
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .selectFrom("person")
    .select("id")
    .where("la_id", "=", run.la_id)
    .where("la_child_id", "in", ids)
    .execute();
  return rows.map((r) => r.id);
}
