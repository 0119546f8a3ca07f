/**
 * The rest of the partner API as a police system uses it: case notes (add, read), visits,
 * plans and its work tray, each answering as its OpenAPI schema says. And who must not: a
 * client without the permission (403), another organisation's client and a child not shared
 * with the force (404, audited), bad input (400 naming each field, nothing saved, audited).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { loadActor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { insertCinPlan, insertCpPlan, insertVisit } from "../../modules/visits/test-plans.ts";
import { registerApiClient, type IssuedSecret } from "../clients.ts";
import { Problem } from "../problem.ts";
import { Created } from "../schemas.ts";
import { CaseNotesPage } from "./case-notes.ts";
import { Plans } from "./plans.ts";
import { VisitsPage } from "./visits.ts";
import { WorkTray } from "./work-tray.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let police: IssuedSecret;
let policeReadOnly: IssuedSecret;
let health: IssuedSecret;
let validate: (path: string, method: string, status: number, body: unknown) => string[];

const READS = ["case-notes", "visits", "plans"] as const;

async function register(name: string, organisationId: string, permissions: string[]) {
  const admin = await loadActor(database.db, world.users.admin.id);
  if (!admin) throw new Error("no admin");
  return database.db.transaction().execute((tx) =>
    registerApiClient(
      tx,
      admin,
      {
        name,
        organisationId,
        permissions: permissions as never,
        externalClientId: "",
        rateLimitPerMinute: 1000,
      },
      new Date("2026-03-02T10:00:00Z"),
    ),
  );
}

const tokens = new Map<string, string>();
async function tokenOf(client: IssuedSecret): Promise<string> {
  const known = tokens.get(client.clientId);
  if (known) return known;
  const response = await app.inject({
    method: "POST",
    url: "/api/oauth/token",
    payload: {
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    },
  });
  expect(response.statusCode).toBe(200);
  const token = response.json<{ access_token: string }>().access_token;
  tokens.set(client.clientId, token);
  return token;
}

async function call(
  client: IssuedSecret,
  method: "GET" | "POST",
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${await tokenOf(client)}`, ...headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

/**
 * The answer, after checking it against the OpenAPI document's schema for the route, typed
 * by the route's own contract.
 */
function checked<S extends z.ZodType>(
  route: string,
  method: string,
  response: { statusCode: number; json: () => unknown },
  contract: S,
): z.infer<S> {
  const body = response.json();
  expect(validate(route, method, response.statusCode, body)).toEqual([]);
  return contract.parse(body);
}

async function auditRows(action: string) {
  return database.db
    .selectFrom("audit_log")
    .select(["outcome", "summary", "person_ids"])
    .where("action", "=", action)
    .orderBy("seq", "desc")
    .execute();
}

const childUrl = (personId: string, what: string) => `/api/v1/people/${personId}/${what}`;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  police = await register("Police case system", world.orgs.police, [
    "person.view",
    "journey.view",
    "case_note.write",
  ]);
  policeReadOnly = await register("Police read-only system", world.orgs.police, ["person.view"]);
  health = await register("Health trust system", world.orgs.health, [
    "person.view",
    "journey.view",
    "case_note.write",
  ]);
  const who = { laId: world.laId, personId: world.people.childA1, userId: world.users.swA.id };
  await insertCinPlan(database.db, who, "2025-06-02", "2026-01-05");
  await insertCpPlan(database.db, who, "2026-01-05");
  for (const [on, seen] of [
    ["2026-01-09", true],
    ["2026-01-20", true],
    ["2026-01-27", false],
  ] as const) {
    await insertVisit(database.db, who, on, seen);
  }
  await database.db
    .insertInto("pathway_plan")
    .values({
      la_id: world.laId,
      person_id: world.people.childA1,
      agreed_on: "2026-02-02",
      recorded_by: world.users.swA.id,
    })
    .execute();
  const document = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json<{
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    components: object;
  }>();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "trellis", components: document.components });
  validate = (path, method, status, body) => {
    const response = document.paths[path]?.[method]?.responses[String(status)] as
      { content: Record<string, { schema: { $ref?: string } }> } | undefined;
    const content =
      response?.content["application/json"] ?? response?.content["application/problem+json"];
    if (!content) return [`no ${String(status)} response documented for ${method} ${path}`];
    const ref = content.schema.$ref;
    const check = ref ? ajv.getSchema(`trellis${ref}`) : ajv.compile(content.schema);
    if (!check) return [`no schema ${ref ?? ""}`];
    return check(body)
      ? []
      : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
  };
}, 60_000);

afterAll(async () => {
  await app.close();
});

