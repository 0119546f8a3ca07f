/**
 * The two group supervision pages, built as data for their views: the family's supervision
 * (sessions, when the next is due, every open action) and one session. Each is also shown
 * again, with the user's answers and the reasons, when a form on it is refused.
 */
import type { FastifyRequest } from "fastify";
import type { Actor } from "../../access/actor.ts";
import { can } from "../../access/actor.ts";
import { mayMarkActionDone, mayRecordSupervisionActions } from "../../access/family-supervision.ts";
import { todayIn } from "../../domain/dates.ts";
import { isOverdue } from "../../domain/timescales.ts";
import { dateParts } from "../../platform/forms.ts";
import { actorOf, type RouteContext, type RouteResult } from "../../platform/routes.ts";
import {
  familyIdFrom,
  getVisibleFamily,
  requireTeamWork,
  workbookOf,
  type VisibleFamily,
  type Workbook,
} from "./family.ts";
import { nextSupervisionDue } from "./supervision-due.ts";
import {
  actionsOf,
  attendeesOf,
  decisionsOf,
  practitionersOnFamily,
  sessionsOf,
  type Session,
  type SupervisionAction,
} from "./supervision-queries.ts";

export type Form = Record<string, unknown>;

export interface SupervisionFamily {
  actor: Actor;
  family: VisibleFamily;
  workbook: Workbook;
}

/**
 * The family whose supervision this request is about: 404 for anyone outside the LA's team
 * work (partners, analysts, administrators) before the family is even looked up, and for
 * anyone who sees none of its members or where no Workbook has been opened.
 */
export async function supervisionFamily(
  ctx: RouteContext,
  request: FastifyRequest,
): Promise<SupervisionFamily> {
  const actor = actorOf(ctx);
  requireTeamWork(actor);
  const family = await getVisibleFamily(ctx, familyIdFrom(request));
  return { actor, family, workbook: workbookOf(family) };
}

export function supervisionUrl(family: VisibleFamily, sessionId?: string): string {
  const base = `/families/${family.id}/workbook/supervision`;
  return sessionId ? `${base}/${sessionId}` : base;
}

/** Recording needs sight of a member other than through emergency access alone. */
export function recordable(family: VisibleFamily): boolean {
  return family.members.some((m) => !m.viaBreakGlassOnly);
}

function withStatus(
  actor: Actor,
  family: VisibleFamily,
  actions: SupervisionAction[],
  today: string,
) {
  return actions.map((a) => ({
    ...a,
    overdue: a.completedOn === null && isOverdue(a.dueOn, today),
    canMarkDone:
      a.completedOn === null && recordable(family) && mayMarkActionDone(actor, a.ownerId),
  }));
}

export async function overviewPage(
  ctx: RouteContext,
  { actor, family, workbook }: SupervisionFamily,
  form: Form = {},
): Promise<RouteResult> {
  const today = todayIn(ctx.now);
  const sessions = await sessionsOf(ctx.db, workbook.id);
  const due = nextSupervisionDue(
    workbook.openedOn,
    workbook.supervisionIntervalWeeks,
    sessions.flatMap((s) => (s.heldOn ? [s.heldOn] : [])),
    sessions.flatMap((s) => (s.heldOn ? [] : [s.scheduledFor])),
    today,
  );
  const openActions = withStatus(
    actor,
    family,
    await actionsOf(ctx.db, workbook.id, { open: true }),
    today,
  );
  const sessionDate = new Map(sessions.map((s) => [s.id, s.heldOn ?? s.scheduledFor]));
  ctx.audit({ summary: { sessions: sessions.length, openActions: openActions.length } });
  return {
    view: "family/views/supervision.njk",
    data: {
      title: "Group supervision",
      family,
      workbook,
      due,
      sessions,
      openActions: openActions.map((a) => ({ ...a, sessionOn: sessionDate.get(a.sessionId) })),
      canSchedule: can(actor, "supervision.record") && recordable(family),
      canSetInterval: mayRecordSupervisionActions(actor) && recordable(family),
      values: { intervalWeeks: String(workbook.supervisionIntervalWeeks), ...form },
      baseUrl: supervisionUrl(family),
    },
  };
}

/** Which of the page's forms was submitted, so its answers go back into it. */
export type SessionForm = "discussion" | "decision" | "action" | "done" | undefined;

export async function sessionPage(
  ctx: RouteContext,
  { actor, family, workbook }: SupervisionFamily,
  session: Session,
  submitted: { form?: SessionForm; values?: Form } = {},
): Promise<RouteResult> {
  const today = todayIn(ctx.now);
  const sessions = await sessionsOf(ctx.db, workbook.id);
  const position = sessions.findIndex((s) => s.id === session.id);
  const earlier = new Set(sessions.slice(0, Math.max(position, 0)).map((s) => s.id));
  const sessionDate = new Map(sessions.map((s) => [s.id, s.heldOn ?? s.scheduledFor]));
  const [attendees, decisions, actions, open, practitioners] = await Promise.all([
    attendeesOf(ctx.db, session.id),
    decisionsOf(ctx.db, session.id),
    actionsOf(ctx.db, workbook.id, { sessionId: session.id }),
    actionsOf(ctx.db, workbook.id, { open: true }),
    practitionersOnFamily(
      ctx.db,
      family.laId,
      family.members.map((m) => m.id),
      today,
    ),
  ]);
  const carried = open
    .filter((a) => earlier.has(a.sessionId))
    .map((a) => ({ ...a, sessionOn: sessionDate.get(a.sessionId) }));
  const held = session.heldOn !== null;
  const canWrite = recordable(family);
  const discussionDefaults: Form = {
    hypothesis: session.hypothesis,
    whatChanged: session.whatChanged,
    riskAnalysis: session.riskAnalysis,
    attendees: attendees.map((a) => a.id),
    // Most sessions are recorded on the day they were scheduled for.
    ...(session.heldOn === null && session.scheduledFor <= today
      ? dateParts("heldOn", session.scheduledFor)
      : {}),
  };
  const values: Form =
    submitted.form === "discussion"
      ? { ...submitted.values, attendees: asList(submitted.values?.attendees) }
      : { ...discussionDefaults, ...(submitted.form ? submitted.values : {}) };
  ctx.audit({
    subjectType: "group_supervision",
    subjectId: session.id,
    summary: { decisions: decisions.length, actions: actions.length, carried: carried.length },
  });
  return {
    view: "family/views/supervision-session.njk",
    data: {
      title: held ? "Group supervision session" : "Scheduled group supervision",
      family,
      session,
      held,
      attendees,
      decisions,
      actions: withStatus(actor, family, actions, today),
      carried: withStatus(actor, family, carried, today),
      practitioners,
      // Anyone recorded as attending stays a choice, though no longer on the family.
      attendeeChoices: [
        ...practitioners,
        ...attendees.filter((a) => !practitioners.some((p) => p.id === a.id)),
      ],
      canRecord: can(actor, "supervision.record") && canWrite,
      canDecide: can(actor, "supervision.decide") && canWrite && held,
      canAddActions: mayRecordSupervisionActions(actor) && canWrite && held,
      values,
      submittedForm: submitted.form,
      baseUrl: supervisionUrl(family),
      sessionUrl: supervisionUrl(family, session.id),
    },
  };
}

export function asList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === "string");
}

export function formOf(body: unknown): Form {
  return (body ?? {}) as Form;
}
