import { mayRecordOn } from "../../access/recording.ts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { can, type Actor } from "../../access/actor.ts";
import { isLaPractitioner } from "../../access/visibility.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { ethnicities, genders, labelFor, lawfulBasesForSharing } from "../../domain/code-lists.ts";
import { personFormData } from "./form-data.ts";
import { candidatesFor, flagPossibleDuplicates } from "./add-person.ts";
import { ageOn, isCalendarDate, isChildOn, todayIn } from "../../domain/dates.ts";
import { formatNhsNumber } from "../../domain/identifiers.ts";
import { exceptionLabel } from "../../domain/consistent-identifier.ts";
import { describeRelationship, type RelationshipKind } from "../../domain/relationships.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { errorList, fieldErrors } from "../../platform/forms.ts";
import { reReferral } from "../journey/queries.ts";
import { parsePersonForm, parseSearchText, parseVersion } from "./input.ts";
import { accessLogPage, listsHidden } from "./access-log.ts";
import {
  findVisiblePerson,
  recordDetails,
  searchPeople,
  type PersonSearch,
  type VisiblePerson,
} from "./queries.ts";
import { createPerson, updatePerson } from "./service.ts";
import { mergedIdsOf, mergesInto, survivorFor } from "../merge/queries.ts";
import { undoable } from "../merge/service.ts";

/** The :id of a person URL (routes declare personParam "id", so the audit row names it). */
export function personIdFrom(request: FastifyRequest): string {
  const { id } = request.params as { id: unknown };
  if (!isUuid(id)) throw notFound("Person");
  return id;
}

export async function getVisiblePerson(
  ctx: RouteContext,
  personId: string,
): Promise<VisiblePerson> {
  const person = await findVisiblePerson(ctx.db, actorOf(ctx), personId, ctx.now);
  if (!person) throw notFound("Person");
  return person;
}

/**
 * A person the actor may add to: visible, and not only through emergency access (which is
 * for reading in an emergency; decision 0010).
 */
export async function getPersonToRecordOn(
  ctx: RouteContext,
  personId: string,
): Promise<VisiblePerson> {
  const person = await getVisiblePerson(ctx, personId);
  if (!mayAddToRecord(person.via_break_glass)) {
    throw new AppError(
      "forbidden",
      "You are seeing this record with emergency access, which is for reading only. Ask the allocated team to record this.",
    );
  }
  return person;
}

function formValuesOf(person: VisiblePerson): Record<string, unknown> {
  const [year, month, day] = (person.date_of_birth ?? "--").split("-");
  return {
    givenName: person.given_name,
    familyName: person.family_name,
    otherNames: person.other_names,
    "dateOfBirth-day": day ?? "",
    "dateOfBirth-month": month ?? "",
    "dateOfBirth-year": year ?? "",
    sex: person.sex,
    ethnicity: person.ethnicity,
    nhsNumber: person.nhs_number,
    upn: person.upn,
    nhsNumberException: person.nhs_number_exception,
    nhsNumberExceptionNote: person.nhs_number_exception_note,
    version: person.version,
  };
}

