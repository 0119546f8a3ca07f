/**
 * Recording intelligence: an association of a child with another child, a person of concern,
 * a place or a peer group (creating the person, place or group when new), and changing a
 * person of concern's risk level. Associations are not put on the chronology: partners read
 * it, and intelligence reaches them only as far as its source allows.
 */
import type { Actor } from "../../access/actor.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, type FieldError } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import type { RouteContext } from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { raiseNetworkAlerts } from "./alerts.ts";
import {
  associationKindOf,
  chosen,
  readAssociation,
  readNewGroup,
  readNewPersonOfConcern,
  readNewPlace,
  type AssociationInput,
  type NewGroup,
  type NewPersonOfConcern,
  type NewPlace,
} from "./input.ts";
import {
  childChoices,
  groupChoices,
  personOfConcernChoices,
  placeChoices,
  sourceAgencies,
} from "./queries.ts";

type Node =
  | { other_child_id: string }
  | { person_of_concern_id: string }
  | { location_id: string }
  | { peer_group_id: string };

/** What an association is with: an existing node chosen by id, or a new one entered with it. */
export type AssociationWith =
  | { kind: "child" | "person" | "place" | "group"; id: string }
  | { kind: "new_person"; person: NewPersonOfConcern }
  | { kind: "new_place"; place: NewPlace }
  | { kind: "new_group"; group: NewGroup };

export interface NewAssociation extends AssociationInput {
  with: AssociationWith;
}

/** The form field naming each kind's existing node, for the error when it is not visible. */
export const existingNodeField = {
  child: "otherChildId",
  person: "personOfConcernId",
  place: "locationId",
  group: "peerGroupId",
} as const;

/**
 * Reads and checks the whole form, then saves it through `saveAssociation`. Throws a
 * validation error naming each wrong field before writing anything.
 */
export async function recordAssociation(
  ctx: RouteContext,
  actor: Actor,
  child: VisiblePerson,
  form: Record<string, unknown>,
): Promise<{ id: string; alerted: string[] }> {
  const f = new FormReader(form);
  const kind = associationKindOf(f.raw("kind"));
  if (!kind) f.fail("kind", "Select what the association is with");
  let existing: string | null = null;
  let newPerson = null;
  let newPlace = null;
  let newGroup = null;
  switch (kind) {
    case "child":
      existing = chosen(
        f,
        "otherChildId",
        await childChoices(ctx.db, actor, ctx.now, child.id),
        "the child",
      );
      break;
    case "person":
      existing = chosen(
        f,
        "personOfConcernId",
        await personOfConcernChoices(ctx.db, actor, ctx.now),
        "the person of concern",
      );
      break;
    case "place":
      existing = chosen(f, "locationId", await placeChoices(ctx.db, actor), "the place");
      break;
    case "group":
      existing = chosen(
        f,
        "peerGroupId",
        await groupChoices(ctx.db, actor, ctx.now),
        "the peer group",
      );
      break;
    case "new_person":
      newPerson = readNewPersonOfConcern(f);
      break;
    case "new_place":
      newPlace = readNewPlace(f);
      break;
    case "new_group":
      newGroup = readNewGroup(f);
      break;
    case null:
      break;
  }
  const details = readAssociation(
    f,
    ctx.now,
    await sourceAgencies(ctx.db, actor),
    actor.organisationId,
  );
  f.done();
  if (!details || !kind) throw new Error("validated form lost a value");
  let target: AssociationWith;
  if (newPerson) target = { kind: "new_person", person: newPerson };
  else if (newPlace) target = { kind: "new_place", place: newPlace };
  else if (newGroup) target = { kind: "new_group", group: newGroup };
  else if (existing && kind !== "new_person" && kind !== "new_place" && kind !== "new_group") {
    target = { kind, id: existing };
  } else throw new Error("validated form lost its node");
  const saved = await saveAssociation(ctx.db, actor, child, { ...details, with: target }, ctx.now);
  ctx.audit({
    personIds: saved.otherChildId ? [saved.otherChildId] : [],
    subjectType: "association",
    subjectId: saved.id,
    summary: { kind, ...(saved.alerted.length > 0 ? { alerts: saved.alerted.length } : {}) },
  });
  return saved;
}

