/**
 * Intelligence from a partner system (decision 0043): a graded association of a child (with
 * another child, a person of concern, a place or a peer group, existing or new) and an
 * incident; each read back by the client that submitted it. The same services as the pages,
 * so the same rules: intelligence.record, a child the client may see and record on, nodes
 * chosen only from what it may see. The source is always the client's own agency.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { todayIn } from "../../domain/dates.ts";
import {
  ageBands,
  concernRiskLevels,
  informationGradings,
  locationKinds,
  sourceGradings,
} from "../../domain/exploitation.ts";
import { incidentKinds } from "../../modules/incidents/input.ts";
import { recordIncident } from "../../modules/incidents/service.ts";
import { saveAssociation, type AssociationWith } from "../../modules/network/service.ts";
import { ownAssociation, ownIncident } from "../../modules/network/submissions.ts";
import { findVisiblePerson } from "../../modules/people/queries.ts";
import { AppError, notFound, type FieldError } from "../../platform/errors.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import { CalendarDate, Created, Id } from "../schemas.ts";

/** One code of a code list, as the list's own codes. */
function codeOf<C extends string>(list: readonly { code: C }[], what: string) {
  const codes = list.map((c) => c.code) as [C, ...C[]];
  return z.enum(codes, { error: `must be ${what}: one of ${codes.join(", ")}` });
}

const text = (max: number) => z.string().trim().max(max);

const NewPlace = z
  .strictObject({
    kind: z.literal("new_place"),
    name: text(200).min(1, "must not be empty"),
    placeKind: codeOf(locationKinds, "the kind of place"),
    ward: text(200).default(""),
    latitude: z.number().min(-90).max(90).nullable().default(null),
    longitude: z.number().min(-180).max(180).nullable().default(null),
  })
  .refine((p) => p.placeKind !== "online_platform" || (!p.latitude && !p.longitude), {
    path: ["latitude"],
    message: "an online platform has no latitude or longitude",
  })
  .refine((p) => (p.latitude === null) === (p.longitude === null), {
    path: ["longitude"],
    message: "give both a latitude and a longitude, or neither",
  });

const AssociatedWith = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("child"), id: Id }),
  z.strictObject({ kind: z.literal("person"), id: Id }),
  z.strictObject({ kind: z.literal("place"), id: Id }),
  z.strictObject({ kind: z.literal("group"), id: Id }),
  z.strictObject({
    kind: z.literal("new_person"),
    name: text(200).min(1, "must not be empty"),
    aliases: text(500).default(""),
    ageBand: codeOf(ageBands, "an age band"),
    description: text(2000).default(""),
    riskLevel: codeOf(concernRiskLevels, "a risk level"),
  }),
  NewPlace,
  z.strictObject({
    kind: z.literal("new_group"),
    name: text(200).min(1, "must not be empty"),
    description: text(2000).default(""),
  }),
]);

const NewAssociation = z
  .strictObject({
    with: AssociatedWith.describe(
      "An existing child, person of concern, place or peer group the client may see (by id), or a new person of concern, place or group.",
    ),
    firstSeenOn: CalendarDate,
    lastSeenOn: CalendarDate.nullable().default(null),
    sourceGrading: codeOf(sourceGradings, "a source grading").describe(
      "How reliable the source is (1: reliable, 2: untested, 3: not reliable).",
    ),
    informationGrading: codeOf(informationGradings, "an information grading").describe(
      "How the source knows it (A: directly to E: suspected false).",
    ),
    corroborated: z.boolean(),
    shareWithPartners: z.boolean().describe("May other partner agencies see it."),
    notes: text(5000).default(""),
  })
  .refine((a) => a.lastSeenOn === null || a.lastSeenOn >= a.firstSeenOn, {
    path: ["lastSeenOn"],
    message: "must be on or after firstSeenOn",
  });

