/**
 * One group supervision session: record it as held (who attended and the reflective
 * discussion), the team manager's decisions, the actions agreed, and marking actions done.
 * Decisions and actions belong to a session that has been held.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { mayMarkActionDone, mayRecordSupervisionActions } from "../../access/family-supervision.ts";
import { todayIn } from "../../domain/dates.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import { addRoute, isUuid, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { recordOnChildren, requireRecordable } from "./family.ts";
import {
  formOf,
  overviewPage,
  sessionPage,
  supervisionFamily,
  supervisionUrl,
  type SupervisionFamily,
} from "./supervision-pages.ts";
import {
  attendeesOf,
  getActionForUpdate,
  getSession,
  practitionersOnFamily,
  type Session,
} from "./supervision-queries.ts";

const DISCUSSION_MAX = 20_000;
const DECISION_MAX = 5000;
const ACTION_MAX = 2000;

function sessionIdFrom(request: FastifyRequest): unknown {
  return (request.params as { sessionId?: unknown }).sessionId;
}

/** The session and its family, for a change: the session row is locked until commit. */
async function sessionToChange(
  ctx: RouteContext,
  request: FastifyRequest,
): Promise<{ context: SupervisionFamily; session: Session }> {
  const context = await supervisionFamily(ctx, request);
  requireRecordable(context.family);
  const session = await getSession(ctx.db, context.workbook.id, sessionIdFrom(request), {
    lock: true,
  });
  return { context, session };
}

function stale(what: string): AppError {
  return new AppError(
    "conflict",
    `Someone else changed ${what} while you were editing. Nothing you entered has been saved: check what is shown now and try again.`,
  );
}

