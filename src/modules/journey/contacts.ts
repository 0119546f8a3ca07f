/**
 * The front door: contacts about children, and a manager's decision on each within 1 working
 * day. A decision of assessment or strategy discussion makes the contact a referral for each
 * child (decision 0010); early help opens an early help episode; no further action ends it.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { can, type Actor } from "../../access/actor.ts";
import { labelFor, referralSources } from "../../domain/code-lists.ts";
import { todayIn } from "../../domain/dates.ts";
import { decisionRules, notBeforeBirth, notInFuture } from "../../domain/journey-rules.ts";
import { assessmentDue, isOverdue, referralDecisionDue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { dateParts, FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
} from "../../platform/routes.ts";
import type { ContactDecision } from "../../platform/schema.ts";
import { recordEvents, type ChronologyEvent } from "../chronology/record.ts";
import { getPersonToRecordOn, personIdFrom } from "../people/routes.ts";
import {
  contactsAwaitingDecision,
  familyChildren,
  findContact,
  visiblePeople,
  type ContactWithChildren,
} from "./queries.ts";
import { lockChildState, refuseIfBroken } from "./state.ts";
import { allocatableWorkers, allocateIfNeeded } from "./workers.ts";

export const contactDecisions = [
  { code: "no_further_action", label: "No further action" },
  { code: "early_help", label: "Early help" },
  { code: "assessment", label: "Child and family assessment" },
  { code: "strategy_discussion", label: "Strategy discussion" },
] as const;

const opensReferral = (decision: ContactDecision) =>
  decision === "assessment" || decision === "strategy_discussion";

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
      const today = todayIn(ctx.now);
      ctx.audit({ personIds: contacts.flatMap((c) => c.person_ids) });
      return {
        view: "journey/views/front-door.njk",
        data: {
          title: "Front door: contacts awaiting a decision",
          contacts: contacts.map((c) => ({
            ...c,
            sourceLabel: labelFor(referralSources, c.source),
            overdue: isOverdue(c.decision_due_on, today),
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

async function decideContact(
  ctx: RouteContext,
  contact: ContactWithChildren,
  form: Record<string, unknown>,
): Promise<void> {
  const actor = actorOf(ctx);
  const today = todayIn(ctx.now);
  const reader = new FormReader(form);
  const version = reader.version();
  const decision = reader.code("decision", contactDecisions, "a decision", { required: true });
  const reason = reader.text("decisionReason", "the reason for the decision", { required: true });
  const decidedOn = reader.date("decidedOn", "the decision date", { required: true });
  const workers = await allocatableWorkers(ctx.db, actor);
  const workerId = reader.raw("workerId");
  const worker = workers.find((w) => w.id === workerId);
  if (decision && opensReferral(decision) && !worker) {
    reader.fail("workerId", "Select the social worker to allocate");
  }
  reader.done();
  if (!decision || !decidedOn) throw new AppError("validation", "Check the decision");
  refuseIfBroken(decisionRules(contact.received_on, decidedOn, today), "Check the decision");
  if (contact.decision !== null || contact.version !== version) {
    throw new AppError(
      "conflict",
      "A decision has already been recorded on this contact. Nothing you entered has been saved: check the decision shown.",
    );
  }

  const events: ChronologyEvent[] = [];
  const label = contactDecisions.find((d) => d.code === decision)?.label ?? decision;
  for (const child of contact.children) {
    const state = await lockChildState(ctx.db, child.id);
    events.push({
      personId: child.id,
      occurredOn: decidedOn,
      kind: "contact_decision",
      summary: `Contact decision: ${label}`,
      subject: { type: "contact", id: contact.id },
    });
    if (decision === "early_help") {
      if (state.openReferral) {
        refuseIfBroken(
          [
            {
              field: "decision",
              message: `${state.name} has an open case with children's social care, so early help cannot start from this contact. Choose assessment or strategy discussion, or no further action and add a case note.`,
            },
          ],
          "Check the decision",
        );
      }
      if (!state.openEarlyHelp) {
        const episode = await ctx.db
          .insertInto("early_help_episode")
          .values({
            la_id: actor.laId,
            person_id: child.id,
            contact_id: contact.id,
            start_date: decidedOn,
            recorded_by: actor.userId,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        events.push({
          personId: child.id,
          occurredOn: decidedOn,
          kind: "early_help_started",
          summary: "Early help started after a contact",
          subject: { type: "early_help_episode", id: episode.id },
        });
      }
      continue;
    }
    if (!opensReferral(decision) || !worker) continue;
    refuseIfBroken(
      notInFuture(decidedOn, today, "decidedOn-day", "decision date"),
      "Check the decision",
    );
    let referralId = state.openReferral?.id;
    let referralDate = state.openReferral?.referralDate ?? contact.received_on;
    if (!referralId) {
      const referral = await ctx.db
        .insertInto("referral")
        .values({
          la_id: actor.laId,
          person_id: child.id,
          contact_id: contact.id,
          referral_date: contact.received_on,
          source: contact.source,
          opened_by: actor.userId,
        })
        .returning(["id", "referral_date"])
        .executeTakeFirstOrThrow();
      referralId = referral.id;
      referralDate = referral.referral_date;
      events.push({
        personId: child.id,
        occurredOn: contact.received_on,
        kind: "referral",
        summary: "Referral to children's social care accepted",
        subject: { type: "referral", id: referral.id },
      });
    }
    if (state.openEarlyHelp) {
      await ctx.db
        .updateTable("early_help_episode")
        .set({
          end_date: decidedOn,
          end_reason: "stepped_up",
          version: (eb) => eb("version", "+", 1),
        })
        .where("person_id", "=", child.id)
        .where("end_date", "is", null)
        .execute();
      events.push({
        personId: child.id,
        occurredOn: decidedOn,
        kind: "step_up",
        summary: "Stepped up from early help to children's social care",
      });
    }
    await ctx.db
      .updateTable("contact_child")
      .set({ referral_id: referralId })
      .where("contact_id", "=", contact.id)
      .where("person_id", "=", child.id)
      .execute();
    if (decision === "assessment" && !state.openAssessment) {
      const assessment = await ctx.db
        .insertInto("assessment")
        .values({
          la_id: actor.laId,
          referral_id: referralId,
          person_id: child.id,
          started_on: decidedOn,
          due_on: assessmentDue(referralDate),
          recorded_by: actor.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      events.push({
        personId: child.id,
        occurredOn: decidedOn,
        kind: "assessment_started",
        summary: "Child and family assessment started",
        subject: { type: "assessment", id: assessment.id },
      });
    }
    await allocateIfNeeded(ctx.db, actor, child.id, worker, decidedOn);
  }

  const updated = await ctx.db
    .updateTable("contact")
    .set({
      decision,
      decision_reason: reason,
      decided_on: decidedOn,
      decided_by: actor.userId,
      version: version + 1,
    })
    .where("id", "=", contact.id)
    .where("version", "=", version)
    .where("decision", "is", null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw new AppError(
      "conflict",
      "Someone else recorded a decision on this contact while you were deciding. Nothing you entered has been saved: check the decision shown.",
    );
  }
  await recordEvents(ctx.db, actor, events);
  ctx.audit({ summary: { decision } });
}