/** Refuses, naming the field, a chosen node or source agency the actor may not see. */
async function refuseUnseenChoices(
  db: Db,
  actor: Actor,
  child: VisiblePerson,
  input: NewAssociation,
  now: Date,
): Promise<void> {
  const errors: FieldError[] = [];
  const target = input.with;
  if ("id" in target) {
    const choices =
      target.kind === "child"
        ? await childChoices(db, actor, now, child.id)
        : target.kind === "person"
          ? await personOfConcernChoices(db, actor, now)
          : target.kind === "place"
            ? await placeChoices(db, actor)
            : await groupChoices(db, actor, now);
    if (!choices.some((c) => c.id === target.id)) {
      errors.push({ field: existingNodeField[target.kind], message: "Select it from the list" });
    }
  }
  if (
    input.sourceOrganisationId !== actor.organisationId &&
    !(await sourceAgencies(db, actor)).some((a) => a.id === input.sourceOrganisationId)
  ) {
    errors.push({
      field: "sourceOrganisationId",
      message: "Select the source agency from the list",
    });
  }
  if (errors.length > 0) throw new AppError("validation", "Check the details you entered", errors);
}

/**
 * Saves an association that has passed its schema, for the form and the API alike: the new
 * node (if any), the association and any network alerts. The caller has checked the actor may
 * record on the child; a chosen node or agency outside the actor's sight is refused here.
 */
export async function saveAssociation(
  db: Db,
  actor: Actor,
  child: VisiblePerson,
  input: NewAssociation,
  now: Date,
): Promise<{ id: string; alerted: string[]; otherChildId: string | null }> {
  await refuseUnseenChoices(db, actor, child, input, now);
  const target = input.with;
  let node: Node;
  if ("id" in target) {
    const column = {
      child: "other_child_id",
      person: "person_of_concern_id",
      place: "location_id",
      group: "peer_group_id",
    } as const;
    node = { [column[target.kind]]: target.id } as Node;
  } else if (target.kind === "new_person") {
    const newPerson = target.person;
    const row = await db
      .insertInto("person_of_concern")
      .values({
        la_id: actor.laId,
        name: newPerson.name,
        aliases: newPerson.aliases,
        age_band: newPerson.ageBand,
        description: newPerson.description,
        risk_level: newPerson.riskLevel,
        // The source agency keeps sight of the person; others see them only through an
        // association they may see.
        source_organisation_id: input.sourceOrganisationId,
        share_with_partners: input.shareWithPartners,
        recorded_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    node = { person_of_concern_id: row.id };
  } else if (target.kind === "new_place") {
    const newPlace = target.place;
    const row = await db
      .insertInto("location")
      .values({
        la_id: actor.laId,
        name: newPlace.name,
        kind: newPlace.kind,
        ward: newPlace.ward,
        latitude: newPlace.latitude,
        longitude: newPlace.longitude,
        recorded_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    node = { location_id: row.id };
  } else {
    const row = await db
      .insertInto("peer_group")
      .values({
        la_id: actor.laId,
        name: target.group.name,
        description: target.group.description,
        recorded_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    node = { peer_group_id: row.id };
  }
  const saved = await insertAssociation(db, actor, child, node, input);
  const otherChildId = "other_child_id" in node ? node.other_child_id : null;
  const alerted = await raiseNetworkAlerts(db, {
    id: saved,
    laId: child.la_id,
    childId: child.id,
    otherChildId,
    personOfConcernId: "person_of_concern_id" in node ? node.person_of_concern_id : null,
  });
  return { id: saved, alerted, otherChildId };
}

async function insertAssociation(
  db: Db,
  actor: Actor,
  child: VisiblePerson,
  node: Node,
  details: AssociationInput,
): Promise<string> {
  const row = await db
    .insertInto("association")
    .values({
      la_id: child.la_id,
      child_id: child.id,
      ...node,
      first_seen_on: details.firstSeenOn,
      last_seen_on: details.lastSeenOn,
      source_organisation_id: details.sourceOrganisationId,
      source_grading: details.sourceGrading,
      information_grading: details.informationGrading,
      corroborated: details.corroborated,
      share_with_partners: details.shareWithPartners,
      notes: details.notes,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Changes a person of concern's risk level. The form carries the version it was read at; a
 * change made meanwhile by someone else refuses this one as a conflict (nothing saved).
 */
export async function changeRiskLevel(
  ctx: RouteContext,
  personOfConcernId: string,
  form: Record<string, unknown>,
  levels: readonly { code: string; label: string }[],
): Promise<string> {
  const f = new FormReader(form);
  const version = f.version();
  const riskLevel = f.code("riskLevel", levels, "the risk level", { required: true });
  f.done();
  if (!riskLevel) throw new Error("validated form lost a value");
  const updated = await ctx.db
    .updateTable("person_of_concern")
    .set((eb) => ({ risk_level: riskLevel, version: eb("version", "+", 1) }))
    .where("id", "=", personOfConcernId)
    .where("version", "=", version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw new AppError(
      "conflict",
      "Someone changed this person's risk level while you were looking at it. Nothing has been saved: read the page again, then make your change.",
    );
  }
  ctx.audit({
    subjectType: "person_of_concern",
    subjectId: personOfConcernId,
    summary: { riskLevel },
  });
  return riskLevel;
}
