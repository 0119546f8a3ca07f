import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  DEFAULT_VISIT_WORKING_DAYS,
  planTypes,
  visitFrequencyProblem,
  type VisitFrequencies,
} from "../../domain/visits.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import { text } from "../../platform/schemas.ts";
import { frequencyFingerprint, setVisitFrequencies, visitFrequenciesOf } from "./service.ts";

/**
 * How often statutory visits are due in this LA, per plan type (settings.manage: the system
 * administrator). No personal data, so the page itself is not audited; a change is. The form
 * carries the values it was loaded with, so a change made meanwhile by someone else is not
 * silently overwritten (there is no version column on these rows).
 */

/** One plan type's working days: a whole number in range; looked after may be left empty. */
function workingDays(optional: boolean) {
  return text("the number of working days", { max: Number.MAX_SAFE_INTEGER }).transform(
    (value, ctx): number | null => {
      const problem = visitFrequencyProblem(value, optional);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
      return value === "" ? null : Number(value);
    },
  );
}

const FrequencyForm = z.object({
  cp: workingDays(false).transform((days) => days ?? 0),
  cla: workingDays(true),
  cin: workingDays(false).transform((days) => days ?? 0),
  loaded: text("the settings loaded"),
});

const FrequencyQuery = z.object({ saved: z.string().optional() });

function frequencyPage(
  frequencies: VisitFrequencies,
  values: FormValues,
  saved = false,
): RouteResult {
  return {
    view: "visits/views/frequencies.njk",
    data: {
      title: "How often statutory visits are due",
      saved,
      loaded: frequencyFingerprint(frequencies),
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

export function registerFrequencyRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/admin/visit-frequencies",
    permission: "settings.manage",
    audit: "none",
    query: FrequencyQuery,
    handler: async (_request, _reply, ctx, { query }) =>
      frequencyPage(await visitFrequenciesOf(ctx.db, actorOf(ctx)), {}, query.saved === "1"),
  });

  addFormRoute(app, services, {
    url: "/admin/visit-frequencies",
    permission: "settings.manage",
    audit: "settings.update",
    params: z.object({}),
    body: FrequencyForm,
    load: (ctx) => visitFrequenciesOf(ctx.db, actorOf(ctx)),
    // On a conflict the form shows the settings now in force, not the user's edit.
    page: (_ctx, before, values, error) =>
      frequencyPage(before, error.code === "conflict" ? {} : values),
    save: async (ctx, _before, body) => {
      const { cp, cla, cin, loaded } = body;
      const change = await setVisitFrequencies(ctx.db, actorOf(ctx), {
        frequencies: { cp, cin, cla },
        loaded,
      });
      ctx.audit({ subjectType: "visit_frequency", summary: change });
      return { redirect: "/admin/visit-frequencies?saved=1" };
    },
  });
}
