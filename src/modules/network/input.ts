/**
 * Reading the association form. Each kind of association names exactly one other node: an
 * existing one chosen from what the actor may see, or a new person of concern, place or peer
 * group entered on the same form. Every field is checked before anything is written.
 */
import { isUuid } from "../../platform/routes.ts";
import { todayIn } from "../../domain/dates.ts";
import {
  ageBands,
  concernRiskLevels,
  informationGradings,
  locationKinds,
  sourceGradings,
} from "../../domain/exploitation.ts";
import type { FormReader } from "../../platform/forms.ts";
import type { Choice } from "./queries.ts";

export const associationKinds = [
  { code: "child", label: "Another child" },
  { code: "person", label: "A person of concern already recorded" },
  { code: "new_person", label: "A new person of concern" },
  { code: "place", label: "A place already recorded" },
  { code: "new_place", label: "A new place" },
  { code: "group", label: "A peer group already recorded" },
  { code: "new_group", label: "A new peer group" },
] as const;
export type AssociationKind = (typeof associationKinds)[number]["code"];

export function associationKindOf(value: unknown): AssociationKind | null {
  return associationKinds.find((k) => k.code === value)?.code ?? null;
}

export interface NewPersonOfConcern {
  name: string;
  aliases: string;
  ageBand: string;
  description: string;
  riskLevel: string;
}

export interface NewPlace {
  name: string;
  kind: string;
  ward: string;
  latitude: number | null;
  longitude: number | null;
}

export interface NewGroup {
  name: string;
  description: string;
}

export interface AssociationInput {
  firstSeenOn: string;
  lastSeenOn: string | null;
  sourceOrganisationId: string;
  sourceGrading: string;
  informationGrading: string;
  corroborated: boolean;
  shareWithPartners: boolean;
  notes: string;
}

/** A choice from a select: one of the listed ids, else a message on the field. */
export function chosen(
  f: FormReader,
  name: string,
  choices: readonly Choice[],
  label: string,
): string | null {
  const value = f.raw(name);
  if (!value) {
    f.fail(name, `Select ${label}`);
    return null;
  }
  if (!isUuid(value) || !choices.some((c) => c.id === value)) {
    f.fail(name, `Select ${label} from the list`);
    return null;
  }
  return value;
}

/** The fields every association has: when, from whom, how graded, how far shared. */
export function readAssociation(
  f: FormReader,
  now: Date,
  agencies: readonly Choice[],
  ownAgency: string,
): AssociationInput | null {
  const today = todayIn(now);
  const firstSeenOn = f.date("firstSeen", "the date first seen", {
    required: true,
    notAfter: today,
  });
  const lastSeenOn = f.date("lastSeen", "the date last seen", {
    notAfter: today,
    ...(firstSeenOn ? { notBefore: { date: firstSeenOn, what: "the date first seen" } } : {}),
  });
  // The actor's own agency unless another is chosen (partners have no other to choose).
  const sourceOrganisationId = f.raw("sourceOrganisationId")
    ? chosen(f, "sourceOrganisationId", agencies, "the source agency")
    : ownAgency;
  const sourceGrading = f.code("sourceGrading", sourceGradings, "how reliable the source is", {
    required: true,
  });
  const informationGrading = f.code(
    "informationGrading",
    informationGradings,
    "how the source knows the information",
    { required: true },
  );
  const corroborated = f.yesNo("corroborated", "is it corroborated", { required: true });
  const shareWithPartners = f.yesNo(
    "shareWithPartners",
    "may other partner agencies see this intelligence",
    { required: true },
  );
  const notes = f.text("notes", "the notes", { max: 5000 });
  if (
    !firstSeenOn ||
    !sourceOrganisationId ||
    !sourceGrading ||
    !informationGrading ||
    corroborated === null ||
    shareWithPartners === null
  ) {
    return null;
  }
  return {
    firstSeenOn,
    lastSeenOn,
    sourceOrganisationId,
    sourceGrading,
    informationGrading,
    corroborated,
    shareWithPartners,
    notes,
  };
}

export function readNewPersonOfConcern(f: FormReader): NewPersonOfConcern | null {
  const name = f.text("pocName", "their name", { required: true, max: 200 });
  const aliases = f.text("pocAliases", "their aliases", { max: 500 });
  const ageBand = f.code("pocAgeBand", ageBands, "their age band", { required: true });
  const description = f.text("pocDescription", "the description", { max: 2000 });
  const riskLevel = f.code("pocRiskLevel", concernRiskLevels, "the risk level", {
    required: true,
  });
  if (!name || !ageBand || !riskLevel) return null;
  return { name, aliases, ageBand, description, riskLevel };
}

const COORDINATE = /^-?\d{1,3}(\.\d{1,5})?$/;

function coordinate(f: FormReader, name: string, label: string, limit: number): number | null {
  const value = f.raw(name);
  if (!value) return null;
  const number = Number(value);
  if (!COORDINATE.test(value) || Math.abs(number) > limit) {
    f.fail(
      name,
      `The ${label} must be a number between -${String(limit)} and ${String(limit)}, with up to 5 decimal places`,
    );
    return null;
  }
  return number;
}

export function readNewPlace(f: FormReader): NewPlace | null {
  const name = f.text("placeName", "the place's name", { required: true, max: 200 });
  const kind = f.code("placeKind", locationKinds, "what kind of place it is", { required: true });
  const ward = f.text("placeWard", "the ward", { max: 200 });
  const latitudeGiven = f.raw("latitude") !== "";
  const longitudeGiven = f.raw("longitude") !== "";
  const latitude = coordinate(f, "latitude", "latitude", 90);
  const longitude = coordinate(f, "longitude", "longitude", 180);
  if (kind === "online_platform" && (latitudeGiven || longitudeGiven)) {
    f.fail("latitude", "An online platform has no latitude or longitude: leave both empty");
  } else if (latitudeGiven !== longitudeGiven) {
    const missing = latitudeGiven ? "longitude" : "latitude";
    f.fail(missing, "Enter both a latitude and a longitude, or neither");
  }
  if (!name || !kind) return null;
  return { name, kind, ward, latitude, longitude };
}

export function readNewGroup(f: FormReader): NewGroup | null {
  const name = f.text("groupName", "the group's name", { required: true, max: 200 });
  const description = f.text("groupDescription", "the description", { max: 2000 });
  if (!name) return null;
  return { name, description };
}
