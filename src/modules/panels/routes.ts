import type { FastifyInstance, FastifyRequest } from "fastify";
import { can, type Actor } from "../../access/actor.ts";
import { todayIn } from "../../domain/dates.ts";
import { notFound } from "../../platform/errors.ts";
import { saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { registerAgendaItemRoutes } from "./item-routes.ts";
import { getMeeting, idParam, type Meeting } from "./load.ts";
import {
  agencyChoices,
  agendaChildChoices,
  agendaContextChoices,
  attendeesOf,
  findPanel,
  kindLabel,
  panelKinds,
  panelsOf,
  visibleAgenda,
} from "./queries.ts";
import { addAttendee, addToAgenda, createPanel, scheduleMeeting } from "./service.ts";

/**
 * Multi-agency panels (MACE, MASP): the LA's panels and their meetings, each meeting's
 * attendees by agency and its agenda of children and contexts. Who sees which agenda item is
 * decided in src/access/panels.ts; agenda items, decisions and actions are in item-routes.ts.
 */
type Form = Record<string, unknown>;

async function meetingPage(
  ctx: RouteContext,
  actor: Actor,
  meeting: Meeting,
  values: Form = {},
): Promise<RouteResult> {
  const agenda = await visibleAgenda(ctx.db, actor, ctx.now, { meetingId: meeting.id });
  const canRecord = can(actor, "panel.record");
  ctx.audit({
    subjectType: "panel_meeting",
    subjectId: meeting.id,
    personIds: agenda.flatMap((i) => (i.person ? [i.person.id] : [])),
    summary: { agendaItems: agenda.length },
  });
  return {
    view: "panels/views/meeting.njk",
    data: {
      title: `${meeting.panel_name} meeting`,
      meeting,
      kindLabel: kindLabel(meeting.panel_kind),
      attendees: await attendeesOf(ctx.db, meeting.id),
      agenda,
      canRecord,
      values,
      ...(canRecord
        ? {
            agencies: await agencyChoices(ctx.db, actor),
            children: await agendaChildChoices(ctx.db, actor, ctx.now),
            contexts: await agendaContextChoices(ctx.db, actor, ctx.now),
          }
        : {}),
    },
  };
}

function panelForm(values: Form): RouteResult {
  return {
    view: "panels/views/panel-form.njk",
    data: { title: "Add a panel", values, panelKinds },
  };
}

function meetingForm(panel: { id: string; name: string }, values: Form): RouteResult {
  return {
    view: "panels/views/meeting-form.njk",
    data: { title: `Schedule a ${panel.name} meeting`, panel, values },
  };
}

async function getPanel(ctx: RouteContext, request: FastifyRequest) {
  const panel = await findPanel(ctx.db, actorOf(ctx), idParam(request, "Panel"));
  if (!panel) throw notFound("Panel");
  return panel;
}

/** Multi-agency panels (MACE, MASP): meetings, agendas, decisions and actions. */
export function registerPanelRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/panels",
    permission: "panel.view",
    audit: "panel.view",
    handler: async (_request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const panels = await panelsOf(ctx.db, actor, ctx.now);
      ctx.audit({ summary: { panels: panels.length } });
      return {
        view: "panels/views/panels.njk",
        data: {
          title: "Multi-agency panels",
          panels,
          today: todayIn(ctx.now),
          canRecord: can(actor, "panel.record"),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/panels/new",
    permission: "panel.record",
    audit: "panel.record.form",
    handler: () => Promise.resolve(panelForm({})),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/panels",
    permission: "panel.record",
    audit: "panel.record",
    handler: async (request, _reply, ctx) => {
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          const id = await createPanel(ctx, actorOf(ctx), form);
          ctx.audit({ subjectType: "panel", subjectId: id });
          return { redirect: "/panels" };
        },
        () => panelForm(form),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/panels/:id/meetings/new",
    permission: "panel.record",
    audit: "panel.record.form",
    handler: async (request, _reply, ctx) => meetingForm(await getPanel(ctx, request), {}),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/panels/:id/meetings",
    permission: "panel.record",
    audit: "panel.record",
    handler: async (request, _reply, ctx) => {
      const panel = await getPanel(ctx, request);
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          const id = await scheduleMeeting(ctx, actorOf(ctx), panel.id, form);
          ctx.audit({ subjectType: "panel_meeting", subjectId: id });
          return { redirect: `/panels/meetings/${id}` };
        },
        () => meetingForm(panel, form),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/panels/meetings/:id",
    permission: "panel.view",
    audit: "panel.view",
    handler: async (request, _reply, ctx) => {
      const meeting = await getMeeting(ctx, idParam(request, "Meeting"));
      return meetingPage(ctx, actorOf(ctx), meeting);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/panels/meetings/:id/attendees",
    permission: "panel.record",
    audit: "panel.record",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const meeting = await getMeeting(ctx, idParam(request, "Meeting"));
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await addAttendee(ctx, actor, meeting.id, form);
          ctx.audit({ subjectType: "panel_meeting", subjectId: meeting.id });
          return { redirect: `/panels/meetings/${meeting.id}#attendees` };
        },
        () => meetingPage(ctx, actor, meeting, form),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/panels/meetings/:id/agenda",
    permission: "panel.record",
    audit: "panel.record",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const meeting = await getMeeting(ctx, idParam(request, "Meeting"));
      const form = (request.body ?? {}) as Form;
      // Two forms post here: one names a child (personId, reason), one a context.
      const isContext = form.subject === "context";
      const subject = isContext
        ? { contextId: typeof form.contextId === "string" ? form.contextId.trim() : "" }
        : { personId: typeof form.personId === "string" ? form.personId.trim() : "" };
      return saveForm(
        ctx,
        async () => {
          const saved = await addToAgenda(
            ctx,
            actor,
            meeting,
            subject,
            form,
            isContext ? "contextReason" : "reason",
          );
          ctx.audit({
            subjectType: "panel_agenda_item",
            subjectId: saved.itemId,
            ...(saved.personId ? { personIds: [saved.personId] } : {}),
          });
          return { redirect: `/panels/meetings/${meeting.id}#agenda` };
        },
        () => meetingPage(ctx, actor, meeting, form),
      );
    },
  });

  registerAgendaItemRoutes(app, services);
}
