/**
 * Recording an incident: what happened, when and where, from which agency, how far shared,
 * and the children and persons of concern it involved. Like associations, incidents are
 * intelligence and are not put on the chronology (partners read it).
 */
import type { Actor } from "../../access/actor.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, type FieldError } from "../../platform/errors.ts";
import {
  personOfConcernChoices,
  placeChoices,
  sourceAgencies,
  type Choice,
} from "../network/queries.ts";
import type { IncidentChoices, IncidentForm } from "./input.ts";
import { incidentChildChoices } from "./queries.ts";

export async function incidentChoices(db: Db, actor: Actor, now: Date): Promise<IncidentChoices> {
  return {
    children: await incidentChildChoices(db, actor, now),
    personsOfConcern: await personOfConcernChoices(db, actor, now),
    places: await placeChoices(db, actor),
    agencies: await sourceAgencies(db, actor),
  };
}

/**
 * Records an incident from a form that has passed its schema, or refuses naming every choice
 * the actor may not make at once: a place, a source agency, children or persons of concern
 * outside their sight. The source is the actor's own agency unless another is chosen.
 */
export async function recordIncident(
  db: Db,
  actor: Actor,
  form: IncidentForm,
  now: Date,
): Promise<{ id: string; childIds: string[] }> {
  const choices = await incidentChoices(db, actor, now);
  const errors: FieldError[] = [];
  const among = (value: string, list: readonly Choice[]) => list.some((c) => c.id === value);
  if (form.locationId && !among(form.locationId, choices.places)) {
    errors.push({ field: "locationId", message: "Select the place from the list" });
  }
  if (form.sourceOrganisationId && !among(form.sourceOrganisationId, choices.agencies)) {
    errors.push({
      field: "sourceOrganisationId",
      message: "Select the source agency from the list",
    });
  }
  if (form.childIds.some((id) => !among(id, choices.children))) {
    errors.push({ field: "childIds", message: "Select the children involved from the list" });
  }
  if (form.personOfConcernIds.some((id) => !among(id, choices.personsOfConcern))) {
    errors.push({
      field: "personOfConcernIds",
      message: "Select the persons of concern from the list",
    });
  }
  if (errors.length > 0) throw new AppError("validation", "Check the details you entered", errors);
  const input = {
    ...form,
    occurredOn: form.occurred,
    locationId: form.locationId || null,
    sourceOrganisationId: form.sourceOrganisationId || actor.organisationId,
  };
  const { id } = await db
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
  if (subjects.length > 0) await db.insertInto("incident_subject").values(subjects).execute();
  return { id, childIds: input.childIds };
}
