import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/support/database.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import type { Database } from "../platform/database.ts";
import { whoSees, type UserKey } from "../../test/support/who-sees.ts";
import { incidentCountable, incidentVisible } from "./incidents.ts";

let database: Database;
let world: World;
const now = new Date("2026-03-02T10:00:00Z");
// Those who see Amelia (childA1): her team, and the adult specialist through her mother.
const laTeam: UserKey[] = ["swA", "tmA", "businessSupportA", "adultSpecialistA"];
const everyone: UserKey[] = [...laTeam, "swB", "police", "health", "analyst", "admin", "otherLaSw"];
const ids: Record<string, string> = {};

const whoSeesIncident = (id: string) =>
  whoSees(database.db, world, everyone, "incident", id, (a) => incidentVisible(a, now, "t"));
const whoCounts = (id: string) =>
  whoSees(database.db, world, everyone, "incident", id, (a) => incidentCountable(a, "t"));

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  // Amelia is shared with the police by the world, and here with health too.
  await db
    .insertInto("record_share")
    .values({
      la_id: world.laId,
      person_id: world.people.childA1,
      organisation_id: world.orgs.health,
      lawful_basis: "ca1989_s47",
      purpose: "Health input to the section 47 enquiry",
      shared_by: world.users.swA.id,
    })
    .execute();
  const place = await db
    .insertInto("location")
    .values({
      la_id: world.laId,
      name: "Bus station",
      kind: "transport_hub",
      recorded_by: world.users.swA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const incident = async (shared: boolean, children: string[], locationId: string | null) => {
    const row = await db
      .insertInto("incident")
      .values({
        la_id: world.laId,
        kind: "sighting",
        occurred_on: "2026-02-20",
        location_id: locationId,
        source_organisation_id: world.orgs.police,
        share_with_partners: shared,
        recorded_by: world.users.police.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const personId of children) {
      await db
        .insertInto("incident_subject")
        .values({ incident_id: row.id, person_id: personId })
        .execute();
    }
    return row.id;
  };
  ids.unshared = await incident(false, [world.people.childA1], place.id);
  ids.shared = await incident(true, [world.people.childA1], null);
  ids.twoTeams = await incident(true, [world.people.childA1, world.people.childB1], place.id);
  ids.placeOnly = await incident(false, [], place.id);
});

describe("who sees an incident", () => {
  it("keeps police intelligence not shared with partners from the health partner, even though Amelia is shared with it", async () => {
    expect(await whoSeesIncident(ids.unshared ?? "")).toEqual([...laTeam, "police"]);
  });

  it("lets the health partner see it once the police share it with partners", async () => {
    expect(await whoSeesIncident(ids.shared ?? "")).toEqual([...laTeam, "police", "health"]);
  });

  it("leaves out an incident naming a child the actor may not see", async () => {
    // Amelia's team cannot see Kai, Kai's worker cannot see Amelia: nobody sees both.
    expect(await whoSeesIncident(ids.twoTeams ?? "")).toEqual([]);
  });

  it("shows an incident at a place, naming no child, as far as its source allows", async () => {
    expect(await whoSeesIncident(ids.placeOnly ?? "")).toEqual([...laTeam, "swB", "police"]);
  });
});

describe("which incidents the hotspot counts include", () => {
  it("counts what the source allows, whoever it involved, never for the analyst, administrator or another LA", async () => {
    expect(await whoCounts(ids.unshared ?? "")).toEqual([...laTeam, "swB", "police"]);
    expect(await whoCounts(ids.twoTeams ?? "")).toEqual([...laTeam, "swB", "police", "health"]);
  });
});
