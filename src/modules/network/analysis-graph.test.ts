import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor, type Actor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { networkAround } from "./graph.ts";

let database: Database;
let world: World;
let ids: { dean: string; park: string; crew: string };

// The test clock says Monday 2 March 2026.
const now = new Date("2026-03-02T10:00:00Z");

async function actor(user: keyof World["users"]): Promise<Actor> {
  const found = await loadActor(database.db, world.users[user].id);
  if (!found) throw new Error(`no actor ${user}`);
  return found;
}

/**
 * childA1 (Amelia) - childA2 (Oliver)   LA, both seen by swA
 * childA1 - park                        LA, shared with partners
 * childA2 - park                        LA
 * childA2 - Dean (high risk)            police, not shared with partners
 * childA1 - Northside crew              police
 * childB1 (Kai) - park, childB1 - Dean  LA: swA may not see Kai
 * unallocated (Theo) - childA2          LA: swA may not see Theo
 */
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  const { laId, orgs, people, users } = world;
  const dean = await db
    .insertInto("person_of_concern")
    .values({
      la_id: laId,
      name: "Dean Voss",
      age_band: "25_plus",
      risk_level: "high",
      source_organisation_id: orgs.police,
      recorded_by: users.police.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const park = await db
    .insertInto("location")
    .values({ la_id: laId, name: "Mill Lane park", kind: "park", recorded_by: users.swA.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  const crew = await db
    .insertInto("peer_group")
    .values({ la_id: laId, name: "Northside crew", recorded_by: users.police.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  ids = { dean: dean.id, park: park.id, crew: crew.id };
  const associate = (
    child: string,
    other: {
      other_child_id?: string;
      person_of_concern_id?: string;
      location_id?: string;
      peer_group_id?: string;
    },
    source: string,
    shared = false,
  ) =>
    db
      .insertInto("association")
      .values({
        la_id: laId,
        child_id: child,
        ...other,
        first_seen_on: "2026-02-01",
        source_organisation_id: source,
        source_grading: "2",
        information_grading: "B",
        share_with_partners: shared,
        recorded_by: source === orgs.police ? users.police.id : users.swA.id,
      })
      .execute();
  await associate(people.childA1, { other_child_id: people.childA2 }, orgs.la);
  await associate(people.childA1, { location_id: park.id }, orgs.la, true);
  await associate(people.childA2, { location_id: park.id }, orgs.la);
  await associate(people.childA2, { person_of_concern_id: dean.id }, orgs.police);
  await associate(people.childA1, { peer_group_id: crew.id }, orgs.police);
  await associate(people.childB1, { location_id: park.id }, orgs.la);
  await associate(people.childB1, { person_of_concern_id: dean.id }, orgs.la);
  await associate(people.unallocated, { other_child_id: people.childA2 }, orgs.la);
  // Oliver was screened medium, then high: the latest judgement is his risk.
  for (const [on, level] of [
    ["2026-01-10", "medium"],
    ["2026-02-20", "high"],
  ] as const) {
    await db
      .insertInto("exploitation_screening")
      .values({
        la_id: laId,
        person_id: people.childA2,
        screened_on: on,
        indicators: [],
        harm_types: [],
        computed_level: "none",
        judged_level: level,
        judgement_reason: "Seen with older associates",
        recorded_by: users.swA.id,
        organisation_id: orgs.la,
      })
      .execute();
  }
});

const child = (id: string) => `child:${id}`;

describe("networkAround", () => {
  it("shows the allocated worker what they may see within 2 steps, with distances", async () => {
    const around = await networkAround(
      database.db,
      await actor("swA"),
      world.people.childA1,
      2,
      now,
    );
    expect(around?.distances.map((n) => [n.label, n.distance])).toEqual([
      ["Amelia Hartley", 0],
      ["Mill Lane park", 1],
      ["Northside crew", 1],
      ["Oliver Hartley", 1],
      ["Dean Voss", 2],
    ]);
    const graph = around?.graph;
    // Kai and Theo are hidden from swA: not nodes, and not counted in the park's or Dean's ties.
    expect(graph?.hasNode(child(world.people.childB1))).toBe(false);
    expect(graph?.hasNode(child(world.people.unallocated))).toBe(false);
    expect(around?.mostConnected.slice(0, 3)).toEqual([
      { key: child(world.people.childA1), kind: "child", label: "Amelia Hartley", degree: 3 },
      { key: child(world.people.childA2), kind: "child", label: "Oliver Hartley", degree: 3 },
      { key: `place:${ids.park}`, kind: "place", label: "Mill Lane park", degree: 2 },
    ]);
    expect(graph?.degree(`poc:${ids.dean}`)).toBe(1);
    expect(around?.groups.community.size).toBe(5);
    expect(around?.groups.groups.flat().sort()).toEqual([...(graph?.nodes() ?? [])].sort());
    expect(around?.nearHighRisk.map((c) => [c.label, c.distance, c.nearest.label])).toEqual([
      ["Amelia Hartley", 1, "Oliver Hartley"],
      ["Oliver Hartley", 1, "Dean Voss"],
    ]);
  });

  it("stops at 1 step but keeps the tie between two nodes at that step", async () => {
    const around = await networkAround(
      database.db,
      await actor("swA"),
      world.people.childA1,
      1,
      now,
    );
    expect(around?.distances.map((n) => n.label)).toEqual([
      "Amelia Hartley",
      "Mill Lane park",
      "Northside crew",
      "Oliver Hartley",
    ]);
    expect(around?.graph.hasEdge(child(world.people.childA2), `place:${ids.park}`)).toBe(true);
    expect(around?.graph.hasNode(`poc:${ids.dean}`)).toBe(false);
  });

  it("gives the child alone at 0 steps", async () => {
    const around = await networkAround(
      database.db,
      await actor("swA"),
      world.people.childA1,
      0,
      now,
    );
    expect(around?.graph.order).toBe(1);
    expect(around?.graph.size).toBe(0);
  });

  it("shows the other team's worker only Kai's side of the park and Dean", async () => {
    const around = await networkAround(
      database.db,
      await actor("swB"),
      world.people.childB1,
      2,
      now,
    );
    expect(around?.distances.map((n) => [n.label, n.distance])).toEqual([
      ["Kai Brennan", 0],
      ["Dean Voss", 1],
      ["Mill Lane park", 1],
    ]);
    expect(around?.graph.degree(`place:${ids.park}`)).toBe(1);
  });

  it("shows the police only what the sharing allows around a shared child", async () => {
    const around = await networkAround(
      database.db,
      await actor("police"),
      world.people.childA1,
      2,
      now,
    );
    // Oliver is not shared with the police; the park tie was shared with partners; the crew
    // is the police's own intelligence.
    expect(around?.distances.map((n) => [n.label, n.distance])).toEqual([
      ["Amelia Hartley", 0],
      ["Mill Lane park", 1],
      ["Northside crew", 1],
    ]);
    expect(around?.graph.degree(`place:${ids.park}`)).toBe(1);
  });

  it("gives nothing to those who may not see the child", async () => {
    for (const user of ["swB", "otherLaSw", "analyst", "admin", "police"] as const) {
      const person = user === "police" ? world.people.childB1 : world.people.childA1;
      expect(await networkAround(database.db, await actor(user), person, 2, now)).toBeUndefined();
    }
  });

  it("refuses a negative number of steps", async () => {
    await expect(
      networkAround(database.db, await actor("swA"), world.people.childA1, -1, now),
    ).rejects.toThrow(RangeError);
  });
});
