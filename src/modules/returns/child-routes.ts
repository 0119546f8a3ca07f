/**
 * A child's census details opened from a run's report (decision 0031): the performance officer
 * sees what the return holds about a child the run names in their own council, with each
 * failure of the run against that child, who holds the case, and a form to correct the
 * identity details the census carries. Journey facts are the allocated worker's to correct.
 */
import type { FastifyInstance } from "fastify";
import { mayCorrectCensusIdentity, mayOpenChildFromRun } from "../../access/returns.ts";
import type { Actor } from "../../access/actor.ts";
import { upnUnknownReasons } from "../../domain/cin-census/model.ts";
import { ruleByCode } from "../../domain/cin-census/rules/index.ts";
import { disabilities, ethnicities, isCode } from "../../domain/code-lists.ts";
import { validateUpn } from "../../domain/identifiers.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { selectItems, STALE_MESSAGE } from "../looked-after/common.ts";
import { identityFields, loadRun, type Run } from "./report.ts";

type Form = Record<string, unknown>;

async function childFromRun(db: Db, actor: Actor, run: Run, personId: string) {
  if (!isUuid(personId)) throw notFound("Child");
  const person = await db
    .selectFrom("person")
    .select([
      "id",
      "la_id",
      "la_child_id",
      "given_name",
      "family_name",
      "date_of_birth",
      "sex",
      "upn",
      "former_upn",
      "upn_unknown",
      "ethnicity",
      "expected_birth_date",
      "restricted",
      "merged_into",
      "version",
    ])
    .where("id", "=", personId)
    .executeTakeFirst();
  const failures = await db
    .selectFrom("return_failure")
    .select(["position", "rule", "severity", "field", "value"])
    .where("run_id", "=", run.id)
    .where("person_id", "=", personId)
    .orderBy("position")
    .execute();
  if (!person || !mayOpenChildFromRun(actor, run, person, failures.length > 0)) {
    throw notFound("Child");
  }
  return { person, failures };
}

async function childPage(
  ctx: RouteContext,
  run: Run,
  personId: string,
  values: Form | undefined,
  error?: AppError,
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const { person, failures } = await childFromRun(ctx.db, actor, run, personId);
  const [codes, worker] = await Promise.all([
    ctx.db
      .selectFrom("person_disability")
      .select("code")
      .where("person_id", "=", personId)
      .execute(),
    ctx.db
      .selectFrom("allocation as a")
      .innerJoin("team as t", "t.id", "a.team_id")
      .leftJoin("app_user as u", "u.id", "a.worker_id")
      .select(["u.display_name", "t.name as team"])
      .where("a.person_id", "=", personId)
      .where("a.end_date", "is", null)
      .orderBy("a.start_date", "desc")
      .executeTakeFirst(),
  ]);
  const v = values ?? {
    upn: person.upn ?? "",
    former_upn: person.former_upn ?? "",
    upn_unknown: person.upn_unknown ?? "",
    ethnicity: person.ethnicity ?? "",
    disabilities: codes.map((c) => c.code),
    version: String(person.version),
  };
  const chosen = ([] as unknown[]).concat(v.disabilities ?? []);
  ctx.audit({
    personIds: [personId],
    subjectType: "return_run",
    subjectId: run.id,
  });
  return {
    view: "returns/views/child.njk",
    status: error ? 400 : 200,
    data: {
      title: `${person.given_name} ${person.family_name}: census details`,
      run,
      person,
      worker: worker ? (worker.display_name ?? `${worker.team} (not allocated to a worker)`) : null,
      failures: failures.map((f) => ({
        ...f,
        message: ruleByCode(f.rule)?.message ?? "",
        officerCorrects: identityFields.has(f.field),
      })),
      mayCorrect: mayCorrectCensusIdentity(actor),
      values: v,
      ethnicityItems: selectItems(ethnicities, v.ethnicity, "Not recorded"),
      upnUnknownItems: selectItems(upnUnknownReasons, v.upn_unknown, "Not given"),
      disabilityItems: disabilities.map((d) => ({
        value: d.code,
        text: `${d.label} (${d.code})`,
        checked: chosen.includes(d.code),
      })),
    },
  };
}