const NewIncident = z
  .strictObject({
    kind: codeOf(incidentKinds, "a kind of incident"),
    occurredOn: CalendarDate,
    locationId: Id.nullable().default(null).describe("A place the client may see."),
    description: text(5000).default(""),
    shareWithPartners: z.boolean(),
    childIds: z.array(Id).max(100).default([]),
    personOfConcernIds: z.array(Id).max(100).default([]),
  })
  .refine((i) => i.childIds.length > 0 || i.locationId !== null, {
    path: ["childIds"],
    message: "must name at least one child, or give the place where it happened",
    // Asked even when other fields are wrong, so every problem is named at once.
    when: (payload) => {
      const value = payload.value as { childIds?: unknown; locationId?: unknown };
      const childIds = value.childIds ?? [];
      const locationId = value.locationId ?? null;
      return Array.isArray(childIds) && (locationId === null || typeof locationId === "string");
    },
  });

export const SubmittedAssociation = z
  .object({
    id: Id,
    childId: Id,
    with: z.object({ kind: z.enum(["child", "person", "place", "group"]), id: Id }),
    firstSeenOn: CalendarDate,
    lastSeenOn: CalendarDate.nullable(),
    sourceGrading: z.string(),
    informationGrading: z.string(),
    corroborated: z.boolean(),
    shareWithPartners: z.boolean(),
    notes: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: "SubmittedAssociation" });

export const SubmittedIncident = z
  .object({
    id: Id,
    kind: z.string(),
    occurredOn: CalendarDate,
    locationId: Id.nullable(),
    description: z.string(),
    shareWithPartners: z.boolean(),
    childIds: z.array(Id),
    personOfConcernIds: z.array(Id),
    recordedAt: z.string(),
  })
  .meta({ id: "SubmittedIncident" });

/** A date that has not happened yet, named by its JSON Pointer. */
function futureDates(now: Date, dates: [string, string | null][]): FieldError[] {
  const today = todayIn(now);
  return dates
    .filter(([, date]) => date !== null && date > today)
    .map(([field]) => ({ field, message: "cannot be in the future" }));
}

/** Re-throws a service's refusal with its form field names as JSON Pointers into the body. */
async function asBodyFields<T>(run: () => Promise<T>, fields: Record<string, string>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "validation") throw error;
    throw new AppError(
      "validation",
      "What you sent is not valid. Nothing was saved.",
      error.fieldErrors.map((e) => ({
        field: fields[e.field] ?? `/body/${e.field}`,
        message: e.message,
      })),
    );
  }
}

function refuseAll(errors: FieldError[]): void {
  if (errors.length > 0) {
    throw new AppError("validation", "What you sent is not valid. Nothing was saved.", errors);
  }
}

function nodeOf(row: {
  other_child_id: string | null;
  person_of_concern_id: string | null;
  location_id: string | null;
  peer_group_id: string | null;
}): { kind: "child" | "person" | "place" | "group"; id: string } {
  if (row.other_child_id) return { kind: "child", id: row.other_child_id };
  if (row.person_of_concern_id) return { kind: "person", id: row.person_of_concern_id };
  if (row.location_id) return { kind: "place", id: row.location_id };
  if (row.peer_group_id) return { kind: "group", id: row.peer_group_id };
  throw new Error("an association with nothing");
}

function associationWith(body: z.infer<typeof NewAssociation>["with"]): AssociationWith {
  switch (body.kind) {
    case "new_person":
      return { kind: "new_person", person: body };
    case "new_place":
      return { kind: "new_place", place: { ...body, kind: body.placeKind } };
    case "new_group":
      return { kind: "new_group", group: body };
    default:
      return body;
  }
}

