/**
 * The chronology and case notes as JSON, with the same visibility and audit as their pages:
 * a person the client may not see is 404; adding a note needs case_note.write and sight of the
 * record other than by emergency access (the kernel asks recording.ts before the handler).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { chronologyLabel, chronologyTypes } from "../../domain/chronology.ts";
import { todayIn } from "../../domain/dates.ts";
import { chronologyPage } from "../../modules/chronology/queries.ts";
import { findVisiblePerson } from "../../modules/people/queries.ts";
import { addCaseNote, caseNotesOf, NOTE_MAX } from "../../modules/visits/case-notes.ts";
import type { Db } from "../../platform/database.ts";
import type { Actor } from "../../access/actor.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import {
  CalendarDate,
  Created,
  Cursor,
  decodeCursor,
  encodeCursor,
  Id,
  PersonParams,
} from "../schemas.ts";

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

const CaseNotes = z
  .object({
    notes: z.array(
      z.object({
        id: Id,
        occurredOn: CalendarDate,
        note: z.string(),
        author: z.string(),
        agency: z.string(),
      }),
    ),
  })
  .meta({ id: "CaseNotes" });

const NewCaseNote = z.strictObject({
  occurredOn: CalendarDate,
  note: z.string().trim().min(1, "must not be empty").max(NOTE_MAX),
});

async function visiblePerson(db: Db, actor: Actor, personId: string, now: Date) {
  const person = await findVisiblePerson(db, actor, personId, now);
  if (!person) throw notFound("Person");
  return person;
}

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

  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/people/:personId/case-notes",
    summary: "The person's case notes, newest first",
    tag: "Case notes",
    permission: "journey.view",
    audit: "case_note.view",
    personParam: "personId",
    contract: { params: PersonParams, response: CaseNotes },
    handler: async ({ params }, ctx) => {
      const person = await visiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      const notes = await caseNotesOf(ctx.db, person.id);
      ctx.audit({ summary: { notes: notes.length } });
      return {
        notes: notes.map((n) => ({
          id: n.id,
          occurredOn: n.occurred_on,
          note: n.note,
          author: n.author_name,
          agency: n.agency,
        })),
      };
    },
  });

  addApiRoute(app, services, {
    method: "POST",
    url: "/api/v1/people/:personId/case-notes",
    summary: "Add a case note to the person's record",
    tag: "Case notes",
    permission: "case_note.write",
    audit: "case_note.write",
    personParam: "personId",
    status: 201,
    contract: {
      params: PersonParams,
      body: NewCaseNote,
      response: Created,
    },
    handler: async ({ params, body }, ctx) => {
      const person = await visiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      const today = todayIn(ctx.now);
      const problems = [
        ...(body.occurredOn > today ? ["cannot be in the future"] : []),
        ...(person.date_of_birth && body.occurredOn < person.date_of_birth
          ? ["cannot be before the person was born"]
          : []),
      ];
      if (problems.length > 0) {
        throw new AppError(
          "validation",
          "What you sent is not valid. Nothing was saved.",
          problems.map((message) => ({ field: "/body/occurredOn", message })),
        );
      }
      const { noteId } = await addCaseNote(ctx.db, ctx.actor, person, body);
      ctx.audit({ subjectType: "case_note", subjectId: noteId });
      return { id: noteId };
    },
  });
}
