/**
 * The front door: contacts about children, and a manager's decision on each within 1 working
 * day. A decision of assessment or strategy discussion makes the contact a referral for each
 * child (decision 0010); early help opens an early help episode; no further action ends it.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { can, type Actor } from "../../access/actor.ts";
import { labelFor, referralSources } from "../../domain/code-lists.ts";
import { todayIn } from "../../domain/dates.ts";
import { notBeforeBirth } from "../../domain/journey-rules.ts";
import { isOverdue, referralDecisionDue } from "../../domain/timescales.ts";
import { recordingVerdict } from "../../access/recording.ts";
import { mayCheckPossibleDuplicates } from "../../access/duplicates.ts";
import { mayReviewIdentifiers } from "../../access/identifiers.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { dateParts, FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  requireMayRecordOn,
  type AppServices,
  type RouteContext,
} from "../../platform/routes.ts";
import { recordEvents } from "../chronology/record.ts";
import { getPersonToRecordOn, personIdFrom } from "../people/routes.ts";
import {
  contactsAwaitingDecision,
  familyChildren,
  findContact,
  visiblePeople,
  type ContactWithChildren,
} from "./queries.ts";
import { contactDecisions, decideContact } from "./contact-decision.ts";
import { partnerReferralOf, referralsToIdentify } from "../referrals/queries.ts";
import { refuseIfBroken } from "./state.ts";
import { allocatableWorkers } from "./workers.ts";

function contactIdFrom(request: FastifyRequest): string {
  const { contactId } = request.params as { contactId: unknown };
  if (!isUuid(contactId)) throw notFound("Contact");
  return contactId;
}

export function registerContactRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/front-door",
    permission: "journey.record",
    audit: "contact.list",
    handler: async (_request, _reply, ctx) => {
      const contacts = await contactsAwaitingDecision(ctx.db, actorOf(ctx), ctx.now);
      // Partner referrals whose child is not yet linked to a record (decision 0025).
      const toIdentify = await referralsToIdentify(ctx.db, actorOf(ctx));
      const canCheckDuplicates = await mayCheckPossibleDuplicates(ctx.db, actorOf(ctx));
      const today = todayIn(ctx.now);
      ctx.audit({ personIds: contacts.flatMap((c) => c.person_ids) });
      return {
        view: "journey/views/front-door.njk",
        data: {
          title: "Front door: contacts awaiting a decision",
          canCheckDuplicates,
          canReviewIdentifiers: await mayReviewIdentifiers(ctx.db, actorOf(ctx)),
          contacts: contacts.map((c) => ({
            ...c,
            sourceLabel: labelFor(referralSources, c.source),
            overdue: isOverdue(c.decision_due_on, today),
          })),
          toIdentify: toIdentify.map((r) => ({
            ...r,
            overdue: isOverdue(r.decision_due_on, today),
          })),
        },
      };
    },
  });

  const contactForm = async (ctx: RouteContext, personId: string, values: object) => {
    const person = await getPersonToRecordOn(ctx, personId);
    const children = await familyChildren(ctx.db, actorOf(ctx), ctx.now, person.id);
    return {
      view: "journey/views/contact-form.njk",
      data: { title: "Record a contact", person, children, sources: referralSources, values },
    };
  };

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/contacts/new",
    permission: "journey.record",
    audit: "contact.form",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const personId = personIdFrom(request);
      return contactForm(ctx, personId, {
        ...dateParts("receivedOn", todayIn(ctx.now)),
        children: [personId],
      });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/contacts",
    permission: "journey.record",
    audit: "contact.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          const contactId = await recordContact(ctx.db, actor, ctx.now, form);
          ctx.audit({ subjectType: "contact", subjectId: contactId });
          return { redirect: `/contacts/${contactId}` };
        },
        () => contactForm(ctx, person.id, form),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/contacts/:contactId",
    permission: "journey.view",
    audit: "contact.view",
    handler: async (request, _reply, ctx) => {
      const contact = await findVisibleContact(ctx, contactIdFrom(request));
      return contactPage(ctx, contact, dateParts("decidedOn", todayIn(ctx.now)));
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/contacts/:contactId/decision",
    permission: "journey.decide",
    audit: "contact.decide",
    handler: async (request, _reply, ctx) => {
      const contact = await findVisibleContact(ctx, contactIdFrom(request));
      // The decision sets the path of every child on the contact: each must be one the
      // manager may record on, not one seen through emergency access alone.
      const children = contact.children.map((c) => c.id);
      await requireMayRecordOn(ctx, "journey.decide", children);
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          await decideContact(ctx, contact, form);
          return { redirect: `/contacts/${contact.id}` };
        },
        () => contactPage(ctx, contact, form),
      );
    },
  });
}

async function findVisibleContact(
  ctx: RouteContext,
  contactId: string,
): Promise<ContactWithChildren> {
  const contact = await findContact(ctx.db, actorOf(ctx), ctx.now, contactId);
  ctx.audit({ subjectType: "contact", subjectId: contactId });
  if (!contact) throw notFound("Contact");
  ctx.audit({ personIds: contact.children.map((c) => c.id) });
  return contact;
}

async function contactPage(ctx: RouteContext, contact: ContactWithChildren, values: object) {
  const actor = actorOf(ctx);
  const canDecide = contact.decision === null && can(actor, "journey.decide");
  return {
    view: "journey/views/contact.njk",
    data: {
      title: "Contact",
      contact,
      values,
      sourceLabel: labelFor(referralSources, contact.source),
      decisionLabel: contactDecisions.find((d) => d.code === contact.decision)?.label,
      overdue: contact.decision === null && isOverdue(contact.decision_due_on, todayIn(ctx.now)),
      decisions: contactDecisions,
      canDecide,
      workers: canDecide ? await allocatableWorkers(ctx.db, actor) : [],
      partnerReferralId: await partnerReferralOf(ctx.db, actor, contact.id),
    },
  };
}

async function recordContact(db: Db, actor: Actor, now: Date, form: Record<string, unknown>) {
  const today = todayIn(now);
  const reader = new FormReader(form);
  const receivedOn = reader.date("receivedOn", "the date the contact was received", {
    required: true,
    notAfter: today,
  });
  const source = reader.code("source", referralSources, "who made the contact", {
    required: true,
  });
  const referrer = reader.text("referrer", "who made the contact", { max: 200 });
  const reasons = reader.text("reasons", "the reasons for the contact", { required: true });
  const chosen = Array.isArray(form.children) ? form.children : [form.children];
  const childIds = [...new Set(chosen.filter(isUuid))];
  const children = await visiblePeople(db, actor, now, childIds);
  if (children.length === 0 || children.length !== childIds.length) {
    reader.fail("children", "Select the children the contact is about");
  } else if (
    (await recordingVerdict(db, actor, "journey.record", childIds, now)) !== "may_record"
  ) {
    reader.fail(
      "children",
      "Select only children whose records you may add to: emergency access is for reading only",
    );
  }
  reader.done();
  if (!receivedOn || !source) throw new AppError("validation", "Check the contact");
  for (const child of children) {
    refuseIfBroken(
      notBeforeBirth(
        { name: `${child.given_name} ${child.family_name}`, dateOfBirth: child.date_of_birth },
        receivedOn,
        "receivedOn-day",
        "date the contact was received",
      ),
      "Check the contact",
    );
  }
  const contact = await db
    .insertInto("contact")
    .values({
      la_id: actor.laId,
      received_on: receivedOn,
      source,
      referrer,
      reasons,
      decision_due_on: referralDecisionDue(receivedOn),
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("contact_child")
    .values(children.map((c) => ({ contact_id: contact.id, person_id: c.id, la_id: actor.laId })))
    .execute();
  await recordEvents(
    db,
    actor,
    children.map((c) => ({
      personId: c.id,
      occurredOn: receivedOn,
      kind: "contact" as const,
      summary: `Contact received from ${labelFor(referralSources, source)}`,
      subject: { type: "contact", id: contact.id },
    })),
  );
  return contact.id;
}
