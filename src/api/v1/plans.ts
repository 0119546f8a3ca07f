/**
 * The child's plans as JSON, current and past: child protection plans, child in need plans
 * and, for a care leaver, pathway plans with their reviews. The same sight as the protection,
 * journey and care leaver pages (journey.view on a visible child). Plans are few, so the
 * answer is one list per kind, newest first, not paginated.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { categoriesOfAbuse } from "../../domain/code-lists.ts";
import { plansOf } from "../../modules/journey/plans.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import { CalendarDate, Id, PersonParams } from "../schemas.ts";
import { visiblePerson } from "./visible-person.ts";

const Category = z.object({ code: z.string(), label: z.string() });

const category = (code: string) => ({
  code,
  label: categoriesOfAbuse.find((c) => c.code === code)?.label ?? code,
});

export const Plans = z
  .object({
    childProtection: z.array(
      z.object({
        id: Id,
        startDate: CalendarDate,
        endDate: CalendarDate.nullable(),
        endReason: z.string().nullable(),
        current: z.boolean(),
        initialCategory: Category,
        latestCategory: Category,
        nextReviewDue: CalendarDate.nullable(),
      }),
    ),
    childInNeed: z.array(
      z.object({
        id: Id,
        startDate: CalendarDate,
        endDate: CalendarDate.nullable(),
        current: z.boolean(),
      }),
    ),
    pathway: z.array(
      z.object({
        id: Id,
        agreedOn: CalendarDate,
        current: z.boolean().describe("The latest pathway plan agreed is the current one."),
        reviewsHeldOn: z.array(CalendarDate),
      }),
    ),
  })
  .meta({ id: "Plans" });

export function registerPlanApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/people/:personId/plans",
    summary: "The child's plans, current and past: CP, CIN and pathway plans",
    tag: "Plans",
    permission: "journey.view",
    audit: "plan.view",
    personParam: "personId",
    contract: { params: PersonParams, response: Plans },
    handler: async ({ params }, ctx) => {
      const person = await visiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      const plans = await plansOf(ctx.db, person.id);
      ctx.audit({
        summary: {
          cp: plans.cp.length,
          cin: plans.cin.length,
          pathway: plans.pathway.length,
        },
      });
      return {
        childProtection: plans.cp.map((p) => ({
          id: p.id,
          startDate: p.start_date,
          endDate: p.end_date,
          endReason: p.end_reason,
          current: p.end_date === null,
          initialCategory: category(p.initial_category),
          latestCategory: category(p.latest_category),
          nextReviewDue: p.end_date === null ? p.next_review_due : null,
        })),
        childInNeed: plans.cin.map((p) => ({
          id: p.id,
          startDate: p.start_date,
          endDate: p.end_date,
          current: p.end_date === null,
        })),
        pathway: plans.pathway.map((p, index) => ({
          id: p.id,
          agreedOn: p.agreed_on,
          current: index === 0,
          reviewsHeldOn: p.reviews,
        })),
      };
    },
  });
}