describe("case notes", () => {
  const url = () => childUrl(world.people.childA1, "case-notes");
  const route = "/api/v1/people/{personId}/case-notes";

  it("adds a note once whatever the retries, and the social worker reads it on the notes page", async () => {
    const note = { occurredOn: "2026-02-27", note: "Officer visited the home; no concerns." };
    const headers = { "idempotency-key": "police-note-1" };
    const made = await call(police, "POST", url(), note, headers);
    expect(made.statusCode).toBe(201);
    const { id } = checked(route, "post", made, Created);
    const again = await call(police, "POST", url(), note, headers);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual({ id });
    const saved = await database.db
      .selectFrom("case_note")
      .select("id")
      .where("person_id", "=", world.people.childA1)
      .execute();
    expect(saved).toEqual([{ id }]);
    const [row] = await auditRows("case_note.write");
    expect(row).toMatchObject({ outcome: "allowed", person_ids: [world.people.childA1] });
    expect(row?.summary).toMatchObject({
      apiClient: police.clientId,
      repeatOfSavedSubmission: true,
    });
    const worker = await signIn(app, world.users.swA.email);
    const page = await worker.get(`/people/${world.people.childA1}/notes`);
    expect(page.body).toContain("Officer visited the home; no concerns.");
    expect(page.body).toContain("Testshire Police");
  });

  it("lists the notes a page at a time, newest first, filtered by agency and date", async () => {
    await call(police, "POST", url(), { occurredOn: "2026-02-28", note: "Second note." });
    await call(police, "POST", url(), { occurredOn: "2026-02-10", note: "Earlier note." });
    const first = await call(police, "GET", `${url()}?limit=2`);
    expect(first.statusCode).toBe(200);
    const one = checked(route, "get", first, CaseNotesPage);
    expect(one.notes.map((n) => n.note)).toEqual([
      "Second note.",
      "Officer visited the home; no concerns.",
    ]);
    const second = checked(
      route,
      "get",
      await call(police, "GET", `${url()}?limit=2&cursor=${one.next ?? ""}`),
      CaseNotesPage,
    );
    expect(second).toMatchObject({ notes: [{ note: "Earlier note." }], next: null });
    const ranged = await call(police, "GET", `${url()}?from=2026-02-01&to=2026-02-27`);
    expect(ranged.json<{ notes: { note: string }[] }>().notes.map((n) => n.note)).toEqual([
      "Officer visited the home; no concerns.",
      "Earlier note.",
    ]);
    const other = await call(police, "GET", `${url()}?agency=${world.orgs.school}`);
    expect(other.json()).toEqual({ notes: [], next: null });
    const [row] = await auditRows("case_note.view");
    expect(row).toMatchObject({ outcome: "allowed", person_ids: [world.people.childA1] });
  });

  it("bad input is 400 naming each field; nothing is saved and the refusal is audited", async () => {
    const before = await database.db.selectFrom("case_note").select("id").execute();
    const response = await call(police, "POST", url(), {
      occurredOn: "2026-02-30",
      note: "   ",
      colour: "blue",
    });
    expect(response.statusCode).toBe(400);
    checked(route, "post", response, Problem);
    const fields = response
      .json<{ errors: { field: string }[] }>()
      .errors.map((e) => e.field)
      .sort();
    expect(fields).toEqual(["/body/colour", "/body/note", "/body/occurredOn"]);
    const future = await call(police, "POST", url(), { occurredOn: "2026-03-09", note: "x" });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ errors: [{ field: "/body/occurredOn" }] });
    const after = await database.db.selectFrom("case_note").select("id").execute();
    expect(after).toEqual(before);
    const [row] = await auditRows("case_note.write");
    expect(row).toMatchObject({ outcome: "failed", person_ids: [world.people.childA1] });
    const list = await call(police, "GET", `${url()}?limit=0&cursor=nope!&colour=x`);
    expect(list.statusCode).toBe(400);
    expect(
      list
        .json<{ errors: { field: string }[] }>()
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(["/query/colour", "/query/cursor", "/query/limit"]);
    const forged = await call(police, "GET", `${url()}?cursor=${"x".repeat(20)}`);
    expect(forged.json()).toMatchObject({ errors: [{ field: "/query/cursor" }] });
  });
});

describe("visits", () => {
  const route = "/api/v1/people/{personId}/visits";
  const url = (query = "") => `${childUrl(world.people.childA1, "visits")}${query}`;

  it("lists the child's visits a page at a time with when the next is due", async () => {
    const first = checked(route, "get", await call(police, "GET", url("?limit=2")), VisitsPage);
    expect(first.visits.map((v) => v.visitedOn)).toEqual(["2026-01-27", "2026-01-20"]);
    expect(first.nextDue).toMatchObject({ planType: "cp", overdue: true });
    const second = checked(
      route,
      "get",
      await call(police, "GET", url(`?limit=2&cursor=${first.next ?? ""}`)),
      VisitsPage,
    );
    expect(second.visits.map((v) => v.visitedOn)).toEqual(["2026-01-09"]);
    expect(second.next).toBeNull();
    const unseen = checked(route, "get", await call(police, "GET", url("?seen=false")), VisitsPage);
    expect(unseen.visits.map((v) => v.visitedOn)).toEqual(["2026-01-27"]);
    const [row] = await auditRows("visit.view");
    expect(row).toMatchObject({ outcome: "allowed", person_ids: [world.people.childA1] });
  });

  it("bad filters are 400 naming each", async () => {
    const response = await call(police, "GET", url("?seen=maybe&from=2026-13-01&limit=500"));
    expect(response.statusCode).toBe(400);
    const fields = response
      .json<{ errors: { field: string }[] }>()
      .errors.map((e) => e.field)
      .sort();
    expect(fields).toEqual(["/query/from", "/query/limit", "/query/seen"]);
    const [row] = await auditRows("visit.view");
    expect(row).toMatchObject({
      outcome: "failed",
      person_ids: [world.people.childA1],
      summary: { reason: "invalid_input", fields: ["/query/from", "/query/seen", "/query/limit"] },
    });
  });
});

