import type { FastifyInstance } from "fastify";
import { mayListChildrenBehindFigures, type KpiScope } from "../../access/kpis.ts";
import {
  breakdowns,
  isBreakdown,
  measureOf,
  type BreakdownKey,
  type Measure,
} from "../../domain/kpis/measures.ts";
import { AppError } from "../../platform/errors.ts";
import { addRoute, type AppServices } from "../../platform/routes.ts";
import { childrenBehind, KpiError } from "./engine.ts";
import { dashboardFigures, measureQuery, measuresFor, type MeasureBreakdown } from "./dashboard.ts";
import { figuresCsv, groupLabel } from "./figures.ts";
import { disproportionalityPage } from "./disproportionality-page.ts";
import { kpiRequest } from "./request.ts";

type Query = Record<string, string | undefined>;

function measureOrNotFound(key: string, scope: KpiScope): Measure {
  const measure = measureOf(key);
  if (!measure || !measuresFor(scope).includes(measure)) {
    throw new AppError("not_found", "Page not found");
  }
  return measure;
}

function breakdownOf(measure: Measure, value: string | undefined): BreakdownKey | undefined {
  if (!value) return undefined;
  if (!isBreakdown(value)) {
    throw new AppError(
      "validation",
      `There is no breakdown called "${value}": choose one of ${breakdowns.map((b) => b.label.toLowerCase()).join(", ")}`,
    );
  }
  if (!measure.breakdowns.includes(value)) {
    throw new AppError(
      "validation",
      `${measure.name} cannot be broken down by ${value.replace("_", " ")}`,
    );
  }
  return value;
}

const scopeText = (scope: KpiScope) =>
  scope.kind === "council" ? "The whole council" : "Your teams";

export function registerKpiRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/performance",
    permission: "kpi.view",
    audit: "kpi.view",
    handler: async (request, _reply, ctx) => {
      const { actor, scope, period, values } = kpiRequest(ctx, request.query as Query);
      const measureQueryOf = (measure: Measure) =>
        measureQuery(actor, scope, measure, period, ctx.now);
      // A team manager's workers: who holds how many children now (caseloads by worker).
      const caseloadQuery =
        scope.kind === "teams"
          ? {
              ...measureQueryOf(measureOrNotFound("caseload_per_worker", scope)),
              breakdown: "worker" as const,
            }
          : undefined;
      // Every figure on the page in one go (decision 0041).
      const figures = await dashboardFigures(
        ctx.db,
        period,
        measuresFor(scope).map(measureQueryOf),
        caseloadQuery ? [caseloadQuery] : [],
      );
      const trends = figures.trends;
      const [caseloads] = figures.breakdowns;
      if (caseloads instanceof KpiError) throw caseloads;
      ctx.audit({ summary: { dashboard: scope.kind, from: period.from, to: period.to } });
      return {
        view: "kpis/views/dashboard.njk",
        data: {
          title: "Performance",
          scopeText: scopeText(scope),
          teamScope: scope.kind === "teams",
          trends,
          caseloads,
          values,
          period,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/performance/measures/:key",
    permission: "kpi.view",
    audit: "kpi.view",
    handler: async (request, reply, ctx) => {
      const query = request.query as Query;
      const { actor, scope, period, values } = kpiRequest(ctx, query);
      const measure = measureOrNotFound((request.params as { key: string }).key, scope);
      const breakdown = breakdownOf(measure, query.by);
      const base = measureQuery(actor, scope, measure, period, ctx.now);
      // The trend and the breakdown asked for, counted together.
      const figures = await dashboardFigures(
        ctx.db,
        period,
        [base],
        breakdown && !measure.notRecorded ? [{ ...base, breakdown }] : [],
      );
      const [trend] = figures.trends;
      if (!trend) throw new Error("A trend for every measure asked for");
      const [counted] = figures.breakdowns;
      const byGroup: MeasureBreakdown | undefined =
        trend.problem || counted instanceof KpiError ? undefined : counted;
      const problem = trend.problem ?? (counted instanceof KpiError ? counted.message : undefined);
      if (query.format === "csv") {
        ctx.audit({
          summary: { measure: measure.key, breakdown: breakdown ?? null, export: true },
        });
        const csv = byGroup
          ? figuresCsv(measure, byGroup.label, [...byGroup.figures, byGroup.total])
          : figuresCsv(measure, "Month", trend.months);
        void reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${measure.key}.csv"`);
        // Sent by the kernel after the audit row commits: never before the read is recorded.
        return { json: csv };
      }
      ctx.audit({ summary: { measure: measure.key, breakdown: breakdown ?? null } });
      const search = new URLSearchParams({ from: period.from, to: period.to });
      return {
        view: "kpis/views/measure.njk",
        data: {
          title: measure.name,
          scopeText: scopeText(scope),
          trend,
          byGroup,
          problem,
          values: { ...values, by: breakdown ?? "" },
          breakdownItems: [
            { value: "", text: "No breakdown" },
            ...breakdowns
              .filter((b) => measure.breakdowns.includes(b.key))
              .map((b) => ({ value: b.key, text: b.label, selected: b.key === breakdown })),
          ],
          mayList: mayListChildrenBehindFigures(actor),
          search: search.toString(),
          lastMonth: period.to,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/performance/measures/:key/children",
    permission: "kpi.children",
    audit: "kpi.children",
    handler: async (request, _reply, ctx) => {
      const query = request.query as Query;
      const { actor, scope, period } = kpiRequest(ctx, query);
      if (!mayListChildrenBehindFigures(actor)) throw new AppError("not_found", "Page not found");
      const measure = measureOrNotFound((request.params as { key: string }).key, scope);
      if (measure.notRecorded) throw new AppError("not_found", "Page not found");
      const breakdown = breakdownOf(measure, query.by);
      const month = query.month ?? "";
      if (month < period.from || month > period.to) {
        throw new AppError("validation", "The month must be within the period");
      }
      const group = breakdown ? (query.group ?? "") : "all";
      const base = { ...measureQuery(actor, scope, measure, period, ctx.now), breakdown };
      const { shown, notShown } = await childrenBehind(ctx.db, actor, ctx.now, base, month, group);
      ctx.audit({
        personIds: shown.map((c) => c.id),
        summary: { measure: measure.key, month, breakdown: breakdown ?? null, shown: shown.length },
      });
      return {
        view: "kpis/views/children.njk",
        data: {
          title: `Children behind ${measure.name.toLowerCase()}`,
          measure,
          month,
          groupText: breakdown ? groupLabel(breakdown, group) : undefined,
          shown,
          // The rest are counted, never named; a small count could still point at a child.
          notShownText:
            notShown === 0 ? undefined : notShown < 5 ? "fewer than 5" : String(notShown),
          back: `/performance/measures/${measure.key}?${new URLSearchParams({ from: period.from, to: period.to, ...(breakdown ? { by: breakdown } : {}) }).toString()}`,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/performance/disproportionality",
    permission: "kpi.view",
    audit: "kpi.view",
    handler: async (request, _reply, ctx) => {
      const query = request.query as Query;
      const kpi = kpiRequest(ctx, query);
      if (kpi.scope.kind !== "council") throw new AppError("not_found", "Page not found");
      const data = await disproportionalityPage(ctx.db, kpi, query, ctx.now);
      ctx.audit({ summary: { disproportionality: data.values.cohort, by: data.values.by } });
      return { view: "kpis/views/disproportionality.njk", data };
    },
  });
}
