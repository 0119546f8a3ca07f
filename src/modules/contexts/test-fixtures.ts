/** Shared set-up for the contexts tests: a park, a police-recorded peer group, associations. */
import type { World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

export interface Intelligence {
  parkId: string;
  groupId: string;
}

export async function recordIntelligence(database: Database, world: World): Promise<Intelligence> {
  const db = database.db;
  const parkId = (
    await db
      .insertInto("location")
      .values({
        la_id: world.laId,
        name: "Victoria Park",
        kind: "park",
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const groupId = (
    await db
      .insertInto("peer_group")
      .values({ la_id: world.laId, name: "Eastfield Boys", recorded_by: world.users.police.id })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const common = {
    la_id: world.laId,
    source_grading: "1",
    information_grading: "B",
    first_seen_on: "2026-01-20",
  };
  await db
    .insertInto("association")
    .values([
      // Amelia (swA's) with the group, from the police, not shared with other partners.
      {
        ...common,
        child_id: world.people.childA1,
        peer_group_id: groupId,
        source_organisation_id: world.orgs.police,
        recorded_by: world.users.police.id,
      },
      // Amelia and Kai (swB's) at the park, recorded by the LA.
      {
        ...common,
        child_id: world.people.childA1,
        location_id: parkId,
        source_organisation_id: world.orgs.la,
        recorded_by: world.users.swA.id,
      },
      {
        ...common,
        child_id: world.people.childB1,
        location_id: parkId,
        source_organisation_id: world.orgs.la,
        recorded_by: world.users.swB.id,
      },
    ])
    .execute();
  return { parkId, groupId };
}

/** GOV.UK date input fields for an ISO date. */
export function dateFields(name: string, iso: string): Record<string, string> {
  const [year = "", month = "", day = ""] = iso.split("-");
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}
