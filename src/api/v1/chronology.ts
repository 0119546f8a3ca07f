/**
 * The chronology as JSON, with the same visibility and audit as its page: a person the client
 * may not see is 404. Case notes are in case-notes.ts.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { chronologyLabel, chronologyTypes } from "../../domain/chronology.ts";
import { chronologyPage } from "../../modules/chronology/queries.ts";
import { AppError } from "../../platform/errors.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import { CalendarDate, Cursor, decodeCursor, encodeCursor, Id, PersonParams } from "../schemas.ts";
import { visiblePerson } from "./visible-person.ts";

const typeCodes = chronologyTypes.map((t) => t.code) as [
  (typeof chronologyTypes)[number]["code"],
  ...(typeof chronologyTypes)[number]["code"][],
];

const ChronologyQuery = z.strictObject({
  type: z.enum(typeCodes).optional().describe("Only entries of this type."),
  agency: Id.optional().describe("Only entries recorded by this organisation."),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});

const CursorKey = z.object({ occurredOn: CalendarDate, recordedAt: z.string().max(40), id: Id });

export const ChronologyPage = z
  .object({
    entries: z.array(
      z.object({
        id: Id,
        occurredOn: CalendarDate,
        kind: z.string(),
        label: z.string(),
        summary: z.string(),
        agency: z.object({ id: Id, name: z.string(), kind: z.string() }),
      }),
    ),
    next: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
  })
  .meta({ id: "ChronologyPage" });

export function registerChronologyApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/people/:personId/chronology",
    summary: "A page of the person's chronology, newest first",
    tag: "Chronology",
    permission: "journey.view",
    audit: "chronology.view",
    personParam: "personId",
    contract: { params: PersonParams, query: ChronologyQuery, response: ChronologyPage },
    handler: async ({ params, query }, ctx) => {
      const person = await visiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      const after = query.cursor ? decodeCursor(query.cursor, CursorKey) : undefined;
      if (query.cursor && !after) {
        throw new AppError("validation", "The cursor is not one this endpoint gave", [
          { field: "/query/cursor", message: "must be a cursor from a previous page" },
        ]);
      }
      const page = await chronologyPage(ctx.db, person.id, {
        agency: query.agency,
        type: query.type,
        after,
        limit: query.limit,
      });
      ctx.audit({
        summary: { filtered: Boolean(query.agency ?? query.type), entries: page.entries.length },
      });
      return {
        entries: page.entries.map((e) => ({
          id: e.id,
          occurredOn: e.occurred_on,
          kind: e.kind,
          label: chronologyLabel(e.kind),
          summary: e.summary,
          agency: { id: e.organisation_id, name: e.organisation_name, kind: e.organisation_kind },
        })),
        next: page.next ? encodeCursor(page.next) : null,
      };
    },
  });
}
