/**
 * Statutory visits as JSON, with the same visibility and audit as the visits page: the
 * child's visits (filterable by date and whether the child was seen, cursor-paginated, newest
 * first in a stable order) and when the next visit is due under the
 * child's plan, from the same schedule the page and the work tray use.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { todayIn } from "../../domain/dates.ts";
import { planTypes } from "../../domain/visits.ts";
import { visitSchedules } from "../../modules/visits/due.ts";
import { visitPage } from "../../modules/visits/pages.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import {
  afterCursor,
  CalendarDate,
  Cursor,
  encodeCursor,
  Id,
  Limit,
  PersonParams,
} from "../schemas.ts";
import { RowCursorKey } from "./case-notes.ts";
import { visiblePerson } from "./visible-person.ts";

const PlanType = z.enum(planTypes.map((p) => p.code) as ["cp", "cla", "cin"]);

const VisitsQuery = z.strictObject({
  from: CalendarDate.optional().describe("Only visits on or after this date."),
  to: CalendarDate.optional().describe("Only visits on or before this date."),
  seen: z
    .enum(["true", "false"])
    .optional()
    .describe("Only visits at which the child was (true) or was not (false) seen."),
  limit: Limit,
  cursor: Cursor.optional(),
});

export const VisitsPage = z
  .object({
    nextDue: z
      .object({
        planType: PlanType,
        dueOn: CalendarDate,
        overdue: z.boolean(),
        lastSeenOn: CalendarDate.nullable(),
      })
      .nullable()
      .describe("When the next statutory visit is due; null when the child has no such plan."),
    visits: z.array(
      z.object({
        id: Id,
        visitedOn: CalendarDate,
        planType: PlanType.nullable(),
        seen: z.boolean(),
        seenAlone: z.boolean(),
        childViews: z.string(),
        note: z.string(),
        visitor: z.object({ name: z.string(), agency: z.string() }),
      }),
    ),
    next: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
  })
  .meta({ id: "VisitsPage" });

export function registerVisitApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/people/:personId/visits",
    summary: "A page of the child's statutory visits, newest first, and when the next is due",
    tag: "Visits",
    permission: "journey.view",
    audit: "visit.view",
    personParam: "personId",
    contract: { params: PersonParams, query: VisitsQuery, response: VisitsPage },
    handler: async ({ params, query }, ctx) => {
      const person = await visiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      const after = afterCursor(query.cursor, RowCursorKey);
      const [schedule] = await visitSchedules(ctx.db, person.la_id, [person.id], todayIn(ctx.now));
      const page = await visitPage(ctx.db, person.id, {
        from: query.from,
        to: query.to,
        seen: query.seen === undefined ? undefined : query.seen === "true",
        after,
        limit: query.limit,
      });
      ctx.audit({
        summary: {
          filtered: Boolean(query.from ?? query.to ?? query.seen),
          visits: page.entries.length,
        },
      });
      return {
        nextDue: schedule
          ? {
              planType: schedule.planType,
              dueOn: schedule.dueOn,
              overdue: schedule.overdue,
              lastSeenOn: schedule.lastSeenOn,
            }
          : null,
        visits: page.entries.map((v) => ({
          id: v.id,
          visitedOn: v.visited_on,
          planType: v.plan_type,
          seen: v.seen,
          seenAlone: v.seen_alone,
          childViews: v.child_views,
          note: v.note,
          visitor: { name: v.visitor_name, agency: v.visitor_agency },
        })),
        next: page.next ? encodeCursor(page.next) : null,
      };
    },
  });
}