async function recordPage(
  db: Db,
  actor: Actor,
  person: VisiblePerson,
  now: Date,
): Promise<RouteResult> {
  const today = todayIn(now);
  const { address, relationships, household, allocations, chronology, families, shares } =
    await recordDetails(db, actor, person, now);
  const canMerge = mayRecordOn(actor, "person.merge", {
    viaBreakGlassOnly: person.via_break_glass,
  });
  const merges = (await mergesInto(db, person.id)).map((m) => ({
    ...m,
    undoable: canMerge && undoable(m, now),
  }));
  const openCase = can(actor, "journey.view")
    ? await db
        .selectFrom("referral as r")
        .select(["r.referral_date", reReferral("r").as("re_referral")])
        .where("r.person_id", "=", person.id)
        .where("r.closed_on", "is", null)
        .executeTakeFirst()
    : undefined;
  return {
    view: "people/views/record.njk",
    data: {
      title: `${person.given_name} ${person.family_name}`,
      person,
      age: person.date_of_birth ? ageOn(person.date_of_birth, today) : undefined,
      sexLabel: person.sex ? labelFor(genders, person.sex) : undefined,
      ethnicityLabel: person.ethnicity ? labelFor(ethnicities, person.ethnicity) : undefined,
      nhsNumber: person.nhs_number ? formatNhsNumber(person.nhs_number) : undefined,
      nhsNumberException: exceptionLabel(person.nhs_number_exception),
      address,
      relationships: relationships.map((r) => ({
        ...r,
        label: describeRelationship(r.kind as RelationshipKind, r.direction),
      })),
      household,
      allocations,
      chronology,
      families,
      shares: shares.map((s) => ({
        ...s,
        basisLabel:
          lawfulBasesForSharing.find((b) => b.code === s.lawful_basis)?.label ?? s.lawful_basis,
      })),
      showShares: isLaPractitioner(actor),
      canEdit: mayRecordOn(actor, "person.edit", { viaBreakGlassOnly: person.via_break_glass }),
      canSeeFamily: can(actor, "family.view"),
      canViewExploitation: can(actor, "exploitation.view"),
      canViewJourney: can(actor, "journey.view"),
      openCase,
      canShare: mayRecordOn(actor, "record.share", { viaBreakGlassOnly: person.via_break_glass }),
      canViewAccessLog: can(actor, "record.view_access_log"),
      canMerge,
      merges,
    },
  };
}

