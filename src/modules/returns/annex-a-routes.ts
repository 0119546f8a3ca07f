import type { FastifyInstance } from "fastify";
import { annexACouncilOf } from "../../access/annex-a.ts";
import { problemText } from "../../domain/annex-a/check.ts";
import { formatDate } from "../../domain/dates.ts";
import { AppError } from "../../platform/errors.ts";
import { errorList, fieldErrors } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices } from "../../platform/routes.ts";
import { childrenIn, generateAnnexA, type AnnexA } from "./annex-a.ts";
import { readPeriodForm, readPeriodLink } from "./annex-a-input.ts";
import { annexAWorkbook } from "./annex-a-workbook.ts";

/** How many problems the page lists by name; the rest are counted (the workbook has them all). */
const PROBLEMS_SHOWN = 200;

function checkPage(annexA: AnnexA) {
  const problems = annexA.lists.flatMap((l) =>
    l.problems.map((p) => ({ ...p, title: l.title, text: problemText(p) })),
  );
  return {
    lists: annexA.lists.map((l) => ({
      title: l.title,
      rows: l.rows.length,
      notHeld: l.notHeld,
      notHeldColumns: l.notHeldColumns,
      problems: l.problems.length,
    })),
    problems: problems.slice(0, PROBLEMS_SHOWN),
    problemCount: problems.length,
  };
}

/**
 * Ofsted's Annex A: choose the period, see what to fix, download the workbook. Both pages are
 * audited council-wide reads: the check names each child it lists, the download every child in
 * the workbook (decision 0032).
 */
export function registerAnnexARoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/returns/annex-a",
    permission: "returns",
    audit: "returns.annex_a.check",
    handler: async (request, _reply, ctx) => {
      const laId = annexACouncilOf(actorOf(ctx));
      const choice = readPeriodForm((request.query ?? {}) as Record<string, unknown>, ctx.now);
      const annexA = await generateAnnexA(ctx.db, laId, choice.period);
      const page = checkPage(annexA);
      ctx.audit({
        personIds: [...new Set(page.problems.map((p) => p.personId))],
        summary: { from: choice.period.from, to: choice.period.to, problems: page.problemCount },
      });
      const error =
        choice.errors.length > 0
          ? new AppError("validation", "Check the period", choice.errors)
          : undefined;
      return {
        view: "returns/views/annex-a.njk",
        status: error ? 400 : 200,
        data: {
          title: "Annex A for Ofsted",
          ...(error ? { errors: errorList(error), fieldErrors: fieldErrors(error) } : {}),
          values: choice.values,
          period: {
            ...choice.period,
            fromText: formatDate(choice.period.from),
            toText: formatDate(choice.period.to),
          },
          ...page,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/returns/annex-a/workbook",
    permission: "returns",
    audit: "returns.annex_a.download",
    handler: async (request, reply, ctx) => {
      const actor = actorOf(ctx);
      const laId = annexACouncilOf(actor);
      const period = readPeriodLink((request.query ?? {}) as Record<string, unknown>, ctx.now);
      if (!period) {
        throw new AppError(
          "validation",
          "Choose the period again: the link's dates are not a real period.",
        );
      }
      const annexA = await generateAnnexA(ctx.db, laId, period);
      const council = await ctx.db
        .selectFrom("local_authority")
        .select("name")
        .where("id", "=", laId)
        .executeTakeFirstOrThrow();
      const workbook = await annexAWorkbook(annexA, council.name);
      ctx.audit({
        personIds: childrenIn(annexA),
        summary: {
          from: period.from,
          to: period.to,
          rows: Object.fromEntries(annexA.lists.map((l) => [l.list, l.rows.length])),
        },
      });
      void reply
        .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("content-disposition", `attachment; filename="annex-a-${period.to}.xlsx"`);
      // The kernel sends a result's body as it is, after the audit row commits.
      return { json: workbook };
    },
  });
}