export function registerSupervisionSessionRoutes(
  app: FastifyInstance,
  services: AppServices,
): void {
  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook/supervision/:sessionId",
    permission: "family.view",
    audit: "supervision.view",
    handler: async (request, _reply, ctx) => {
      const context = await supervisionFamily(ctx, request);
      const session = await getSession(ctx.db, context.workbook.id, sessionIdFrom(request));
      return sessionPage(ctx, context, session);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/supervision/:sessionId/discussion",
    permission: "supervision.record",
    audit: "supervision.record",
    handler: async (request, _reply, ctx) => {
      const { context, session } = await sessionToChange(ctx, request);
      const { actor, family, workbook } = context;
      const form = formOf(request.body);
      const today = todayIn(ctx.now);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const version = f.version();
          // Whoever is on the family now, and anyone already recorded as attending.
          const known = [
            ...(await practitionersOnFamily(
              ctx.db,
              family.laId,
              family.members.map((m) => m.id),
              today,
            )),
            ...(await attendeesOf(ctx.db, session.id)),
          ].map((p) => ({ code: p.id, label: p.name }));
          // The date held is recorded once; later edits correct the discussion and attendance.
          const heldOn =
            session.heldOn ??
            f.date("heldOn", "the date the session was held", {
              required: true,
              notAfter: today,
              notBefore: { date: workbook.openedOn, what: "the date the Workbook was opened" },
            });
          const attendees = f.codes("attendees", known, "who attended");
          if (attendees.length === 0)
            f.fail("attendees", "Select at least one person who attended");
          const hypothesis = f.text("hypothesis", "the hypothesis", {
            required: true,
            max: DISCUSSION_MAX,
          });
          const whatChanged = f.text("whatChanged", "what has changed", {
            required: true,
            max: DISCUSSION_MAX,
          });
          const riskAnalysis = f.text("riskAnalysis", "the analysis of risk and need", {
            required: true,
            max: DISCUSSION_MAX,
          });
          f.done();
          if (!heldOn) throw new Error("validated form lost a value");
          const updated = await ctx.db
            .updateTable("group_supervision")
            .set({
              held_on: heldOn,
              hypothesis,
              what_changed: whatChanged,
              risk_analysis: riskAnalysis,
              discussion_recorded_by: actor.userId,
              version: version + 1,
            })
            .where("id", "=", session.id)
            .where("version", "=", version)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 0n) throw stale("this session");
          await ctx.db
            .deleteFrom("group_supervision_attendee")
            .where("supervision_id", "=", session.id)
            .execute();
          await ctx.db
            .insertInto("group_supervision_attendee")
            .values(attendees.map((userId) => ({ supervision_id: session.id, user_id: userId })))
            .execute();
          if (session.heldOn === null) {
            await recordOnChildren(ctx.db, actor, family, {
              occurredOn: heldOn,
              kind: "group_supervision",
              summary: "Group supervision held",
              subject: { type: "group_supervision", id: session.id },
            });
          }
          ctx.audit({
            subjectType: "group_supervision",
            subjectId: session.id,
            summary: { held: heldOn, attendees: attendees.length, edit: session.heldOn !== null },
          });
          return { redirect: supervisionUrl(family, session.id) };
        },
        () => sessionPage(ctx, context, session, { form: "discussion", values: form }),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/supervision/:sessionId/decisions",
    permission: "supervision.decide",
    audit: "supervision.decide",
    handler: async (request, _reply, ctx) => {
      const { context, session } = await sessionToChange(ctx, request);
      const { actor, family } = context;
      const form = formOf(request.body);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const decision = f.text("decision", "the decision", {
            required: true,
            max: DECISION_MAX,
          });
          if (session.heldOn === null) {
            f.fail("decision", "Record the session as held before recording its decisions");
          }
          f.done();
          const heldOn = session.heldOn;
          if (heldOn === null) throw new Error("validated form lost a value");
          const saved = await ctx.db
            .insertInto("supervision_decision")
            .values({
              la_id: family.laId,
              supervision_id: session.id,
              decision,
              decided_by: actor.userId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          // The decision's words stay on the session: they may carry health detail.
          await recordOnChildren(ctx.db, actor, family, {
            occurredOn: heldOn,
            kind: "supervision_decision",
            summary: "Decision recorded at group supervision",
            subject: { type: "group_supervision", id: session.id },
          });
          ctx.audit({ subjectType: "supervision_decision", subjectId: saved.id });
          return { redirect: supervisionUrl(family, session.id) };
        },
        () => sessionPage(ctx, context, session, { form: "decision", values: form }),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/supervision/:sessionId/actions",
    permission: "family.view",
    audit: "supervision.record",
    handler: async (request, _reply, ctx) => {
      const { context, session } = await sessionToChange(ctx, request);
      const { actor, family } = context;
      if (!mayRecordSupervisionActions(actor)) throw notFound("Page");
      const form = formOf(request.body);
      const today = todayIn(ctx.now);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const action = f.text("action", "the action", { required: true, max: ACTION_MAX });
          const owners = await practitionersOnFamily(
            ctx.db,
            family.laId,
            family.members.map((m) => m.id),
            today,
          );
          const ownerId = f.code(
            "ownerId",
            owners.map((p) => ({ code: p.id, label: p.name })),
            "who owns the action",
            { required: true },
          );
          const dueOn = f.date("actionDue", "the date the action is due", {
            required: true,
            ...(session.heldOn
              ? { notBefore: { date: session.heldOn, what: "the date of the session" } }
              : {}),
          });
          if (session.heldOn === null) {
            f.fail("action", "Record the session as held before adding the actions agreed");
          }
          f.done();
          if (!ownerId || !dueOn) throw new Error("validated form lost a value");
          const saved = await ctx.db
            .insertInto("supervision_action")
            .values({
              la_id: family.laId,
              supervision_id: session.id,
              action,
              owner_user_id: ownerId,
              due_on: dueOn,
              recorded_by: actor.userId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          ctx.audit({ subjectType: "supervision_action", subjectId: saved.id });
          return { redirect: supervisionUrl(family, session.id) };
        },
        () => sessionPage(ctx, context, session, { form: "action", values: form }),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/supervision/actions/:actionId/done",
    permission: "family.view",
    audit: "supervision.record",
    handler: async (request, _reply, ctx) => {
      const context = await supervisionFamily(ctx, request);
      const { actor, family, workbook } = context;
      requireRecordable(family);
      const { actionId } = request.params as { actionId?: unknown };
      const action = await getActionForUpdate(ctx.db, workbook.id, actionId);
      if (!mayMarkActionDone(actor, action.ownerId)) {
        throw new AppError(
          "forbidden",
          "Only the action's owner, business support or the team manager may mark it done",
        );
      }
      const form = formOf(request.body);
      // The page the button was on: a session of this family, else its supervision page.
      const from = isUuid(form.from) ? form.from : undefined;
      const back = from
        ? await getSession(ctx.db, workbook.id, from).catch(() => undefined)
        : undefined;
      return saveForm(
        ctx,
        async () => {
          const version = new FormReader(form).version();
          if (action.completedOn !== null) throw stale("this action");
          const updated = await ctx.db
            .updateTable("supervision_action")
            .set({
              completed_on: todayIn(ctx.now),
              completed_by: actor.userId,
              version: version + 1,
            })
            .where("id", "=", action.id)
            .where("version", "=", version)
            .where("completed_on", "is", null)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 0n) throw stale("this action");
          ctx.audit({ subjectType: "supervision_action", subjectId: action.id });
          return { redirect: supervisionUrl(family, back?.id) };
        },
        () =>
          back
            ? sessionPage(ctx, context, back, { form: "done", values: {} })
            : overviewPage(ctx, context),
      );
    },
  });
}
