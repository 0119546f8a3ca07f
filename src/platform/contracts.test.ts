import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { buildApp } from "../app.ts";
import { loadConfig } from "./config.ts";
import { addFormRoute } from "./form-route.ts";
import { addRoute } from "./routes.ts";
import { dateInput, Id, text } from "./schemas.ts";
import { freshDatabase, latestAudit } from "../../test/support/database.ts";
import { signIn, TestClock, type Client } from "../../test/support/http.ts";
import { buildWorld, type World } from "../../test/support/world.ts";

let database: Awaited<ReturnType<typeof freshDatabase>>;
let world: World;
let app: FastifyInstance;
let sw: Client;
/** What the test form's save was given, to show that a refused form saves nothing. */
const saved: unknown[] = [];

const NoteForm = (now: Date) =>
  z.object({
    seenOn: dateInput("the date they were seen", {
      required: true,
      notAfter: now.toISOString().slice(0, 10),
    }),
    note: text("the note", { required: true, max: 20 }),
  });

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const clock = new TestClock();
  app = await buildApp({
    database,
    config: { ...loadConfig({}), cookieSecret: "test-cookie-secret-test-cookie-secret" },
    clock: clock.now,
  });
  const services = { database, config: loadConfig({}), clock: clock.now };
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/contract-check",
    permission: "person.view",
    audit: "person.view",
    personParam: "id",
    params: z.object({ id: Id }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
    response: z.object({ id: Id, limit: z.number() }),
    // The typed input: `limit` is a number here because the schema says so.
    handler: (_request, _reply, _ctx, { params, query }) =>
      Promise.resolve({ json: { id: params.id, limit: query.limit * 2, extra: "dropped" } }),
  });
  addFormRoute(app, services, {
    url: "/people/:id/contract-check",
    permission: "person.view",
    audit: "person.view",
    personParam: "id",
    params: z.object({ id: Id }),
    body: NoteForm,
    load: (_ctx, params) => Promise.resolve(params.id),
    page: (_ctx, id, values) => ({
      view: "error.njk",
      data: { title: "Note", message: `${id} ${String(values.note)}` },
    }),
    save: (_ctx, id, body) => {
      saved.push(body);
      return Promise.resolve({ redirect: `/people/${id}` });
    },
  });
  await app.ready();
  sw = await signIn(app, world.users.swA.email);
});
afterAll(() => app.close());

const json = { accept: "application/json" };

describe("a route's contract", () => {
  it("gives the handler the parsed, typed query and sends only the response's fields", async () => {
    const response = await sw.get(`/people/${world.people.childA1}/contract-check?limit=7`, json);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: world.people.childA1, limit: 14 });
  });

  it("answers a bad query on a JSON route with a problem naming the field, audited", async () => {
    const response = await sw.get(`/people/${world.people.childA1}/contract-check?limit=500`, json);
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const problem = response.json<{ status: number; errors: { field: string }[] }>();
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.field)).toEqual(["limit"]);
    const audit = await latestAudit(database);
    expect(audit.outcome).toBe("failed");
    expect(audit.summary).toMatchObject({ reason: "invalid_input", fields: ["limit"] });
  });

  it("treats a malformed id as not found, and audits the refusal", async () => {
    const response = await sw.get("/people/not-an-id/contract-check", json);
    expect(response.statusCode).toBe(404);
    const audit = await latestAudit(database);
    expect(audit.outcome).toBe("denied");
    expect(audit.summary).toMatchObject({ malformedId: true });
  });

  it("refuses the analyst, who lacks the permission, before the contract is read", async () => {
    const other = await signIn(app, world.users.analyst.email);
    const response = await other.get(
      `/people/${world.people.childA1}/contract-check?limit=500`,
      json,
    );
    expect(response.statusCode).toBe(404);
    expect((await latestAudit(database)).summary).toMatchObject({ reason: "permission" });
  });
});

describe("a form route", () => {
  const url = () => `/people/${world.people.childA1}/contract-check`;

  it("shows the form again with each field's error and the typed answer, saving nothing", async () => {
    saved.length = 0;
    const response = await sw.post(url(), {
      "seenOn-day": "31",
      "seenOn-month": "2",
      "seenOn-year": "2026",
      note: "kept answer",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("There is a problem");
    expect(response.body).toContain("The date they were seen must be a real date");
    expect(response.body).toContain('href="#seenOn-day"');
    expect(response.body).toContain("kept answer");
    expect(saved).toEqual([]);
    const audit = await latestAudit(database);
    expect(audit.outcome).toBe("failed");
    expect(audit.summary).toMatchObject({ reason: "invalid_input", fields: ["seenOn-day"] });
  });

  it("refuses a date after today by the request's clock, and an over-long note", async () => {
    const response = await sw.post(url(), {
      "seenOn-day": "3",
      "seenOn-month": "3",
      "seenOn-year": "2026",
      note: "x".repeat(21),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("must be today or in the past");
    expect(response.body).toContain("The note must be 20 characters or fewer");
  });

  it("saves the parsed values and redirects", async () => {
    saved.length = 0;
    const response = await sw.post(url(), {
      "seenOn-day": "2",
      "seenOn-month": "3",
      "seenOn-year": "2026",
      note: "  seen at home  ",
    });
    expect(response.statusCode).toBe(303);
    expect(saved).toEqual([{ seenOn: "2026-03-02", note: "seen at home" }]);
  });
});
