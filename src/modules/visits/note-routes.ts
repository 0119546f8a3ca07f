import type { FastifyInstance } from "fastify";
import { can } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { todayIn } from "../../domain/dates.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import type { AppServices, RouteResult } from "../../platform/routes.ts";
import { addRoute } from "../../platform/routes.ts";
import { addCaseNote, caseNotesOf, NOTE_MAX } from "./case-notes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { actorOf, formOf, notBeforeBirth, type Form } from "./context.ts";

/**
 * Case notes: any agency may write on a record it may see (partners on records shared with
 * them, adult specialists, LA social workers and managers; decision 0010), so each note shows
 * its author's agency. Nobody writes on a record seen only through emergency access.
 */
function noteForm(person: VisiblePerson, values: Form): RouteResult {
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
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, personIdFrom(request));
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
    handler: async (request, _reply, ctx) =>
      noteForm(await getPersonToRecordOn(ctx, personIdFrom(request)), {}),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/notes",
    permission: "case_note.write",
    audit: "case_note.write",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = formOf(request.body);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const occurredOn = f.date("occurredOn", "the date it happened", {
            required: true,
            notAfter: todayIn(ctx.now),
            ...notBeforeBirth(person.date_of_birth),
          });
          const note = f.text("note", "the case note", { required: true, max: NOTE_MAX });
          f.done();
          if (occurredOn === null) throw new Error("validated form lost a value");
          const saved = await addCaseNote(ctx.db, actor, person, { occurredOn, note });
          ctx.audit({ subjectType: "case_note", subjectId: saved.noteId });
          return { redirect: `/people/${person.id}/notes` };
        },
        () => noteForm(person, form),
      );
    },
  });
}
