import type { FastifyInstance } from "fastify";
import {
  DEFAULT_VISIT_WORKING_DAYS,
  planTypes,
  visitFrequencyProblem,
  type VisitFrequencies,
} from "../../domain/visits.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import type { AppServices, RouteContext, RouteResult } from "../../platform/routes.ts";
import { addRoute } from "../../platform/routes.ts";
import { actorOf, formOf, type Form } from "./context.ts";
import { laVisitFrequencies } from "./due.ts";

/**
 * How often statutory visits are due in this LA, per plan type (settings.manage: the system
 * administrator). No personal data, so the page itself is not audited; a change is. The form
 * carries the values it was loaded with, so a change made meanwhile by someone else is not
 * silently overwritten (there is no version column on these rows).
 */
const fingerprint = (frequencies: VisitFrequencies): string =>
  planTypes.map((p) => `${p.code}:${String(frequencies[p.code] ?? "")}`).join(",");

function frequencyPage(frequencies: VisitFrequencies, values: Form, saved = false): RouteResult {
  return {
    view: "visits/views/frequencies.njk",
    data: {
      title: "How often statutory visits are due",
      saved,
      loaded: fingerprint(frequencies),
      rows: planTypes.map((p) => ({
        code: p.code,
        label: p.label,
        value:
          typeof values[p.code] === "string" ? values[p.code] : String(frequencies[p.code] ?? ""),
        defaultDays: DEFAULT_VISIT_WORKING_DAYS[p.code],
        // Looked after: the regulations apply; a number here can only make visits more often.
        statutory: p.code === "cla",
      })),
    },
  };
}

async function currentFrequencies(ctx: RouteContext) {
  return laVisitFrequencies(ctx.db, actorOf(ctx).laId);
}

export function registerFrequencyRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/admin/visit-frequencies",
    permission: "settings.manage",
    audit: "none",
    handler: async (request, _reply, ctx) => {
      const { saved } = request.query as { saved?: unknown };
      return frequencyPage(await currentFrequencies(ctx), {}, saved === "1");
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/admin/visit-frequencies",
    permission: "settings.manage",
    audit: "settings.update",
    handler: async (request, _reply, ctx) => {
      const laId = actorOf(ctx).laId;
      const form = formOf(request.body);
      const before = await currentFrequencies(ctx);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const chosen: VisitFrequencies = { cp: 0, cin: 0, cla: null };
          for (const { code } of planTypes) {
            const problem = visitFrequencyProblem(f.raw(code), code === "cla");
            if (problem) f.fail(code, problem);
            else if (code === "cla") chosen.cla = f.raw(code) === "" ? null : Number(f.raw(code));
            else chosen[code] = Number(f.raw(code));
          }
          f.done();
          if (f.raw("loaded") !== fingerprint(before)) {
            throw new AppError(
              "conflict",
              "Someone else changed these settings while you were editing them. The settings now in force are shown: make your change again.",
            );
          }
          // No row for looked after means the regulations alone (reg. 28).
          const cla = chosen.cla;
          if (cla === null) {
            await ctx.db
              .deleteFrom("visit_frequency")
              .where("la_id", "=", laId)
              .where("plan_type", "=", "cla")
              .execute();
          }
          await ctx.db
            .insertInto("visit_frequency")
            .values([
              { la_id: laId, plan_type: "cp", working_days: chosen.cp },
              { la_id: laId, plan_type: "cin", working_days: chosen.cin },
              ...(cla === null
                ? []
                : [{ la_id: laId, plan_type: "cla" as const, working_days: cla }]),
            ])
            .onConflict((oc) =>
              oc
                .columns(["la_id", "plan_type"])
                .doUpdateSet((eb) => ({ working_days: eb.ref("excluded.working_days") })),
            )
            .execute();
          ctx.audit({ subjectType: "visit_frequency", summary: { before, after: chosen } });
          return { redirect: "/admin/visit-frequencies?saved=1" };
        },
        // On a conflict the form shows the settings now in force, not the user's edit.
        (error) => frequencyPage(before, error.code === "conflict" ? {} : form),
      );
    },
  });
}