function readCorrection(form: Form) {
  const f = new FormReader(form);
  const upnText = f.raw("upn");
  let upn: string | null = null;
  if (upnText) {
    const checked = validateUpn(upnText);
    if (checked.ok) upn = checked.value;
    else f.fail("upn", checked.message);
  }
  const formerText = f.raw("former_upn");
  let formerUpn: string | null = null;
  if (formerText) {
    const checked = validateUpn(formerText);
    if (checked.ok) formerUpn = checked.value;
    else f.fail("former_upn", checked.message.replace("a UPN", "the former UPN"));
  }
  const unknown = f.raw("upn_unknown") || null;
  if (unknown !== null && !isCode(upnUnknownReasons, unknown)) {
    f.fail("upn_unknown", "Choose why the UPN is not known from the list");
  }
  if (upn !== null && unknown !== null) {
    f.fail("upn_unknown", "Leave the reason empty when the UPN is given");
  }
  const ethnicity = f.raw("ethnicity") || null;
  if (ethnicity !== null && !isCode(ethnicities, ethnicity)) {
    f.fail("ethnicity", "Choose the ethnicity from the list");
  }
  const codes = ([] as unknown[]).concat(form.disabilities ?? []).map(String);
  if (!codes.every((c) => isCode(disabilities, c))) {
    f.fail("disabilities", "Choose disabilities from the list");
  } else if (codes.includes("NONE") && codes.length > 1) {
    f.fail("disabilities", "Choose either no disability or the disabilities the child has");
  }
  const version = Number(f.raw("version"));
  f.done();
  return { upn, formerUpn, unknown, ethnicity, codes: [...new Set(codes)], version };
}

export function registerCensusChildRoutes(app: FastifyInstance, services: AppServices): void {
  const url = "/returns/runs/:id/children/:personId";
  const paramsOf = (params: unknown) => params as { id: string; personId: string };

  addRoute(app, services, {
    method: "GET",
    url,
    permission: "returns",
    audit: "returns.child.view",
    personParam: "personId",
    handler: async (request, _reply, ctx) => {
      const { id, personId } = paramsOf(request.params);
      const run = await loadRun(ctx.db, actorOf(ctx), id);
      const { saved } = request.query as { saved?: unknown };
      const page = await childPage(ctx, run, personId, undefined);
      if ("view" in page && page.data) page.data.saved = saved === "1";
      return page;
    },
  });

  addRoute(app, services, {
    method: "POST",
    url,
    permission: "returns",
    audit: "returns.child.correct",
    personParam: "personId",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const { id, personId } = paramsOf(request.params);
      const run = await loadRun(ctx.db, actor, id);
      const { person } = await childFromRun(ctx.db, actor, run, personId);
      if (!mayCorrectCensusIdentity(actor)) throw notFound("Child");
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          const c = readCorrection(form);
          const updated = await ctx.db
            .updateTable("person")
            .set({
              upn: c.upn,
              former_upn: c.formerUpn,
              upn_unknown: c.upn ? null : c.unknown,
              ethnicity: c.ethnicity,
              version: person.version + 1,
              updated_at: ctx.now,
            })
            .where("id", "=", personId)
            .where("version", "=", c.version)
            .executeTakeFirst();
          if (updated.numUpdatedRows !== 1n) {
            throw new AppError("conflict", STALE_MESSAGE);
          }
          await ctx.db.deleteFrom("person_disability").where("person_id", "=", personId).execute();
          if (c.codes.length > 0) {
            await ctx.db
              .insertInto("person_disability")
              .values(c.codes.map((code) => ({ person_id: personId, la_id: actor.laId, code })))
              .execute();
          }
          ctx.audit({
            personIds: [personId],
            subjectType: "person",
            subjectId: personId,
            summary: { fields: ["upn", "former_upn", "upn_unknown", "ethnicity", "disabilities"] },
          });
          return { redirect: `/returns/runs/${run.id}/children/${personId}?saved=1` };
        },
        (error) => childPage(ctx, run, personId, form, error),
      );
    },
  });
}
