/**
 * Recording intelligence: an association of a child with another child, a person of concern,
 * a place or a peer group (creating the person, place or group when new), and changing a
 * person of concern's risk level. Associations are not put on the chronology: partners read
 * it, and intelligence reaches them only as far as its source allows.
 */
import type { Actor } from "../../access/actor.ts";
import { AppError } from "../../platform/errors.ts";
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

/**
 * Reads and checks the whole form, then writes: the new node (if any), the association and any
 * network alerts. Throws a validation error naming each wrong field before writing anything.
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

  let node: Node;
  if (kind === "child" && existing) node = { other_child_id: existing };
  else if (kind === "person" && existing) node = { person_of_concern_id: existing };
  else if (kind === "place" && existing) node = { location_id: existing };
  else if (kind === "group" && existing) node = { peer_group_id: existing };
  else if (newPerson) {
    const row = await ctx.db
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
        source_organisation_id: details.sourceOrganisationId,
        share_with_partners: details.shareWithPartners,
        recorded_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    node = { person_of_concern_id: row.id };
  } else if (newPlace) {
    const row = await ctx.db
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
  } else if (newGroup) {
    const row = await ctx.db
      .insertInto("peer_group")
      .values({
        la_id: actor.laId,
        name: newGroup.name,
        description: newGroup.description,
        recorded_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    node = { peer_group_id: row.id };
  } else {
    throw new Error("validated form lost its node");
  }
  const saved = await insertAssociation(ctx, actor, child, node, details);
  const alerted = await raiseNetworkAlerts(ctx.db, {
    id: saved,
    laId: child.la_id,
    childId: child.id,
    otherChildId: "other_child_id" in node ? node.other_child_id : null,
    personOfConcernId: "person_of_concern_id" in node ? node.person_of_concern_id : null,
  });
  ctx.audit({
    personIds: "other_child_id" in node ? [node.other_child_id] : [],
    subjectType: "association",
    subjectId: saved,
    summary: { kind, ...(alerted.length > 0 ? { alerts: alerted.length } : {}) },
  });
  return { id: saved, alerted };
}

async function insertAssociation(
  ctx: RouteContext,
  actor: Actor,
  child: VisiblePerson,
  node: Node,
  details: AssociationInput,
): Promise<string> {
  const row = await ctx.db
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
