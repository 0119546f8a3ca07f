import type { FastifyRequest } from "fastify";
import { notFound } from "../../platform/errors.ts";
import { actorOf, isUuid, type RouteContext } from "../../platform/routes.ts";
import { findMeeting } from "./queries.ts";

/** The :id of a panel URL; a malformed id is a 404 like an unknown one. */
export function idParam(request: FastifyRequest, what: string): string {
  const { id } = request.params as { id: unknown };
  if (!isUuid(id)) throw notFound(what);
  return id;
}

export type Meeting = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;

/** A meeting of the actor's LA, or 404. */
export async function getMeeting(ctx: RouteContext, id: string): Promise<Meeting> {
  const meeting = await findMeeting(ctx.db, actorOf(ctx), id);
  if (!meeting) throw notFound("Meeting");
  return meeting;
}
