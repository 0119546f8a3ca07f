/**
 * Shared steps of the measure routes. Pages about one person's scoring (the form, a result, an
 * alert) name only that person in the audit row, so the children's access logs do not say a
 * measure was scored or viewed when it was their parent's; pages showing the whole family use
 * getVisibleFamily, which names every member shown.
 */
import type { FastifyRequest } from "fastify";
import { notFound } from "../../platform/errors.ts";
import { actorOf, isUuid, type RouteContext } from "../../platform/routes.ts";
import {
  familyIdFrom,
  findVisibleFamily,
  type FamilyMember,
  type VisibleFamily,
} from "./family.ts";

export type Form = Record<string, unknown>;

export function formOf(body: unknown): Form {
  return (body ?? {}) as Form;
}

/** The family as the actor sees it (404 when they see none of it), not yet audited. */
export async function familyOfRequest(
  ctx: RouteContext,
  request: FastifyRequest,
): Promise<VisibleFamily> {
  const family = await findVisibleFamily(ctx.db, actorOf(ctx), familyIdFrom(request), ctx.now);
  if (!family) throw notFound("Family");
  return family;
}

/** A UUID route parameter, or 404. */
export function uuidParam(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (!isUuid(value)) throw notFound();
  return value;
}

/** Names the one person a request is about, and the record it touches. */
export function auditPerson(
  ctx: RouteContext,
  member: FamilyMember,
  subject: { type: string; id: string } = { type: "person", id: member.id },
): void {
  ctx.audit({ personIds: [member.id], subjectType: subject.type, subjectId: subject.id });
}
