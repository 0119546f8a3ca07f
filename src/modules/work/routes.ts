/**
 * The team's unallocated queue (decision 0020): what waits for a worker, how long it has
 * waited and its red/amber/green status, with allocation from the queue; and the form that
 * records work no other record asks for (telling the referrer) as done.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { todayIn } from "../../domain/dates.ts";
import { daysWaiting, ragStatus, AMBER_WORKING_DAYS, workLabels } from "../../domain/work.ts";
import { notFound } from "../../platform/errors.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { dateParts } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { chosenId, dateInput, Id, text } from "../../platform/schemas.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn } from "../people/routes.ts";
import { allocatableWorkers } from "../journey/workers.ts";
import { openWork } from "./queries.ts";
import { allocateWorkItem, openNoteWork, recordWorkDone } from "./service.ts";

/** `/people/:id/work/:workItemId/...`: a child's work item. */
const WorkItemParams = z.object({ id: Id, workItemId: Id });
type WorkItemParams = z.infer<typeof WorkItemParams>;

const AllocateForm = z.object({ workerId: chosenId("Choose the worker to allocate") });

/** The done form: when it was done (not ahead of today) and what was done. */
const DoneForm = (now: Date) =>
  z.object({
    doneOn: dateInput("the date it was done", { required: true, notAfter: todayIn(now) }),
    note: text("what was done", { required: true, max: 5000 }),
  });

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
  values: FormValues,
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

  addFormRoute(app, services, {
    url: "/people/:id/work/:workItemId/allocate",
    permission: "caseload.manage",
    audit: "work.allocate",
    personParam: "id",
    params: WorkItemParams,
    body: AllocateForm,
    load: async (ctx, params) => {
      const person = await getPersonToRecordOn(ctx, params.id);
      ctx.audit({ subjectType: "work_item", subjectId: params.workItemId });
      return { person, workItemId: params.workItemId };
    },
    // The queue is the form: the item's row shows why it was not allocated.
    page: (ctx, { workItemId }, _values, error) =>
      queuePage(ctx, {
        itemId: workItemId,
        message: error.fieldErrors[0]?.message ?? error.message,
      }),
    save: async (ctx, { person, workItemId }, body) => {
      const done = await allocateWorkItem(ctx.db, actorOf(ctx), {
        workItemId,
        personId: person.id,
        workerId: body.workerId,
        date: todayIn(ctx.now),
      });
      ctx.audit({ summary: { kind: done.kind, worker: done.workerId } });
      return { redirect: "/my-team/unallocated" };
    },
  });

  const noteItem = async (ctx: RouteContext, params: WorkItemParams) => {
    const person = await getPersonToRecordOn(ctx, params.id);
    const item = await openNoteWork(ctx.db, person.id, params.workItemId);
    if (!item) throw notFound("Work item");
    ctx.audit({ subjectType: "work_item", subjectId: item.id });
    return { person, item };
  };

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/work/:workItemId/done",
    permission: "journey.record",
    audit: "work.done.form",
    personParam: "id",
    params: WorkItemParams,
    handler: async (_request, _reply, ctx, { params }) => {
      const { person, item } = await noteItem(ctx, params);
      return donePage(person, item, dateParts("doneOn", todayIn(ctx.now)));
    },
  });

  addFormRoute(app, services, {
    url: "/people/:id/work/:workItemId/done",
    permission: "journey.record",
    audit: "work.done",
    personParam: "id",
    params: WorkItemParams,
    body: DoneForm,
    load: noteItem,
    page: (_ctx, { person, item }, values) => donePage(person, item, values),
    save: async (ctx, { person, item }, body) => {
      const done = await recordWorkDone(ctx.db, actorOf(ctx), {
        workItemId: item.id,
        personId: person.id,
        doneOn: body.doneOn,
        note: body.note,
      });
      ctx.audit({ summary: { kind: done.kind, caseNote: done.noteId } });
      return { redirect: `/people/${person.id}/journey` };
    },
  });
}
