/**
 * Group supervision of a family (Family Safeguarding): the team meets every few weeks to think
 * about the family together. Business support schedule sessions and record the reflective
 * discussion, the team manager records the decisions, and actions carry from session to
 * session until done. It is the LA team's own working space: partners never see it.
 */
import type { FastifyInstance } from "fastify";
import { mayRecordSupervisionActions } from "../../access/family-supervision.ts";
import { todayIn } from "../../domain/dates.ts";
import { addDays } from "../../domain/working-days.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import { addRoute, type AppServices } from "../../platform/routes.ts";
import { requireRecordable } from "./family.ts";
import { formOf, overviewPage, supervisionFamily, supervisionUrl } from "./supervision-pages.ts";
import { registerSupervisionSessionRoutes } from "./supervision-session.ts";

/** How far ahead a session may be scheduled: a year is a typing mistake waiting to happen. */
const SCHEDULE_AHEAD_DAYS = 366;
const MIN_INTERVAL_WEEKS = 1;
const MAX_INTERVAL_WEEKS = 26;

export function registerSupervisionRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook/supervision",
    permission: "family.view",
    audit: "supervision.view",
    handler: async (request, _reply, ctx) =>
      overviewPage(ctx, await supervisionFamily(ctx, request)),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/supervision",
    permission: "supervision.record",
    audit: "supervision.record",
    handler: async (request, _reply, ctx) => {
      const context = await supervisionFamily(ctx, request);
      const { actor, family, workbook } = context;
      requireRecordable(family);
      const form = formOf(request.body);
      const today = todayIn(ctx.now);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const scheduledFor = f.date("scheduledFor", "the date of the session", {
            required: true,
            notBefore: { date: today, what: "today" },
          });
          if (scheduledFor && scheduledFor > addDays(today, SCHEDULE_AHEAD_DAYS)) {
            f.fail("scheduledFor-day", "The date of the session must be within the next year");
          }
          f.done();
          if (!scheduledFor) throw new Error("validated form lost a value");
          const saved = await ctx.db
            .insertInto("group_supervision")
            .values({
              la_id: family.laId,
              workbook_id: workbook.id,
              scheduled_for: scheduledFor,
              created_by: actor.userId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          ctx.audit({
            subjectType: "group_supervision",
            subjectId: saved.id,
            summary: { scheduled: scheduledFor },
          });
          return { redirect: supervisionUrl(family, saved.id) };
        },
        () => overviewPage(ctx, context, form),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/supervision/interval",
    permission: "family.view",
    audit: "supervision.record",
    handler: async (request, _reply, ctx) => {
      const context = await supervisionFamily(ctx, request);
      const { actor, family, workbook } = context;
      if (!mayRecordSupervisionActions(actor)) throw notFound("Page");
      requireRecordable(family);
      const form = formOf(request.body);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const version = f.version();
          const raw = f.raw("intervalWeeks");
          const weeks = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
          if (!(weeks >= MIN_INTERVAL_WEEKS && weeks <= MAX_INTERVAL_WEEKS)) {
            f.fail(
              "intervalWeeks",
              `Enter how often supervision is due as a whole number of weeks from ${MIN_INTERVAL_WEEKS} to ${MAX_INTERVAL_WEEKS}`,
            );
          }
          f.done();
          const updated = await ctx.db
            .updateTable("workbook")
            .set({ supervision_interval_weeks: weeks, version: version + 1 })
            .where("id", "=", workbook.id)
            .where("version", "=", version)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 0n) {
            throw new AppError(
              "conflict",
              "Someone else changed this family's Workbook while you were editing. Nothing you entered has been saved: check the interval shown and try again.",
            );
          }
          ctx.audit({
            subjectType: "workbook",
            subjectId: workbook.id,
            summary: { intervalWeeks: weeks, was: workbook.supervisionIntervalWeeks },
          });
          return { redirect: supervisionUrl(family) };
        },
        () => overviewPage(ctx, context, form),
      );
    },
  });

  registerSupervisionSessionRoutes(app, services);
}
