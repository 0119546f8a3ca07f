/**
 * The team's unallocated queue (decision 0020): what waits for a worker, how long it has
 * waited and its red/amber/green status, with allocation from the queue; and the form that
 * records work no other record asks for (telling the referrer) as done.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import { daysWaiting, ragStatus, AMBER_WORKING_DAYS, workLabels } from "../../domain/work.ts";
import { notFound } from "../../platform/errors.ts";
import { dateParts, FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, personIdFrom } from "../people/routes.ts";
import { allocatableWorkers } from "../journey/workers.ts";
import { openWork } from "./queries.ts";
import { allocateWorkItem, openNoteWork, recordWorkDone } from "./service.ts";

type Form = Record<string, unknown>;

function workItemIdFrom(request: FastifyRequest): string {
  const { workItemId } = request.params as { workItemId?: unknown };
  if (!isUuid(workItemId)) throw notFound("Work item");
  return workItemId;
}

const ragLabels = { red: "Overdue", amber: "Due soon", green: "On track" } as const;
/** GOV.UK's tag colours: amber is its yellow. */
const ragColours = { red: "red", amber: "yellow", green: "green" } as const;

async function queuePage(ctx: RouteContext, errors?: { itemId: string; message: string }) {
  const actor = actorOf(ctx);
  const today = todayIn(ctx.now);
  const items = await openWork(ctx.db, actor, ctx.now, { unallocatedIn: "managed" });
  const workers = await allocatableWorkers(ctx.db, actor);
  ctx.audit({
    personIds: [...new Set(items.map((i) => i.personId))],
    summary: { items: items.length },
  });
  return {
    view: "work/views/unallocated.njk",
    data: {
      title: "Unallocated work",
      amberDays: AMBER_WORKING_DAYS,
      items: items.map((i) => {
        const rag = ragStatus(i.dueOn, today);
        return {
          ...i,
          rag,
          ragLabel: ragLabels[rag],
          tagColour: ragColours[rag],
          days: daysWaiting(i.createdOn, today),
          error: errors?.itemId === i.id ? errors.message : undefined,
          workerItems: [
            { value: "", text: "Choose a worker" },
            ...workers
              .filter((w) => w.team_id === i.teamId)
              .map((w) => ({ value: w.id, text: w.display_name })),
          ],
        };
      }),
    },
  };
}

function donePage(
  person: VisiblePerson,
  item: { id: string; kind: keyof typeof workLabels; due_on: string },
  values: Form,
): RouteResult {
  return {
    view: "work/views/done.njk",
    data: {
      title: workLabels[item.kind],
      person,
      item,
      values,
      action: `/people/${person.id}/work/${item.id}/done`,
    },
  };
}

export function registerWorkRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/my-team/unallocated",
    permission: "caseload.manage",
    audit: "work.unallocated",
    handler: (_request, _reply, ctx) => queuePage(ctx),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/work/:workItemId/allocate",
    permission: "caseload.manage",
    audit: "work.allocate",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const workItemId = workItemIdFrom(request);
      const form = (request.body ?? {}) as Form;
      ctx.audit({ subjectType: "work_item", subjectId: workItemId });
      return saveForm(
        ctx,
        async () => {
          const reader = new FormReader(form);
          const workerId = reader.raw("workerId");
          if (!isUuid(workerId)) reader.fail("workerId", "Choose the worker to allocate");
          reader.done();
          const done = await allocateWorkItem(ctx.db, actor, {
            workItemId,
            personId: person.id,
            workerId,
            date: todayIn(ctx.now),
          });
          ctx.audit({ summary: { kind: done.kind, worker: done.workerId } });
          return { redirect: "/my-team/unallocated" };
        },
        (error) =>
          queuePage(ctx, {
            itemId: workItemId,
            message: error.fieldErrors[0]?.message ?? error.message,
          }),
      );
    },
  });

  const noteItem = async (ctx: RouteContext, person: VisiblePerson, id: string) => {
    const item = await openNoteWork(ctx.db, person.id, id);
    if (!item) throw notFound("Work item");
    ctx.audit({ subjectType: "work_item", subjectId: item.id });
    return item;
  };

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/work/:workItemId/done",
    permission: "journey.record",
    audit: "work.done.form",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const item = await noteItem(ctx, person, workItemIdFrom(request));
      return donePage(person, item, dateParts("doneOn", todayIn(ctx.now)));
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/work/:workItemId/done",
    permission: "journey.record",
    audit: "work.done",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const item = await noteItem(ctx, person, workItemIdFrom(request));
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          const reader = new FormReader(form);
          const doneOn = reader.date("doneOn", "the date it was done", {
            required: true,
            notAfter: todayIn(ctx.now),
          });
          const note = reader.text("note", "what was done", { required: true, max: 5000 });
          reader.done();
          if (!doneOn) throw new Error("unreachable: the form was checked");
          const done = await recordWorkDone(ctx.db, actor, {
            workItemId: item.id,
            personId: person.id,
            doneOn,
            note,
          });
          ctx.audit({ summary: { kind: done.kind, caseNote: done.noteId } });
          return { redirect: `/people/${person.id}/journey` };
        },
        () => donePage(person, item, form),
      );
    },
  });
}
