/**
 * Ending an allocation with a note (decision 0021): a worker their own, a manager within their
 * teams (src/access/caseloads.ts decides). Anyone else is refused as not found and audited.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import { socialWorkerChangeReasons } from "../../domain/social-worker-change.ts";
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
import { endableAllocations, endAllocation } from "./end.ts";

type Form = Record<string, unknown>;

function allocationIdFrom(request: FastifyRequest): string {
  const { allocationId } = request.params as { allocationId?: unknown };
  if (!isUuid(allocationId)) throw notFound("Allocation");
  return allocationId;
}

async function endable(ctx: RouteContext, person: VisiblePerson, allocationId: string) {
  ctx.audit({ subjectType: "allocation", subjectId: allocationId });
  const open = await endableAllocations(ctx.db, actorOf(ctx), person.id, todayIn(ctx.now));
  const allocation = open.find((a) => a.id === allocationId);
  if (!allocation) throw notFound("Allocation");
  return allocation;
}

function endPage(
  person: VisiblePerson,
  allocation: Awaited<ReturnType<typeof endable>>,
  values: Form,
): RouteResult {
  return {
    view: "caseloads/views/end-allocation.njk",
    data: {
      title: `End the allocation of ${person.given_name} ${person.family_name}`,
      person,
      allocation,
      values,
      // The SSDA903's reasons for a change of social worker (decision 0037).
      reasonItems: [
        { value: "", text: "Not given" },
        ...socialWorkerChangeReasons.map((r) => ({
          value: r.code,
          text: r.label,
          selected: r.code === values.reason,
        })),
      ],
    },
  };
}

export function registerAllocationEndRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/allocations/:allocationId/end",
    permission: "journey.record",
    audit: "allocation.end.form",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const allocation = await endable(ctx, person, allocationIdFrom(request));
      return endPage(person, allocation, dateParts("endDate", todayIn(ctx.now)));
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/allocations/:allocationId/end",
    permission: "journey.record",
    audit: "allocation.end",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const allocation = await endable(ctx, person, allocationIdFrom(request));
      const form = (request.body ?? {}) as Form;
      const today = todayIn(ctx.now);
      return saveForm(
        ctx,
        async () => {
          const reader = new FormReader(form);
          const endDate = reader.date("endDate", "the date the allocation ends", {
            required: true,
            notAfter: today,
            notBefore: { date: allocation.start_date, what: "the day the allocation started" },
          });
          const note = reader.text("note", "why the allocation is ending", {
            required: true,
            max: 2000,
          });
          const reason = reader.code(
            "reason",
            socialWorkerChangeReasons,
            "why the social worker is changing",
          );
          reader.done();
          if (!endDate) throw new Error("unreachable: the form was checked");
          const ended = await endAllocation(
            ctx.db,
            actor,
            { personId: person.id, allocationId: allocation.id, endDate, note, reason },
            today,
          );
          ctx.audit({ summary: { worker: ended.workerId, team: ended.teamId, reason } });
          return { redirect: `/people/${person.id}/allocations` };
        },
        () => endPage(person, allocation, form),
      );
    },
  });
}
