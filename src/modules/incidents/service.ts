/**
 * Recording an incident: what happened, when and where, from which agency, how far shared,
 * and the children and persons of concern it involved. Like associations, incidents are
 * intelligence and are not put on the chronology (partners read it).
 */
import type { Actor } from "../../access/actor.ts";
import { FormReader } from "../../platform/forms.ts";
import type { RouteContext } from "../../platform/routes.ts";
import { personOfConcernChoices, placeChoices, sourceAgencies } from "../network/queries.ts";
import { readIncident, type IncidentChoices } from "./input.ts";
import { incidentChildChoices } from "./queries.ts";

export async function incidentChoices(ctx: RouteContext, actor: Actor): Promise<IncidentChoices> {
  return {
    children: await incidentChildChoices(ctx.db, actor, ctx.now),
    personsOfConcern: await personOfConcernChoices(ctx.db, actor, ctx.now),
    places: await placeChoices(ctx.db, actor),
    agencies: await sourceAgencies(ctx.db, actor),
  };
}

/** Checks the whole form (throwing a validation error naming each field), then writes. */
export async function recordIncident(
  ctx: RouteContext,
  actor: Actor,
  form: Record<string, unknown>,
): Promise<{ id: string; childIds: string[] }> {
  const f = new FormReader(form);
  const input = readIncident(f, ctx.now, await incidentChoices(ctx, actor), actor.organisationId);
  f.done();
  if (!input) throw new Error("validated form lost a value");
  const { id } = await ctx.db
    .insertInto("incident")
    .values({
      la_id: actor.laId,
      kind: input.kind,
      occurred_on: input.occurredOn,
      location_id: input.locationId,
      description: input.description,
      source_organisation_id: input.sourceOrganisationId,
      share_with_partners: input.shareWithPartners,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const subjects = [
    ...input.childIds.map((personId) => ({
      incident_id: id,
      person_id: personId,
      person_of_concern_id: null,
    })),
    ...input.personOfConcernIds.map((pocId) => ({
      incident_id: id,
      person_id: null,
      person_of_concern_id: pocId,
    })),
  ];
  if (subjects.length > 0) await ctx.db.insertInto("incident_subject").values(subjects).execute();
  return { id, childIds: input.childIds };
}