export function registerPeopleRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people",
    permission: "person.search",
    audit: "person.search",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const query = request.query as Record<string, string | undefined>;
      const typed = (query.name ?? "").trim().slice(0, 100);
      const terms = parseSearchText(typed);
      const [day, month, year] = [query["dob-day"], query["dob-month"], query["dob-year"]].map(
        (v) => (v ?? "").trim(),
      );
      const errors: { text: string; href: string }[] = [];
      let dateOfBirth: string | null = null;
      if (day || month || year) {
        const iso = `${year ?? ""}-${(month ?? "").padStart(2, "0")}-${(day ?? "").padStart(2, "0")}`;
        if (isCalendarDate(iso)) dateOfBirth = iso;
        else
          errors.push({
            text: "Date of birth must be a real date, like 27 3 2015",
            href: "#dob-day",
          });
      }
      if (terms?.kind === "error") errors.push({ text: terms.message, href: "#name" });
      const searched = (terms !== undefined || dateOfBirth !== null) && errors.length === 0;
      const search: PersonSearch = {
        name: terms?.kind === "name" ? terms.name : "",
        dateOfBirth,
        nhsNumber: terms?.kind === "nhs_number" ? terms.nhsNumber : null,
        upn: terms?.kind === "upn" ? terms.upn : null,
        postcode: terms?.kind === "postcode" ? terms.postcode : null,
        address: terms?.kind === "address" ? terms.address : null,
      };
      const results = searched ? await searchPeople(ctx.db, actor, search, ctx.now) : [];
      const today = todayIn(ctx.now);
      // The audit row names who appeared in the results, never the search terms.
      ctx.audit({
        personIds: results.map((r) => r.id),
        summary: {
          results: results.length,
          byName: search.name.length > 0,
          byDateOfBirth: dateOfBirth !== null,
          ...(terms && terms.kind !== "name" && terms.kind !== "error" ? { by: terms.kind } : {}),
        },
      });
      return {
        view: "people/views/search.njk",
        status: errors.length > 0 ? 400 : 200,
        data: {
          title: "Find a person",
          name: typed,
          dob: { day, month, year },
          errors,
          searched,
          results: results.map((r) => ({
            ...r,
            age: r.date_of_birth ? ageOn(r.date_of_birth, today) : null,
            child: r.date_of_birth ? isChildOn(r.date_of_birth, today) : null,
          })),
          canCreate: can(actor, "person.create"),
          canBreakGlass: can(actor, "break_glass.use"),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/new",
    permission: "person.create",
    audit: "none",
    handler: () =>
      Promise.resolve({
        view: "people/views/form.njk",
        data: { title: "Add a person", ...personFormData({}) },
      }),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people",
    permission: "person.create",
    audit: "person.create",
    handler: async (request, _reply, ctx) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      try {
        const actor = actorOf(ctx);
        const input = parsePersonForm(form, todayIn(ctx.now));
        // Looked for again as the record is made (the form may not have come through the
        // check): matches the recorder cannot see go to the front door (decision 0022).
        const found = await candidatesFor(ctx.db, actor, input, ctx.now);
        const id = await createPerson(ctx.db, actor, input, ctx.now);
        const flagged = await flagPossibleDuplicates(
          ctx.db,
          actor,
          id,
          found.flatMap((c) => (c.visible ? [] : [c])),
        );
        ctx.audit({
          personIds: [id],
          subjectType: "person",
          subjectId: id,
          ...(flagged > 0 ? { summary: { possibleDuplicatesFlagged: flagged } } : {}),
        });
        return { redirect: `/people/${id}` };
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "validation") throw error;
        ctx.setOutcome("failed");
        ctx.audit({
          summary: { reason: "validation", fields: error.fieldErrors.map((e) => e.field) },
        });
        return {
          view: "people/views/form.njk",
          status: 400,
          data: {
            title: "Add a person",
            ...personFormData(form, error),
            errors: errorList(error),
            fieldErrors: fieldErrors(error),
          },
        };
      }
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id",
    permission: "person.view",
    audit: "person.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const id = personIdFrom(request);
      const person = await findVisiblePerson(ctx.db, actorOf(ctx), id, ctx.now);
      if (!person) {
        // A merged-away record's address opens the record it was merged into (decision 0024).
        const survivorId = await survivorFor(ctx.db, actorOf(ctx), id, ctx.now);
        if (!survivorId) throw notFound("Person");
        ctx.audit({ personIds: [survivorId], summary: { mergedInto: survivorId } });
        return { redirect: `/people/${survivorId}` };
      }
      if (person.via_break_glass) ctx.audit({ summary: { breakGlass: true } });
      return recordPage(ctx.db, actorOf(ctx), person, ctx.now);
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/edit",
    permission: "person.edit",
    audit: "person.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      return {
        view: "people/views/form.njk",
        data: { title: "Change details", person, ...personFormData(formValuesOf(person)) },
      };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id",
    permission: "person.edit",
    audit: "person.update",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const id = personIdFrom(request);
      const person = await getVisiblePerson(ctx, id);
      const form = (request.body ?? {}) as Record<string, unknown>;
      try {
        const version = parseVersion(form);
        const input = parsePersonForm(form, todayIn(ctx.now));
        await updatePerson(ctx.db, actorOf(ctx), id, version, input, ctx.now);
        return { redirect: `/people/${id}` };
      } catch (error) {
        if (
          !(error instanceof AppError) ||
          (error.code !== "validation" && error.code !== "conflict")
        )
          throw error;
        ctx.setOutcome("failed");
        ctx.audit({ summary: { reason: error.code } });
        // On a conflict the form shows what is saved now; the user's edit is not applied.
        const values = error.code === "conflict" ? formValuesOf(person) : form;
        return {
          view: "people/views/form.njk",
          status: error.code === "conflict" ? 409 : 400,
          data: {
            title: "Change details",
            person,
            ...personFormData(values, error),
            errors: errorList(error),
            fieldErrors: fieldErrors(error),
          },
        };
      }
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/access-log",
    permission: "record.view_access_log",
    audit: "person.view_access_log",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      // A merged record's history is the survivor's too (decision 0024).
      const mergedIds = await mergedIdsOf(ctx.db, person.id);
      return accessLogPage(ctx.db, actor.laId, person, listsHidden(request), mergedIds);
    },
  });
}
