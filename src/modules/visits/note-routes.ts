import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { can } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { todayIn } from "../../domain/dates.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import { dateInput, PersonParams, text } from "../../platform/schemas.ts";
import { addCaseNote, caseNotesOf, NOTE_MAX } from "./case-notes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson } from "../people/routes.ts";
import { refuseBeforeBirth } from "./service.ts";

/**
 * Case notes: any agency may write on a record it may see (partners on records shared with
 * them, adult specialists, LA social workers and managers; decision 0010), so each note shows
 * its author's agency. Nobody writes on a record seen only through emergency access.
 */

/** The note form: when it happened (not ahead of today; not before birth, checked on save). */
const NoteForm = (now: Date) =>
  z.object({
    occurredOn: dateInput("the date it happened", { required: true, notAfter: todayIn(now) }),
    note: text("the case note", { required: true, max: NOTE_MAX }),
  });

function noteForm(person: VisiblePerson, values: FormValues): RouteResult {
  return {
    view: "visits/views/note-form.njk",
    data: {
      title: `Add a case note for ${person.given_name} ${person.family_name}`,
      person,
      values,
    },
  };
}

export function registerCaseNoteRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/notes",
    permission: "journey.view",
    audit: "case_note.view",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx, { params }) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, params.id);
      const notes = await caseNotesOf(ctx.db, person.id);
      ctx.audit({
        summary: { notes: notes.length, ...(person.via_break_glass ? { breakGlass: true } : {}) },
      });
      return {
        view: "visits/views/notes.njk",
        data: {
          title: `Case notes for ${person.given_name} ${person.family_name}`,
          person,
          notes,
          canWrite: can(actor, "case_note.write") && mayAddToRecord(person.via_break_glass),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/notes/new",
    permission: "case_note.write",
    audit: "case_note.write.form",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx, { params }) =>
      noteForm(await getPersonToRecordOn(ctx, params.id), {}),
  });

  addFormRoute(app, services, {
    url: "/people/:id/notes",
    permission: "case_note.write",
    audit: "case_note.write",
    personParam: "id",
    params: PersonParams,
    body: NoteForm,
    load: (ctx, params) => getPersonToRecordOn(ctx, params.id),
    page: (_ctx, person, values) => noteForm(person, values),
    save: async (ctx, person, body) => {
      refuseBeforeBirth(person, body.occurredOn, "occurredOn-day", "the date it happened");
      const saved = await addCaseNote(ctx.db, actorOf(ctx), person, body);
      ctx.audit({ subjectType: "case_note", subjectId: saved.noteId });
      return { redirect: `/people/${person.id}/notes` };
    },
  });
}
