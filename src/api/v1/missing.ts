/**
 * A police system reports a child missing, and found (decision 0030): `missing.report`, on a
 * child the client may see and record on (for a partner, a record shared with its agency). The
 * same service as the child's missing page, so the same rules: no overlap with an open episode,
 * not before birth, not in the future; a return home interview is then due within 72 hours.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { findVisiblePerson } from "../../modules/people/queries.ts";
import {
  endMissingEpisode,
  startMissingEpisode,
} from "../../modules/looked-after/missing-service.ts";
import { notFound } from "../../platform/errors.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import { Created, DateTime, Id } from "../schemas.ts";

const ReportMissing = z.strictObject({
  kind: z
    .enum(["M", "A"])
    .describe("M: missing; A: away from placement without authorisation (SSDA903)."),
  startedAt: DateTime.describe("When the child went missing."),
});

const ReportFound = z.strictObject({
  endedAt: DateTime.describe("When the child came back or was found."),
  whereFound: z.string().trim().max(500).default(""),
});

export function registerMissingApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "POST",
    url: "/api/v1/people/:personId/missing-episodes",
    summary: "Report that a child has gone missing",
    tag: "Missing episodes",
    permission: "missing.report",
    audit: "missing.record",
    personParam: "personId",
    status: 201,
    contract: {
      params: z.strictObject({ personId: Id }),
      body: ReportMissing,
      response: Created,
    },
    handler: async ({ params, body }, ctx) => {
      const person = await findVisiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      if (!person) throw notFound("Person");
      const { episodeId } = await startMissingEpisode(
        ctx.db,
        ctx.actor,
        person,
        { kind: body.kind, startedAt: new Date(body.startedAt) },
        ctx.now,
        [],
      );
      ctx.audit({
        subjectType: "missing_episode",
        subjectId: episodeId,
        summary: { kind: body.kind },
      });
      return { id: episodeId };
    },
  });

  addApiRoute(app, services, {
    method: "POST",
    url: "/api/v1/people/:personId/missing-episodes/:episodeId/found",
    summary: "Report that a missing child has come back or been found",
    tag: "Missing episodes",
    permission: "missing.report",
    audit: "missing.record",
    personParam: "personId",
    contract: {
      params: z.strictObject({ personId: Id, episodeId: Id }),
      body: ReportFound,
      response: Created,
    },
    handler: async ({ params, body }, ctx) => {
      const person = await findVisiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      if (!person) throw notFound("Person");
      await endMissingEpisode(
        ctx.db,
        ctx.actor,
        person,
        params.episodeId,
        { endedAt: new Date(body.endedAt), whereFound: body.whereFound },
        ctx.now,
        [],
      );
      ctx.audit({ subjectType: "missing_episode", subjectId: params.episodeId });
      return { id: params.episodeId };
    },
  });
}
