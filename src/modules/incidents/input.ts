/**
 * The incident form: every field is checked, and each problem named, before anything is
 * written. Children, persons of concern and the place are chosen from what the actor may
 * see, so an incident can never name someone outside their sight.
 */
import { z } from "zod";
import { todayIn } from "../../domain/dates.ts";
import { code, dateInput, text, yesNo } from "../../platform/schemas.ts";
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

/** Text of any length: the field's own rule (one of a list) bounds it. */
const UNBOUNDED = { max: Number.MAX_SAFE_INTEGER };

/** The ticked values of a group of checkboxes, each once; which may be ticked is the service's. */
const tickedIds = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => [
    ...new Set((Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(Boolean)),
  ]);

/**
 * The incident form's shape: every field checked, each problem named. Which children, persons
 * of concern, place and agency may be chosen needs the database: the service checks them.
 */
export const IncidentForm = (now: Date) =>
  z
    .object({
      kind: code(incidentKinds, "what kind of incident it was", { required: true }),
      occurred: dateInput("the date it happened", { required: true, notAfter: todayIn(now) }),
      locationId: text("the place", UNBOUNDED),
      description: text("what happened", { max: 5000 }),
      sourceOrganisationId: text("the source agency", UNBOUNDED),
      shareWithPartners: yesNo("may other partner agencies see this incident", {
        required: true,
      }).pipe(z.boolean()),
      childIds: tickedIds,
      personOfConcernIds: tickedIds,
    })
    // An incident is about someone or somewhere: without either it could never be found again.
    // Asked even when other fields are wrong, so every problem is named at once.
    .refine((form) => form.childIds.length > 0 || form.locationId !== "", {
      message: "Select at least one child involved, or choose the place where it happened",
      path: ["childIds"],
      when: (payload) => {
        const value = payload.value as { childIds?: unknown; locationId?: unknown };
        return Array.isArray(value.childIds) && typeof value.locationId === "string";
      },
    });
export type IncidentForm = z.output<ReturnType<typeof IncidentForm>>;
