import type { FastifyInstance } from "fastify";
import { can, type Actor } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { todayIn } from "../../domain/dates.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  requireMayRecordOn,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { getMeeting, idParam } from "./load.ts";
import { agencyChoices, upcomingMeetingChoices, visibleAgenda } from "./queries.ts";
import { addAction, addDecision, addToAgenda, markActionDone } from "./service.ts";

/**
 * One agenda item (a child or a context) with its decisions and actions, and a child's panel
 * appearances from their record. Every item is read through `visibleAgenda`, so an item the
 * actor may not see is a 404 here, like one that does not exist.
 */
type Form = Record<string, unknown>;
type Item = Awaited<ReturnType<typeof visibleAgenda>>[number];

async function getItem(ctx: RouteContext, id: string): Promise<Item> {
  const [item] = await visibleAgenda(ctx.db, actorOf(ctx), ctx.now, { itemId: id });
  if (!item) throw notFound("Agenda item");
  return item;
}

/** An agenda item to record on: a child's item needs the right to record on the child. */
async function getItemToRecordOn(ctx: RouteContext, id: string): Promise<Item> {
  const item = await getItem(ctx, id);
  if (item.person) await requireMayRecordOn(ctx, "panel.record", [item.person.id]);
  return item;
}

async function itemPage(
  ctx: RouteContext,
  actor: Actor,
  item: Item,
  values: Form = {},
): Promise<RouteResult> {
  ctx.audit({
    subjectType: "panel_agenda_item",
    subjectId: item.id,
    ...(item.person ? { personIds: [item.person.id] } : {}),
  });
  const canRecord = can(actor, "panel.record");
  return {
    view: "panels/views/item.njk",
    data: {
      title: `${item.person?.name ?? item.context?.label ?? ""} at ${item.panelName}`,
      item,
      values,
      canRecord,
      today: todayIn(ctx.now),
      agencies: canRecord ? await agencyChoices(ctx.db, actor) : [],
    },
  };
}

async function personPanelsPage(
  ctx: RouteContext,
  actor: Actor,
  person: VisiblePerson,
  values: Form = {},
): Promise<RouteResult> {
  const appearances = await visibleAgenda(ctx.db, actor, ctx.now, { personId: person.id });
  const canAdd = can(actor, "panel.record") && mayAddToRecord(person.via_break_glass);
  ctx.audit({ summary: { appearances: appearances.length } });
  return {
    view: "panels/views/person-panels.njk",
    data: {
      title: `Multi-agency panels for ${person.given_name} ${person.family_name}`,
      person,
      appearances,
      canAdd,
      values,
      meetings: canAdd ? await upcomingMeetingChoices(ctx.db, actor, ctx.now) : [],
    },
  };
}

export function registerAgendaItemRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/panels/agenda/:id",
    permission: "panel.view",
    audit: "panel.view",
    handler: async (request, _reply, ctx) =>
      itemPage(ctx, actorOf(ctx), await getItem(ctx, idParam(request, "Agenda item"))),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/panels/agenda/:id/decisions",
    permission: "panel.record",
    audit: "panel.record",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const item = await getItemToRecordOn(ctx, idParam(request, "Agenda item"));
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await addDecision(ctx, actor, item.id, form);
          ctx.audit({ subjectType: "panel_agenda_item", subjectId: item.id });
          return { redirect: `/panels/agenda/${item.id}` };
        },
        () => itemPage(ctx, actor, item, form),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/panels/agenda/:id/actions",
    permission: "panel.record",
    audit: "panel.record",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const item = await getItemToRecordOn(ctx, idParam(request, "Agenda item"));
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await addAction(ctx, actor, item.id, form);
          ctx.audit({ subjectType: "panel_agenda_item", subjectId: item.id });
          return { redirect: `/panels/agenda/${item.id}` };
        },
        () => itemPage(ctx, actor, item, form),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/panels/actions/:id/done",
    permission: "panel.record",
    audit: "panel.record",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const actionId = idParam(request, "Action");
      const found = await ctx.db
        .selectFrom("panel_action")
        .select("agenda_item_id")
        .where("id", "=", actionId)
        .where("la_id", "=", actor.laId)
        .executeTakeFirst();
      if (!found) throw notFound("Action");
      const item = await getItemToRecordOn(ctx, found.agenda_item_id);
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await markActionDone(ctx, actionId, form);
          ctx.audit({ subjectType: "panel_action", subjectId: actionId });
          return { redirect: `/panels/agenda/${item.id}` };
        },
        async () => itemPage(ctx, actor, await getItem(ctx, item.id)),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/panels",
    permission: "exploitation.view",
    audit: "panel.view",
    personParam: "id",
    handler: async (request, _reply, ctx) =>
      personPanelsPage(ctx, actorOf(ctx), await getVisiblePerson(ctx, personIdFrom(request))),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/panels",
    permission: "panel.record",
    audit: "panel.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          const meetingId = typeof form.meetingId === "string" ? form.meetingId : "";
          const upcoming = await upcomingMeetingChoices(ctx.db, actor, ctx.now);
          if (!upcoming.some((m) => m.id === meetingId)) {
            // Validate the reason too, so both problems are named at once.
            const f = new FormReader(form);
            f.fail("meetingId", "Select an upcoming panel meeting");
            f.text("reason", "the reason for the referral to the panel", { required: true });
            f.done();
          }
          const meeting = await getMeeting(ctx, meetingId);
          const saved = await addToAgenda(
            ctx,
            actor,
            meeting,
            { personId: person.id },
            form,
            "reason",
          ).catch((error: unknown) => {
            // On the child's page the child is given: a problem with them is the meeting's.
            if (!(error instanceof AppError)) throw error;
            throw new AppError(
              error.code,
              error.message,
              error.fieldErrors.map((e) =>
                e.field === "personId" ? { ...e, field: "meetingId" } : e,
              ),
            );
          });
          ctx.audit({ subjectType: "panel_agenda_item", subjectId: saved.itemId });
          return { redirect: `/people/${person.id}/panels` };
        },
        () => personPanelsPage(ctx, actor, person, form),
      );
    },
  });
}
