import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import type { NetworkDrawing } from "./graph-routes.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let ids: { adult: string; park: string; group: string };

/**
 * As network-page.test.ts: Amelia (childA1) and Oliver (childA2) meet at a park with a group;
 * Oliver is linked to an adult the police assess as high risk; Amelia was also seen with Kai
 * (childB1, the other team's), whom swA may not see.
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
  ids = {
    adult: await one("person_of_concern", {
      name: "Dean Marsh",
      age_band: "25_plus",
      risk_level: "high",
      source_organisation_id: world.orgs.police,
    }),
    park: await one("location", { name: "Victoria Park", kind: "park" }),
    group: await one("peer_group", { name: "Eastfield Boys" }),
  };
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
      { ...base, child_id: childA1, location_id: ids.park },
      { ...base, child_id: childA1, peer_group_id: ids.group },
      { ...base, child_id: childA2, location_id: ids.park },
      { ...base, child_id: childA2, peer_group_id: ids.group },
      { ...base, child_id: childA2, other_child_id: childA1 },
      { ...base, child_id: childA2, person_of_concern_id: ids.adult },
      { ...base, child_id: childA1, other_child_id: childB1 },
    ])
    .execute();
});

const url = () => `/people/${world.people.childA1}/network/graph.json`;
const json = { accept: "application/json" };

async function drawingFor(email: string): Promise<NetworkDrawing> {
  const client = await signIn(app, email);
  const response = await client.get(url(), json);
  expect(response.statusCode).toBe(200);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  return response.json<NetworkDrawing>();
}

describe("the network graph's JSON", () => {
  it("gives the social worker the visible network with positions, and nothing else", async () => {
    const drawing = await drawingFor(world.users.swA.email);
    const { childA1, childA2, childB1 } = world.people;
    expect(drawing.centre).toBe(`child:${childA1}`);
    expect(drawing.nodes.map((n) => n.key).sort()).toEqual(
      [
        `child:${childA1}`,
        `child:${childA2}`,
        `poc:${ids.adult}`,
        `place:${ids.park}`,
        `group:${ids.group}`,
      ].sort(),
    );
    // Kai is the other team's: absent as a node, an edge end and a label.
    const text = JSON.stringify(drawing);
    expect(text).not.toContain(childB1);
    expect(text).not.toContain("Kai");
    expect(drawing.edges).toHaveLength(6);
    const keys = new Set(drawing.nodes.map((n) => n.key));
    for (const edge of drawing.edges) {
      expect(keys.has(edge.source) && keys.has(edge.target)).toBe(true);
    }
    const adult = drawing.nodes.find((n) => n.key === `poc:${ids.adult}`);
    expect(adult).toMatchObject({
      label: "Dean Marsh",
      kind: "poc",
      risk: "high",
      href: `/network/persons/${ids.adult}`,
    });
    for (const node of drawing.nodes) {
      expect(Number.isFinite(node.x) && Number.isFinite(node.y)).toBe(true);
      expect(node.size).toBeGreaterThan(0);
      expect(Number.isInteger(node.community)).toBe(true);
    }
    // Nodes are spread out, not piled on one point.
    const points = new Set(drawing.nodes.map((n) => `${String(n.x)},${String(n.y)}`));
    expect(points.size).toBe(drawing.nodes.length);
  });

  it("lays the same network out the same way every time", async () => {
    const first = await drawingFor(world.users.swA.email);
    const second = await drawingFor(world.users.swA.email);
    expect(second).toEqual(first);
  });

  it("gives the police only the part shared with them", async () => {
    const drawing = await drawingFor(world.users.police.email);
    const text = JSON.stringify(drawing);
    expect(drawing.nodes.map((n) => n.label)).toContain("Victoria Park");
    expect(drawing.nodes.map((n) => n.label)).toContain("Amelia Hartley");
    // Oliver is not shared with the police: he and the adult only he leads to stay out.
    expect(text).not.toContain(world.people.childA2);
    expect(text).not.toContain("Oliver");
    expect(text).not.toContain("Dean Marsh");
    expect(text).not.toContain(ids.adult);
    expect(text).not.toContain("Kai");
  });

  it("is refused to those who may not see the child or the network, and audited", async () => {
    for (const user of ["swB", "analyst", "admin", "otherLaSw", "health"] as const) {
      const client = await signIn(app, world.users[user].email);
      const response = await client.get(url(), json);
      expect(response.statusCode, user).toBe(404);
      expect(response.body, user).not.toContain("Victoria Park");
    }
    const rows = await database.db
      .selectFrom("audit_log")
      .select(["action", "outcome"])
      .where("action", "=", "network.view")
      .where("actor_user_id", "=", world.users.swB.id)
      .execute();
    expect(rows.map((r) => r.outcome)).toEqual(["denied"]);
  });

  it("sends the anonymous to sign in", async () => {
    const response = await app.inject({ method: "GET", url: url() });
    expect(response.statusCode).not.toBe(200);
    expect(response.body).not.toContain("Victoria Park");
  });
});
