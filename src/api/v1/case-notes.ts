/**
 * Case notes as JSON, with the same visibility and audit as the notes page: a person the
 * client may not see is 404; the list is filterable (agency, dates) and cursor-paginated in
 * a stable order; adding a note needs case_note.write and sight of the record other than by
 * emergency access (the kernel asks recording.ts before the handler), and an Idempotency-Key
 * makes a retry return the first note rather than add another.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { todayIn } from "../../domain/dates.ts";
import { addCaseNote, NOTE_MAX } from "../../modules/visits/case-notes.ts";
import { caseNotePage } from "../../modules/visits/pages.ts";
import { AppError } from "../../platform/errors.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import {
  afterCursor,
  CalendarDate,
  Created,
  Cursor,
  encodeCursor,
  Id,
  Limit,
  PersonParams,
} from "../schemas.ts";
import { visiblePerson } from "./visible-person.ts";

/** The sort key a case-note or visit cursor carries. */
export const RowCursorKey = z.object({ on: CalendarDate, recordedAt: z.string().max(40), id: Id });

const CaseNotesQuery = z.strictObject({
  agency: Id.optional().describe("Only notes written by this organisation."),
  from: CalendarDate.optional().describe("Only notes of things on or after this date."),
  to: CalendarDate.optional().describe("Only notes of things on or before this date."),
  limit: Limit,
  cursor: Cursor.optional(),
});

export const CaseNotesPage = z
  .object({
    notes: z.array(
      z.object({
        id: Id,
        occurredOn: CalendarDate,
        note: z.string(),
        author: z.string(),
        agency: z.object({ id: Id, name: z.string() }),
      }),
    ),
    next: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
  })
  .meta({ id: "CaseNotesPage" });

const NewCaseNote = z.strictObject({
  occurredOn: CalendarDate,
  note: z.string().trim().min(1, "must not be empty").max(NOTE_MAX),
});

export function registerCaseNoteApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/people/:personId/case-notes",
    summary: "A page of the person's case notes, newest first",
    tag: "Case notes",
    permission: "journey.view",
    audit: "case_note.view",
    personParam: "personId",
    contract: { params: PersonParams, query: CaseNotesQuery, response: CaseNotesPage },
    handler: async ({ params, query }, ctx) => {
      const person = await visiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      const page = await caseNotePage(ctx.db, person.id, {
        agency: query.agency,
        from: query.from,
        to: query.to,
        after: afterCursor(query.cursor, RowCursorKey),
        limit: query.limit,
      });
      ctx.audit({
        summary: {
          filtered: Boolean(query.agency ?? query.from ?? query.to),
          notes: page.entries.length,
        },
      });
      return {
        notes: page.entries.map((n) => ({
          id: n.id,
          occurredOn: n.occurred_on,
          note: n.note,
          author: n.author_name,
          agency: { id: n.organisation_id, name: n.agency },
        })),
        next: page.next ? encodeCursor(page.next) : null,
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
    contract: { params: PersonParams, body: NewCaseNote, response: Created },
    handler: async ({ params, body }, ctx) => {
      const person = await visiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      const problems = [
        ...(body.occurredOn > todayIn(ctx.now) ? ["cannot be in the future"] : []),
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
