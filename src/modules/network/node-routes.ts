/**
 * The pages of a person of concern, a place and a peer group: what is recorded about them and
 * the associations the actor may see. Each read is audited as intelligence viewed, naming the
 * children whose associations were shown.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { can } from "../../access/actor.ts";
import { ageBands, concernRiskLevels } from "../../domain/exploitation.ts";
import { notFound } from "../../platform/errors.ts";
import { saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import {
  findVisibleGroup,
  findVisiblePersonOfConcern,
  findVisiblePlace,
  visibleAssociations,
  type AssociationView,
} from "./queries.ts";
import { changeRiskLevel } from "./service.ts";

function nodeIdFrom(request: FastifyRequest): string {
  const { id } = request.params as { id: unknown };
  if (!isUuid(id)) throw notFound("Page");
  return id;
}

const labelOf = (list: readonly { code: string; label: string }[], code: string): string =>
  list.find((entry) => entry.code === code)?.label ?? code;

/** Audits the children whose associations the page shows. */
function auditShown(
  ctx: RouteContext,
  subjectType: string,
  subjectId: string,
  associations: readonly AssociationView[],
): void {
  ctx.audit({
    personIds: [...new Set(associations.map((a) => a.child.id))],
    subjectType,
    subjectId,
    summary: { associations: associations.length },
  });
}

async function personOfConcernPage(
  ctx: RouteContext,
  id: string,
  values: Record<string, unknown> = {},
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const poc = await findVisiblePersonOfConcern(ctx.db, actor, ctx.now, id);
  if (!poc) throw notFound("Person of concern");
  const associations = await visibleAssociations(ctx.db, actor, ctx.now, { personOfConcern: id });
  auditShown(ctx, "person_of_concern", id, associations);
  const selected = typeof values.riskLevel === "string" ? values.riskLevel : poc.risk_level;
  return {
    view: "network/views/person-of-concern.njk",
    data: {
      title: poc.name,
      poc,
      ageBand: labelOf(ageBands, poc.age_band),
      riskLevel: labelOf(concernRiskLevels, poc.risk_level),
      riskItems: concernRiskLevels.map((l) => ({
        value: l.code,
        text: l.label,
        selected: l.code === selected,
      })),
      version: typeof values.version === "string" ? values.version : String(poc.version),
      associations,
      canChangeRisk: can(actor, "intelligence.record"),
    },
  };
}

export function registerNodeRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/network/persons/:id",
    permission: "exploitation.view",
    audit: "intelligence.view",
    handler: async (request, _reply, ctx) => personOfConcernPage(ctx, nodeIdFrom(request)),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/network/persons/:id/risk",
    permission: "intelligence.record",
    audit: "intelligence.record",
    handler: async (request, _reply, ctx) => {
      const id = nodeIdFrom(request);
      const actor = actorOf(ctx);
      if (!(await findVisiblePersonOfConcern(ctx.db, actor, ctx.now, id))) {
        throw notFound("Person of concern");
      }
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          await changeRiskLevel(ctx, id, form, concernRiskLevels);
          return { redirect: `/network/persons/${id}` };
        },
        // On a conflict the page shows the level now saved, with the newer version.
        (error) => personOfConcernPage(ctx, id, error.code === "conflict" ? {} : form),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/network/places/:id",
    permission: "exploitation.view",
    audit: "intelligence.view",
    handler: async (request, _reply, ctx) => {
      const id = nodeIdFrom(request);
      const actor = actorOf(ctx);
      const place = await findVisiblePlace(ctx.db, actor, id);
      if (!place) throw notFound("Place");
      const associations = await visibleAssociations(ctx.db, actor, ctx.now, { place: id });
      auditShown(ctx, "location", id, associations);
      return {
        view: "network/views/place.njk",
        data: { title: place.name, place, associations },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/network/groups/:id",
    permission: "exploitation.view",
    audit: "intelligence.view",
    handler: async (request, _reply, ctx) => {
      const id = nodeIdFrom(request);
      const actor = actorOf(ctx);
      const group = await findVisibleGroup(ctx.db, actor, ctx.now, id);
      if (!group) throw notFound("Peer group");
      const associations = await visibleAssociations(ctx.db, actor, ctx.now, { group: id });
      auditShown(ctx, "peer_group", id, associations);
      return {
        view: "network/views/group.njk",
        data: { title: group.name, group, associations },
      };
    },
  });
}