describe("plans", () => {
  it("answers the child's current and past plans", async () => {
    const response = await call(police, "GET", childUrl(world.people.childA1, "plans"));
    expect(response.statusCode).toBe(200);
    const plans = checked("/api/v1/people/{personId}/plans", "get", response, Plans);
    expect(plans.childProtection).toMatchObject([
      { current: true, startDate: "2026-01-05", latestCategory: { label: "Neglect" } },
    ]);
    expect(plans.childInNeed).toMatchObject([{ current: false, endDate: "2026-01-05" }]);
    expect(plans.pathway).toMatchObject([{ agreedOn: "2026-02-02", current: true }]);
    const [row] = await auditRows("plan.view");
    expect(row).toMatchObject({ outcome: "allowed", person_ids: [world.people.childA1] });
    const malformed = await call(police, "GET", "/api/v1/people/not-an-id/plans");
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ errors: [{ field: "/params/personId" }] });
    // The schema check has teeth: a plan without its dates does not pass.
    const broken = { ...plans, childInNeed: [{ current: false }] };
    expect(validate("/api/v1/people/{personId}/plans", "get", 200, broken)).not.toEqual([]);
  });
});

describe("the work tray", () => {
  const route = "/api/v1/work-tray";
  type Tray = {
    items: { personId: string; what: string; overdue: boolean }[];
    next: string | null;
  };

  it("lists what is due on the records shared with the force, and only those", async () => {
    const tray = checked(route, "get", await call(police, "GET", route), WorkTray);
    expect(tray.items.length).toBeGreaterThan(0);
    expect(new Set(tray.items.map((i) => i.personId))).toEqual(new Set([world.people.childA1]));
    expect(tray.items.map((i) => i.what)).toContain("Statutory visit (child protection plan)");
    const [row] = await auditRows("worktray.view");
    expect(row).toMatchObject({ outcome: "allowed", person_ids: [world.people.childA1] });
    // A page at a time: the pages together are the whole tray, in order.
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: Tray = checked(
        route,
        "get",
        await call(police, "GET", `${route}?limit=1${cursor ? `&cursor=${cursor}` : ""}`),
        WorkTray,
      );
      seen.push(...page.items.map((i) => i.what));
      cursor = page.next;
    }
    expect(seen).toEqual(tray.items.map((i) => i.what));
    const overdue = await call(police, "GET", `${route}?overdue=true`);
    expect(overdue.json<Tray>().items.every((i) => i.overdue)).toBe(true);
  });

  it("another organisation's system sees nothing it is not shared", async () => {
    const tray = checked(route, "get", await call(health, "GET", route), WorkTray);
    expect(tray).toEqual({ items: [], next: null });
    const bad = await call(health, "GET", `${route}?overdue=yes`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ field: "/query/overdue" }] });
  });
});

describe("who must not", () => {
  it("a client without journey.view is refused every read, and audited", async () => {
    for (const what of READS) {
      const response = await call(policeReadOnly, "GET", childUrl(world.people.childA1, what));
      expect(response.statusCode, what).toBe(403);
      expect(response.headers["content-type"]).toContain("application/problem+json");
    }
    expect((await call(policeReadOnly, "GET", "/api/v1/work-tray")).statusCode).toBe(403);
    const add = await call(policeReadOnly, "POST", childUrl(world.people.childA1, "case-notes"), {
      occurredOn: "2026-02-27",
      note: "x",
    });
    expect(add.statusCode).toBe(403);
    const [row] = await auditRows("plan.view");
    expect(row).toMatchObject({ outcome: "denied", summary: { reason: "permission" } });
  });

  it("a child not shared with the client's organisation is not found, and nothing is saved", async () => {
    const cases = [
      [police, world.people.childA2],
      [health, world.people.childA1],
      [police, world.people.otherLaChild],
    ] as const;
    for (const [client, personId] of cases) {
      for (const what of READS) {
        const response = await call(client, "GET", childUrl(personId, what));
        expect(response.statusCode, `${what} ${personId}`).toBe(404);
      }
      const add = await call(client, "POST", childUrl(personId, "case-notes"), {
        occurredOn: "2026-02-27",
        note: "Should not be saved.",
      });
      expect(add.statusCode).toBe(404);
    }
    const [row] = await auditRows("visit.view");
    expect(row).toMatchObject({ outcome: "denied", person_ids: [world.people.otherLaChild] });
    const saved = await database.db
      .selectFrom("case_note")
      .select("id")
      .where("note", "=", "Should not be saved.")
      .execute();
    expect(saved).toEqual([]);
  });
});