export function registerIntelligenceApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "POST",
    url: "/api/v1/people/:personId/associations",
    summary: "Submit a graded association of a child",
    tag: "Intelligence",
    permission: "intelligence.record",
    audit: "intelligence.record",
    personParam: "personId",
    status: 201,
    contract: {
      params: z.strictObject({ personId: Id }),
      body: NewAssociation,
      response: Created,
    },
    handler: async ({ params, body }, ctx) => {
      refuseAll(
        futureDates(ctx.now, [
          ["/body/firstSeenOn", body.firstSeenOn],
          ["/body/lastSeenOn", body.lastSeenOn],
        ]),
      );
      const child = await findVisiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      if (!child) throw notFound("Person");
      const saved = await asBodyFields(
        () =>
          saveAssociation(
            ctx.db,
            ctx.actor,
            child,
            {
              ...body,
              with: associationWith(body.with),
              sourceOrganisationId: ctx.actor.organisationId,
            },
            ctx.now,
          ),
        {
          otherChildId: "/body/with/id",
          personOfConcernId: "/body/with/id",
          locationId: "/body/with/id",
          peerGroupId: "/body/with/id",
        },
      );
      ctx.audit({
        personIds: saved.otherChildId ? [saved.otherChildId] : [],
        subjectType: "association",
        subjectId: saved.id,
        summary: {
          kind: body.with.kind,
          ...(saved.alerted.length ? { alerts: saved.alerted.length } : {}),
        },
      });
      return { id: saved.id };
    },
  });

  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/associations/:associationId",
    summary: "An association the client submitted, while it may still see it",
    tag: "Intelligence",
    permission: "intelligence.record",
    audit: "intelligence.view",
    contract: { params: z.strictObject({ associationId: Id }), response: SubmittedAssociation },
    handler: async ({ params }, ctx) => {
      const row = await ownAssociation(ctx.db, ctx.actor, ctx.now, params.associationId);
      if (!row) throw notFound("Association");
      ctx.audit({ personIds: [row.child_id], subjectType: "association", subjectId: row.id });
      return {
        id: row.id,
        childId: row.child_id,
        with: nodeOf(row),
        firstSeenOn: row.first_seen_on,
        lastSeenOn: row.last_seen_on,
        sourceGrading: row.source_grading,
        informationGrading: row.information_grading,
        corroborated: row.corroborated,
        shareWithPartners: row.share_with_partners,
        notes: row.notes,
        recordedAt: row.recorded_at.toISOString(),
      };
    },
  });

  addApiRoute(app, services, {
    method: "POST",
    url: "/api/v1/incidents",
    summary: "Submit an incident naming the children, persons of concern and place involved",
    tag: "Intelligence",
    permission: "intelligence.record",
    audit: "incident.record",
    status: 201,
    contract: { body: NewIncident, response: Created },
    handler: async ({ body }, ctx) => {
      refuseAll(futureDates(ctx.now, [["/body/occurredOn", body.occurredOn]]));
      const { id, childIds } = await asBodyFields(
        () =>
          recordIncident(
            ctx.db,
            ctx.actor,
            {
              ...body,
              occurred: body.occurredOn,
              locationId: body.locationId ?? "",
              sourceOrganisationId: "",
            },
            ctx.now,
          ),
        {},
      );
      ctx.audit({ personIds: childIds, subjectType: "incident", subjectId: id });
      return { id };
    },
  });

  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/incidents/:incidentId",
    summary: "An incident the client submitted, while it may still see it",
    tag: "Intelligence",
    permission: "intelligence.record",
    audit: "incident.view",
    contract: { params: z.strictObject({ incidentId: Id }), response: SubmittedIncident },
    handler: async ({ params }, ctx) => {
      const row = await ownIncident(ctx.db, ctx.actor, ctx.now, params.incidentId);
      if (!row) throw notFound("Incident");
      ctx.audit({ personIds: row.childIds, subjectType: "incident", subjectId: row.id });
      return {
        id: row.id,
        kind: row.kind,
        occurredOn: row.occurred_on,
        locationId: row.location_id,
        description: row.description,
        shareWithPartners: row.share_with_partners,
        childIds: row.childIds,
        personOfConcernIds: row.personOfConcernIds,
        recordedAt: row.recorded_at.toISOString(),
      };
    },
  });
}
