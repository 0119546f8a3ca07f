import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

/**
 * Amelia (childA1) and Oliver (childA2) meet at a park with a group; Oliver is linked to an
 * adult the police assess as high risk; Amelia was also seen with Kai (childB1, the other
 * team's), whom swA may not see.
 */
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const db = database.db;
  const one = async (
    table: "person_of_concern" | "location" | "peer_group",
    values: Record<string, unknown>,
  ) =>
    (
      await db
        .insertInto(table)
        .values({ la_id: world.laId, recorded_by: world.users.police.id, ...values } as never)
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const adult = await one("person_of_concern", {
    name: "Dean Marsh",
    age_band: "25_plus",
    risk_level: "high",
    source_organisation_id: world.orgs.police,
  });
  const park = await one("location", { name: "Victoria Park", kind: "park" });
  const group = await one("peer_group", { name: "Eastfield Boys" });
  const base = {
    la_id: world.laId,
    first_seen_on: "2026-01-05",
    source_organisation_id: world.orgs.police,
    source_grading: "1",
    information_grading: "B",
    recorded_by: world.users.police.id,
  };
  const { childA1, childA2, childB1 } = world.people;
  await db
    .insertInto("association")
    .values([
      { ...base, child_id: childA1, location_id: park },
      { ...base, child_id: childA1, peer_group_id: group },
      { ...base, child_id: childA2, location_id: park },
      { ...base, child_id: childA2, peer_group_id: group },
      { ...base, child_id: childA2, other_child_id: childA1 },
      { ...base, child_id: childA2, person_of_concern_id: adult },
      { ...base, child_id: childA1, other_child_id: childB1 },
    ])
    .execute();
});

describe("the peer group and connections on the child's network page", () => {
  it("shows the social worker the child's peer group, reach and who is near high risk", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${world.people.childA1}/network`);
    expect(page.statusCode).toBe(200);
    const section = page.body.slice(page.body.indexOf("Peer group and connections"));
    const peerGroup = section.slice(section.indexOf('data-testid="peer-group"'));
    expect(peerGroup).toContain("Oliver Hartley");
    expect(peerGroup).toContain("Victoria Park");
    expect(peerGroup).toContain("Eastfield Boys");
    const nearRisk = section.slice(section.indexOf('data-testid="near-high-risk"'));
    expect(nearRisk).toContain("Oliver Hartley");
    expect(nearRisk).toContain("Dean Marsh");
    const within = section.slice(section.indexOf('data-testid="within-steps"'));
    expect(within).toContain("Dean Marsh");
    // Kai is the other team's: not shown anywhere, not counted as a connection.
    expect(page.body).not.toContain("Kai");
    expect(page.body).not.toContain("Brennan");
  });

  it("shows a partner only the part of the network shared with it", async () => {
    const health = await signIn(app, world.users.health.email);
    expect((await health.get(`/people/${world.people.childA1}/network`)).statusCode).toBe(404);
    // The police see Amelia (shared with them) and their own intelligence, but not Oliver,
    // who is not shared with them: he and what only he leads to stay out.
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(`/people/${world.people.childA1}/network`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Victoria Park");
    expect(page.body).not.toContain("Oliver");
    expect(page.body).not.toContain("Dean Marsh");
    expect(page.body).not.toContain("Kai");
  });
});
