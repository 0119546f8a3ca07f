/** Reading a request about a context: its id, its form, and the context if the actor may see it. */
import type { FastifyRequest } from "fastify";
import { mayChangeContext } from "../../access/contexts.ts";
import { notFound } from "../../platform/errors.ts";
import { actorOf, isUuid, type RouteContext, type RouteResult } from "../../platform/routes.ts";
import { findVisibleContext, type ContextView } from "./queries.ts";

export type Form = Record<string, unknown>;

export function idParam(request: FastifyRequest, name = "id"): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (!isUuid(value)) throw notFound("Page");
  return value;
}

export const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

export async function visibleContext(
  ctx: RouteContext,
  request: FastifyRequest,
): Promise<ContextView> {
  const context = await findVisibleContext(ctx.db, actorOf(ctx), ctx.now, idParam(request));
  if (!context) throw notFound("Context");
  return context;
}

/** A context the actor may change: seen, and theirs to run (the LA's practitioners). */
export async function contextToChange(
  ctx: RouteContext,
  request: FastifyRequest,
): Promise<ContextView> {
  const context = await visibleContext(ctx, request);
  if (!mayChangeContext(actorOf(ctx))) throw notFound("Context");
  return context;
}

export function formPage(
  view: string,
  title: string,
  context: ContextView,
  values: Form,
  more: Record<string, unknown> = {},
): RouteResult {
  return { view: `contexts/views/${view}.njk`, data: { title, context, values, ...more } };
}
