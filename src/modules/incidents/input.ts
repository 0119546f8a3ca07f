/**
 * Reading the incident form: every field is checked, and each problem named, before anything
 * is written. Children, persons of concern and the place are chosen from what the actor may
 * see, so an incident can never name someone outside their sight.
 */
import { todayIn } from "../../domain/dates.ts";
import type { FormReader } from "../../platform/forms.ts";
import { chosen } from "../network/input.ts";
import type { Choice } from "../network/queries.ts";

export const incidentKinds = [
  { code: "asb", label: "Anti-social behaviour" },
  { code: "knife_crime", label: "Knife crime" },
  { code: "sighting", label: "Seen somewhere of concern" },
  { code: "arrest", label: "Arrest" },
  { code: "found_missing", label: "Found while missing" },
  { code: "other", label: "Something else" },
] as const;
export type IncidentKind = (typeof incidentKinds)[number]["code"];

export function incidentKindLabel(code: string): string {
  return incidentKinds.find((k) => k.code === code)?.label ?? code;
}

export interface IncidentChoices {
  children: readonly Choice[];
  personsOfConcern: readonly Choice[];
  places: readonly Choice[];
  agencies: readonly Choice[];
}

export interface IncidentInput {
  kind: IncidentKind;
  occurredOn: string;
  locationId: string | null;
  description: string;
  sourceOrganisationId: string;
  shareWithPartners: boolean;
  childIds: string[];
  personOfConcernIds: string[];
}

/** The ticked values of a group of checkboxes, each one of `choices`; else a message. */
function ticked(f: FormReader, name: string, choices: readonly Choice[], what: string): string[] {
  const value = f.form[name];
  const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
  if (values.some((v) => !choices.some((c) => c.id === v))) {
    f.fail(name, `Select ${what} from the list`);
    return [];
  }
  return [...new Set(values)];
}

export function readIncident(
  f: FormReader,
  now: Date,
  choices: IncidentChoices,
  ownAgency: string,
): IncidentInput | null {
  const kind = f.code("kind", incidentKinds, "what kind of incident it was", { required: true });
  const occurredOn = f.date("occurred", "the date it happened", {
    required: true,
    notAfter: todayIn(now),
  });
  const locationId = f.raw("locationId")
    ? chosen(f, "locationId", choices.places, "the place")
    : null;
  const description = f.text("description", "what happened", { max: 5000 });
  // The actor's own agency unless another is chosen (partners have no other to choose).
  const sourceOrganisationId = f.raw("sourceOrganisationId")
    ? chosen(f, "sourceOrganisationId", choices.agencies, "the source agency")
    : ownAgency;
  const shareWithPartners = f.yesNo(
    "shareWithPartners",
    "may other partner agencies see this incident",
    { required: true },
  );
  const childIds = ticked(f, "childIds", choices.children, "the children involved");
  const personOfConcernIds = ticked(
    f,
    "personOfConcernIds",
    choices.personsOfConcern,
    "the persons of concern",
  );
  // An incident is about someone or somewhere: without either it could never be found again.
  if (
    childIds.length === 0 &&
    !f.raw("locationId") &&
    !f.errors.some((e) => e.field === "childIds")
  ) {
    f.fail("childIds", "Select at least one child involved, or choose the place where it happened");
  }
  if (!kind || !occurredOn || !sourceOrganisationId || shareWithPartners === null) return null;
  if (f.raw("locationId") && !locationId) return null;
  return {
    kind,
    occurredOn,
    locationId,
    description,
    sourceOrganisationId,
    shareWithPartners,
    childIds,
    personOfConcernIds,
  };
}
