import type { FastifyInstance, FastifyRequest } from "fastify";
import { isCode, lawfulBasesForSharing } from "../../domain/code-lists.ts";
import { isCalendarDate, todayIn } from "../../domain/dates.ts";
import { AppError, notFound, type FieldError } from "../../platform/errors.ts";
import {
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { recordEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";

/**
 * Sharing a person's record with a partner agency, on a recorded lawful basis and purpose, and
 * revoking it. A share is what lets that agency's practitioners see the record
 * (src/access/visibility.ts); the share and its revocation go on the chronology and the audit.
 */
type Form = Record<string, unknown>;
const text = (form: Form, name: string): string =>
  typeof form[name] === "string" ? form[name].trim() : "";

async function partnerOrganisations(ctx: RouteContext, laId: string) {
  return ctx.db
    .selectFrom("organisation")
    .select(["id", "name"])
    .where("la_id", "=", laId)
    .where("kind", "!=", "la_childrens_services")
    .orderBy("name")
    .execute();
}

async function sharePage(
  ctx: RouteContext,
  person: VisiblePerson,
  values: Form,
  errors: FieldError[] = [],
): Promise<RouteResult> {
  const organisations = await partnerOrganisations(ctx, person.la_id);
  return {
    view: "sharing/views/share.njk",
    status: errors.length > 0 ? 400 : 200,
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
      errors: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
      fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
    },
  };
}

async function shareablePerson(request: FastifyRequest, ctx: RouteContext): Promise<VisiblePerson> {
  const person = await getVisiblePerson(ctx, personIdFrom(request));
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
    handler: async (request, _reply, ctx) =>
      sharePage(ctx, await shareablePerson(request, ctx), {}),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/shares",
    permission: "record.share",
    audit: "record.share",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await shareablePerson(request, ctx);
      const actor = ctx.actor;
      if (!actor) throw notFound();
      const form = (request.body ?? {}) as Form;
      const values = {
        organisationId: text(form, "organisationId"),
        lawfulBasis: text(form, "lawfulBasis"),
        purpose: text(form, "purpose"),
        expiresOn: text(form, "expiresOn"),
        // Special category data needs its own decision: only a ticked box shares it.
        includesHealth: text(form, "includesHealth") === "yes",
      };
      const errors: FieldError[] = [];
      const organisations = await partnerOrganisations(ctx, actor.laId);
      const organisation = organisations.find((o) => o.id === values.organisationId);
      if (!organisation)
        errors.push({ field: "organisationId", message: "Choose the agency to share with" });
      if (!isCode(lawfulBasesForSharing, values.lawfulBasis)) {
        errors.push({ field: "lawfulBasis", message: "Choose the lawful basis for sharing" });
      }
      if (values.purpose.length < 5 || values.purpose.length > 500) {
        errors.push({
          field: "purpose",
          message: "Say why you are sharing, in 5 to 500 characters",
        });
      }
      const today = todayIn(ctx.now);
      if (values.expiresOn && (!isCalendarDate(values.expiresOn) || values.expiresOn <= today)) {
        errors.push({
          field: "expiresOn",
          message: "The end date must be a real date after today, like 2027-03-31",
        });
      }
      if (organisation) {
        const existing = await ctx.db
          .selectFrom("record_share")
          .select("id")
          .where("person_id", "=", person.id)
          .where("organisation_id", "=", organisation.id)
          .where("revoked_at", "is", null)
          .where((eb) => eb.or([eb("expires_on", "is", null), eb("expires_on", ">=", today)]))
          .executeTakeFirst();
        if (existing) {
          errors.push({
            field: "organisationId",
            message: `This record is already shared with ${organisation.name}`,
          });
        }
      }
      if (errors.length > 0 || !organisation) {
        ctx.setOutcome("failed");
        ctx.audit({ summary: { reason: "validation", fields: errors.map((e) => e.field) } });
        return sharePage(ctx, person, values, errors);
      }
      const share = await ctx.db
        .insertInto("record_share")
        .values({
          la_id: actor.laId,
          person_id: person.id,
          organisation_id: organisation.id,
          lawful_basis: values.lawfulBasis,
          purpose: values.purpose,
          shared_by: actor.userId,
          shared_at: ctx.now,
          expires_on: values.expiresOn || null,
          includes_health: values.includesHealth,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: today,
        kind: "record_shared",
        summary: `Record shared with ${organisation.name}`,
        subject: { type: "record_share", id: share.id },
      });
      ctx.audit({
        subjectType: "record_share",
        subjectId: share.id,
        summary: {
          organisation: organisation.id,
          lawfulBasis: values.lawfulBasis,
          includesHealth: values.includesHealth,
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
    handler: async (request, _reply, ctx) => {
      const person = await shareablePerson(request, ctx);
      const actor = ctx.actor;
      const { shareId } = request.params as { shareId: unknown };
      if (!actor || !isUuid(shareId)) throw notFound();
      const revoked = await ctx.db
        .updateTable("record_share")
        .set({ revoked_at: ctx.now })
        .where("id", "=", shareId)
        .where("person_id", "=", person.id)
        .where("revoked_at", "is", null)
        .returning("organisation_id")
        .executeTakeFirst();
      if (!revoked) throw notFound("Share");
      const organisation = await ctx.db
        .selectFrom("organisation")
        .select("name")
        .where("id", "=", revoked.organisation_id)
        .executeTakeFirstOrThrow();
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: todayIn(ctx.now),
        kind: "share_revoked",
        summary: `Sharing with ${organisation.name} ended`,
        subject: { type: "record_share", id: shareId },
      });
      ctx.audit({ subjectType: "record_share", subjectId: shareId });
      return { redirect: `/people/${person.id}` };
    },
  });
}
