/**
 * The pages for sharing a person's record with a partner agency and ending a share; the rules
 * and the records are the service's (./service.ts).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { lawfulBasesForSharing } from "../../domain/code-lists.ts";
import { todayIn } from "../../domain/dates.ts";
import { AppError } from "../../platform/errors.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { Id, PersonParams, text } from "../../platform/schemas.ts";
import { getVisiblePerson } from "../people/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { partnerOrganisations, revokeShare, shareRecord } from "./service.ts";

/** The share form as sent; the service checks the agency, basis, purpose and end date together. */
const ShareForm = z.object({
  organisationId: text("the agency"),
  lawfulBasis: text("the lawful basis"),
  purpose: text("why you are sharing"),
  expiresOn: text("the end date"),
  includesHealth: z
    .string()
    .optional()
    .transform((value) => value === "yes"),
});

const ShareParams = z.object({ id: Id, shareId: Id });

async function sharePage(
  ctx: RouteContext,
  person: VisiblePerson,
  values: FormValues,
): Promise<RouteResult> {
  const organisations = await partnerOrganisations(ctx.db, person.la_id);
  return {
    view: "sharing/views/share.njk",
    data: {
      title: `Share ${person.given_name} ${person.family_name}'s record`,
      person,
      values,
      organisationItems: [
        { value: "", text: "Choose an agency" },
        ...organisations.map((o) => ({
          value: o.id,
          text: o.name,
          selected: o.id === values.organisationId,
        })),
      ],
      basisItems: lawfulBasesForSharing.map((b) => ({
        value: b.code,
        text: b.label,
        checked: b.code === values.lawfulBasis,
      })),
    },
  };
}

async function shareablePerson(ctx: RouteContext, personId: string): Promise<VisiblePerson> {
  const person = await getVisiblePerson(ctx, personId);
  if (person.via_break_glass) {
    throw new AppError("forbidden", "You cannot share a record you opened with emergency access.");
  }
  return person;
}

export function registerSharingRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/share",
    permission: "record.share",
    audit: "person.view",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx, { params }) =>
      sharePage(ctx, await shareablePerson(ctx, params.id), {}),
  });

  addFormRoute(app, services, {
    url: "/people/:id/shares",
    permission: "record.share",
    audit: "record.share",
    personParam: "id",
    params: PersonParams,
    body: ShareForm,
    load: (ctx, params) => shareablePerson(ctx, params.id),
    page: (ctx, person, values) => sharePage(ctx, person, values),
    save: async (ctx, person, body) => {
      const share = await shareRecord(ctx.db, actorOf(ctx), {
        ...body,
        personId: person.id,
        today: todayIn(ctx.now),
        now: ctx.now,
      });
      ctx.audit({
        subjectType: "record_share",
        subjectId: share.shareId,
        summary: {
          organisation: share.organisationId,
          lawfulBasis: body.lawfulBasis,
          includesHealth: body.includesHealth,
        },
      });
      return { redirect: `/people/${person.id}` };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/shares/:shareId/revoke",
    permission: "record.share",
    audit: "record.revoke_share",
    personParam: "id",
    params: ShareParams,
    body: z.object({}),
    handler: async (_request, _reply, ctx, { params }) => {
      const person = await shareablePerson(ctx, params.id);
      await revokeShare(ctx.db, actorOf(ctx), {
        personId: person.id,
        shareId: params.shareId,
        today: todayIn(ctx.now),
        now: ctx.now,
      });
      ctx.audit({ subjectType: "record_share", subjectId: params.shareId });
      return { redirect: `/people/${person.id}` };
    },
  });
}
