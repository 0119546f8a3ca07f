import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildFamilyWorld, type FamilyWorld } from "../src/modules/family/test-support.ts";
import type { Database } from "../src/platform/database.ts";
import { freshDatabase } from "./support/database.ts";
import { sweptRoutes, urlOf, Users } from "./support/every-route.ts";
import { testApp } from "./support/http.ts";

/**
 * Personal data is not kept by browsers or proxies (issue 10, item 5): every response of a
 * route that needs a signed-in user says `Cache-Control: no-store`, as do error pages. Before,
 * only the network graph's JSON did, so a shared computer's back button or a caching proxy
 * could show a child's record, print view or export to the next person.
 */

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let users: Users;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  users = new Users(app, database.db, world);
});

describe("Cache-Control on every route", () => {
  it("is no-store on every response of every signed-in route, as a user who may use it", async () => {
    const routes = sweptRoutes(app).filter((r) => r.permission !== "public");
    const answered: Record<string, number> = {};
    const cached: string[] = [];
    for (const route of routes) {
      const client = await users.clientFor(route.permission);
      const url = urlOf(route, world);
      const response = route.method === "GET" ? await client.get(url) : await client.post(url, {});
      answered[response.statusCode] = (answered[response.statusCode] ?? 0) + 1;
      if (response.headers["cache-control"] !== "no-store") {
        cached.push(`${route.method} ${route.url} (${String(response.statusCode)})`);
      }
    }
    expect(cached).toEqual([]);
    // The sweep reached real pages, not only "not found": most GETs showed the record.
    expect(answered[200] ?? 0).toBeGreaterThan(60);
    // One request per route, a few hundred in all: more than the default 30 s on a busy machine.
  }, 180_000);

  it("is no-store on a child's record, its chronology (printed from the page) and the network graph's JSON", async () => {
    const sw = await users.clientFor("person.view");
    for (const url of [
      `/people/${world.people.childA1}`,
      `/people/${world.people.childA1}/chronology`,
      `/people/${world.people.childA1}/network/graph.json`,
    ]) {
      const response = await sw.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers["cache-control"], url).toBe("no-store");
    }
  });

  it("is no-store on error pages, even for someone signed out", async () => {
    const response = await app.inject({ method: "GET", url: "/no-such-page" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["cache-control"]).toBe("no-store");
  });

  it("leaves the static assets cacheable", async () => {
    const response = await app.inject({ method: "GET", url: "/assets/app/init.mjs" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toMatch(/^public, max-age=\d+$/);
  });
});
