import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { permissions, signedInOnlyRoutes } from "../src/access/permissions.ts";
import { loadConfig } from "../src/platform/config.ts";
import { addRoute } from "../src/platform/routes.ts";
import { buildApp } from "../src/app.ts";
import { freshDatabase } from "./support/database.ts";
import { testApp } from "./support/http.ts";

let app: FastifyInstance;
let database: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  database = await freshDatabase();
  ({ app } = await testApp(database));
});
afterAll(() => app.close());

/** Routes anyone may call without signing in. Adding one here is a security decision. */
const publicRoutes = [
  "GET /assets/:folder/:file",
  "GET /assets/manifest.json",
  "GET /health",
  "GET /sign-in",
  "POST /sign-in",
  "GET /sign-in/oidc",
  "GET /sign-in/oidc/callback",
  // The API's token endpoint and its documents (src/api/routes.ts); /api/v1 needs a token.
  "POST /api/oauth/token",
  "GET /api/openapi.json",
  "GET /api/docs",
];

describe("every route declares its permission and audit kind", () => {
  it("has a known permission and a non-empty audit kind on every registered route", () => {
    expect(app.routeTable.length).toBeGreaterThan(15);
    for (const route of app.routeTable) {
      expect(permissions, `${route.method} ${route.url}`).toContain(route.permission);
      expect(route.audit.length, `${route.method} ${route.url}`).toBeGreaterThan(0);
    }
  });

  it("keeps the set of public routes to the sign-in flow, health and static assets", () => {
    const open = app.routeTable
      .filter((r) => r.permission === "public" && r.method !== "HEAD")
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(open).toEqual([...publicRoutes].sort());
  });

  it("audits every route that can reach personal data", () => {
    const unaudited = app.routeTable
      .filter((r) => r.audit === "none" && r.method !== "HEAD")
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    // Forms with no personal data on them, the sign-in start, health and static files.
    expect(unaudited).toEqual(
      [
        "GET /admin/users/new",
        "GET /api/docs",
        "GET /api/openapi.json",
        "GET /admin/visit-frequencies",
        "GET /assets/:folder/:file",
        "GET /assets/manifest.json",
        "GET /break-glass",
        "GET /health",
        "GET /people/new",
        // The returns' runs: years and counts, no child named (decision 0031).
        "GET /returns",
        // The form for checking another system's census file: nothing of a child on it.
        "GET /returns/check-file",
        // A run's stage and counts while it runs: no child named (decision 0040).
        "GET /returns/runs/:id/progress",
        "GET /sign-in",
        "GET /sign-in/oidc",
      ].sort(),
    );
  });

  it("refuses to register a route that skips addRoute", async () => {
    // Built but not started, as every module's routes are when they register.
    const other = await buildApp({
      database: await freshDatabase(),
      config: { ...loadConfig({}), cookieSecret: "test-cookie-secret-test-cookie-secret" },
    });
    expect(() => other.get("/undeclared", () => "oops")).toThrow(
      /must be registered with addRoute/,
    );
    await other.close();
  });
});

describe("the route kernel cannot be bypassed", () => {
  // Not yet started, as every module's routes are when they register.
  const config = { ...loadConfig({}), cookieSecret: "test-cookie-secret-test-cookie-secret" };
  const unstarted = () => buildApp({ database, config });

  it("refuses a route registered directly with a hand-written permission and audit config", async () => {
    const other = await unstarted();
    expect(() =>
      other.route({
        method: "GET",
        url: "/people/:id/forged",
        config: { permission: "person.view", audit: "person.view" },
        handler: () => "a child's record, with no session, permission, CSRF or audit",
      }),
    ).toThrow(/must be registered with addRoute/);
    // Nothing was registered: with no session the URL is simply not found.
    const response = await other.inject({ method: "GET", url: "/people/x/forged" });
    expect(response.statusCode).toBe(404);
    await other.close();
  });

  it("refuses a personal-data route open to every signed-in user (the analyst included)", async () => {
    const other = await unstarted();
    const services = { database, config, clock: () => new Date() };
    expect(() => {
      addRoute(other, services, {
        method: "GET",
        url: "/people/:id/summary",
        permission: "signed_in",
        audit: "person.view",
        personParam: "id",
        handler: () => Promise.resolve({ json: { secret: true } }),
      });
    }).toThrow(/may not be open to every signed-in user/);
    await other.close();
  });

  it("opens only the home page and sign-out to every signed-in user", () => {
    const open = app.routeTable
      .filter((r) => r.permission === "signed_in" && r.method !== "HEAD")
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(open).toEqual([...signedInOnlyRoutes].sort());
    expect(signedInOnlyRoutes).toEqual(["GET /", "POST /sign-out"]);
  });
});

describe("the health check", () => {
  it("answers 200 with status ok once the database is ready", async () => {
    const response = await app.inject({ method: "GET", url: "/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });
});
