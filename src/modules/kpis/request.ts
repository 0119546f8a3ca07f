import type { Actor } from "../../access/actor.ts";
import { kpiScope, type KpiScope } from "../../access/kpis.ts";
import { todayIn } from "../../domain/dates.ts";
import { readPeriod, type Period } from "../../domain/kpis/period.ts";
import { AppError } from "../../platform/errors.ts";
import type { RouteContext } from "../../platform/routes.ts";

type Query = Record<string, string | undefined>;

export interface KpiRequest {
  actor: Actor;
  scope: KpiScope;
  period: Period;
  values: { from: string; to: string };
}

/** Who is asking and for which period; a period that cannot be read is a clear 400. */
export function kpiRequest(ctx: RouteContext, query: Query): KpiRequest {
  const actor = ctx.actor;
  const scope = actor ? kpiScope(actor) : undefined;
  if (!actor || !scope) throw new AppError("not_found", "Page not found");
  const values = { from: (query.from ?? "").trim(), to: (query.to ?? "").trim() };
  const read = readPeriod(values.from, values.to, todayIn(ctx.now).slice(0, 7));
  if ("problem" in read) throw new AppError("validation", read.problem);
  return { actor, scope, period: read.period, values };
}
