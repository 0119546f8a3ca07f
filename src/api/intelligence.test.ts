/**
 * Intelligence and exploitation screening through the API (decision 0043): a police system
 * submits a graded association and an incident and reads them back, and reads a shared child's
 * screenings. And who must not: a client without the permission, another agency's client, a
 * child not shared with the police, bad input (nothing saved, the refusal audited), a replay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.ts";
import { loadActor } from "../access/actor.ts";
import { recordScreening } from "../modules/exploitation/screenings.ts";
import { findVisiblePerson } from "../modules/people/queries.ts";
import { loadConfig } from "../platform/config.ts";
import type { Database } from "../platform/database.ts";
import { freshDatabase } from "../../test/support/database.ts";
import { TestClock } from "../../test/support/http.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import { registerApiClient } from "./clients.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let clock: TestClock;
const tokens: Record<"police" | "policeReadOnly" | "health", string> = {
  police: "",
  policeReadOnly: "",
  health: "",
};

async function register(organisationId: string, permissions: string[]): Promise<string> {
  const admin = await loadActor(database.db, world.users.admin.id);
  if (!admin) throw new Error("no admin");
  const client = await database.db.transaction().execute((tx) =>
    registerApiClient(
      tx,
      admin,
      {
        name: `Client ${String(Math.random())}`,
        organisationId,
        permissions: permissions as never,
        externalClientId: "",
        rateLimitPerMinute: 1000,
      },
      clock.now(),
    ),
  );
  const response = await app.inject({
    method: "POST",
    url: "/api/oauth/token",
    payload: {
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    },
  });
  return response.json<{ access_token: string }>().access_token;
}

function call(
  method: "GET" | "POST",
  url: string,
  who: keyof typeof tokens,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${tokens[who]}`, ...headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

async function latestAudit(action: string) {
  return database.db
    .selectFrom("audit_log")
    .select(["outcome", "summary", "person_ids", "actor_user_id"])
    .where("action", "=", action)
    .orderBy("seq", "desc")
    .executeTakeFirst();
}

async function count(table: "association" | "incident" | "person_of_concern") {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const association = (overrides: Record<string, unknown> = {}) => ({
  with: {
    kind: "new_person",
    name: "Synthetic Adult One",
    ageBand: "18_24",
    riskLevel: "high",
  },
  firstSeenOn: "2026-02-01",
  lastSeenOn: "2026-02-20",
  sourceGrading: "2",
  informationGrading: "B",
  corroborated: false,
  shareWithPartners: true,
  notes: "Seen collecting the child from school in a car.",
  ...overrides,
});

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  clock = new TestClock(new Date("2026-03-02T12:00:00Z"));
  app = await buildApp({
    database,
    config: { ...loadConfig({}), cookieSecret: "test-cookie-secret-test-cookie-secret" },
    clock: clock.now,
  });
  await app.ready();
  tokens.police = await register(world.orgs.police, [
    "person.view",
    "exploitation.view",
    "intelligence.record",
  ]);
  tokens.policeReadOnly = await register(world.orgs.police, ["person.view"]);
  tokens.health = await register(world.orgs.health, ["exploitation.view", "intelligence.record"]);
}, 60_000);

afterAll(async () => {
  await app.close();
  await database.close();
});

describe("a police system submits intelligence", () => {
  it("submits a graded association with a new person of concern and reads it back", async () => {
    const child = world.people.childA1;
    const made = await call(
      "POST",
      `/api/v1/people/${child}/associations`,
      "police",
      association(),
    );
    expect(made.statusCode).toBe(201);
    const { id } = made.json<{ id: string }>();
    const back = await call("GET", `/api/v1/associations/${id}`, "police");
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({
      id,
      childId: child,
      with: { kind: "person" },
      firstSeenOn: "2026-02-01",
      lastSeenOn: "2026-02-20",
      sourceGrading: "2",
      informationGrading: "B",
      corroborated: false,
    });
    // Its source is the force itself, as the page records a partner's own intelligence.
    const row = await database.db
      .selectFrom("association")
      .select("source_organisation_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.source_organisation_id).toBe(world.orgs.police);
    expect(await latestAudit("intelligence.view")).toMatchObject({
      outcome: "allowed",
      person_ids: [child],
    });
  });

  it("submits an incident naming a shared child and reads it back", async () => {
    const made = await call("POST", "/api/v1/incidents", "police", {
      kind: "knife_crime",
      occurredOn: "2026-02-28",
      description: "Knife found near the child.",
      shareWithPartners: false,
      childIds: [world.people.childA1],
    });
    expect(made.statusCode).toBe(201);
    const { id } = made.json<{ id: string }>();
    const back = await call("GET", `/api/v1/incidents/${id}`, "police");
    expect(back.json()).toMatchObject({
      id,
      kind: "knife_crime",
      occurredOn: "2026-02-28",
      childIds: [world.people.childA1],
      personOfConcernIds: [],
      locationId: null,
    });
    expect(await latestAudit("incident.record")).toMatchObject({
      outcome: "allowed",
      person_ids: [world.people.childA1],
    });
  });

  it("replaying a create with the same Idempotency-Key returns the first result and saves nothing new", async () => {
    const headers = { "idempotency-key": "association-replay-1" };
    const url = `/api/v1/people/${world.people.childA1}/associations`;
    const before = await count("association");
    const first = await call("POST", url, "police", association(), headers);
    const again = await call("POST", url, "police", association(), headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await count("association")).toBe(before + 1);
    const incident = {
      kind: "sighting",
      occurredOn: "2026-03-01",
      shareWithPartners: true,
      childIds: [world.people.childA1],
    };
    const incidentHeaders = { "idempotency-key": "incident-replay-1" };
    const beforeIncidents = await count("incident");
    const one = await call("POST", "/api/v1/incidents", "police", incident, incidentHeaders);
    const two = await call("POST", "/api/v1/incidents", "police", incident, incidentHeaders);
    expect(two.json()).toEqual(one.json());
    expect(await count("incident")).toBe(beforeIncidents + 1);
  });
});

describe("who must not submit or read intelligence", () => {
  it("a client without intelligence.record is 403, and nothing is saved", async () => {
    const before = await count("association");
    const response = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/associations`,
      "policeReadOnly",
      association(),
    );
    expect(response.statusCode).toBe(403);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(await count("association")).toBe(before);
    expect(await latestAudit("intelligence.record")).toMatchObject({ outcome: "denied" });
    const incident = await call("POST", "/api/v1/incidents", "policeReadOnly", {});
    expect(incident.statusCode).toBe(403);
  });

  it("another agency's client cannot record on the force's child nor read the force's submissions", async () => {
    const made = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/associations`,
      "police",
      association(),
    );
    const { id } = made.json<{ id: string }>();
    const before = await count("association");
    const health = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/associations`,
      "health",
      association(),
    );
    expect(health.statusCode).toBe(404);
    expect(await count("association")).toBe(before);
    expect((await call("GET", `/api/v1/associations/${id}`, "health")).statusCode).toBe(404);
  });

  it("a child not shared with the police is 404 for an association, refused by name for an incident, audited, nothing saved", async () => {
    const before = await count("association");
    const response = await call(
      "POST",
      `/api/v1/people/${world.people.childA2}/associations`,
      "police",
      association(),
    );
    expect(response.statusCode).toBe(404);
    expect(await count("association")).toBe(before);
    expect(await latestAudit("intelligence.record")).toMatchObject({
      outcome: "denied",
      person_ids: [world.people.childA2],
    });
    // An incident naming a child out of sight is refused naming the field: it does not say
    // whether the child exists.
    const incidents = await count("incident");
    const incident = await call("POST", "/api/v1/incidents", "police", {
      kind: "asb",
      occurredOn: "2026-02-28",
      shareWithPartners: true,
      childIds: [world.people.childA2],
    });
    expect(incident.statusCode).toBe(400);
    expect(incident.json<{ errors: { field: string }[] }>().errors).toEqual([
      { field: "/body/childIds", message: "Select the children involved from the list" },
    ]);
    expect(await count("incident")).toBe(incidents);
    // Nor may it name an existing person of concern it cannot see, by a made-up id.
    const unseen = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/associations`,
      "police",
      association({ with: { kind: "person", id: "00000000-0000-4000-8000-000000000000" } }),
    );
    expect(unseen.statusCode).toBe(400);
    expect(unseen.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe("/body/with/id");
  });

  it("bad input is 400 naming each field, nothing is saved, and the refusal is audited", async () => {
    const before = await count("association");
    const people = await count("person_of_concern");
    const response = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/associations`,
      "police",
      association({
        with: { kind: "new_person", name: "", ageBand: "ancient", riskLevel: "high" },
        firstSeenOn: "2026-02-30",
        sourceGrading: "9",
        corroborated: "yes",
        notes: "x".repeat(5001),
        colour: "blue",
      }),
    );
    expect(response.statusCode).toBe(400);
    const fields = response
      .json<{ errors: { field: string }[] }>()
      .errors.map((e) => e.field)
      .sort();
    expect(fields).toEqual([
      "/body/colour",
      "/body/corroborated",
      "/body/firstSeenOn",
      "/body/notes",
      "/body/sourceGrading",
      "/body/with/ageBand",
      "/body/with/name",
    ]);
    expect(await count("association")).toBe(before);
    expect(await count("person_of_concern")).toBe(people);
    expect(await latestAudit("intelligence.record")).toMatchObject({
      outcome: "failed",
      summary: { reason: "invalid_input" },
    });
    const future = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/associations`,
      "police",
      association({ firstSeenOn: "2026-03-03", lastSeenOn: null }),
    );
    expect(future.statusCode).toBe(400);
    expect(future.json<{ errors: { field: string }[] }>().errors).toEqual([
      { field: "/body/firstSeenOn", message: "cannot be in the future" },
    ]);
    expect(await count("association")).toBe(before);
    const incident = await call("POST", "/api/v1/incidents", "police", {
      kind: "burglary",
      occurredOn: "yesterday",
      shareWithPartners: true,
    });
    expect(
      new Set(incident.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)),
    ).toEqual(new Set(["/body/childIds", "/body/kind", "/body/occurredOn"]));
  });
});

describe("a child's exploitation screenings", () => {
  beforeAll(async () => {
    const sw = await loadActor(database.db, world.users.swA.id);
    if (!sw) throw new Error("no social worker");
    await database.db.transaction().execute(async (tx) => {
      const child = await findVisiblePerson(tx, sw, world.people.childA1, clock.now());
      if (!child) throw new Error("no child");
      for (const [screenedOn, indicators] of [
        ["2026-01-10", ["mood"]],
        ["2026-02-10", ["weapons", "mood"]],
      ] as const) {
        await recordScreening(tx, sw, child, {
          screenedOn,
          indicators: [...indicators],
          harmTypes: ["cce"],
          notes: "Synthetic screening.",
          judgedLevel: "computed",
          judgementReason: "",
        });
      }
    });
  });

  it("reads a shared child's screenings newest first, a page at a time", async () => {
    const url = `/api/v1/people/${world.people.childA1}/exploitation-screenings`;
    const first = await call("GET", `${url}?limit=1`, "police");
    expect(first.statusCode).toBe(200);
    const page = first.json<{ screenings: { screenedOn: string }[]; next: string | null }>();
    expect(page.screenings).toHaveLength(1);
    expect(page.screenings[0]).toMatchObject({
      screenedOn: "2026-02-10",
      computedLevel: "medium",
      harmTypes: [{ code: "cce", label: "Child criminal exploitation" }],
      agency: expect.any(String) as unknown,
    });
    expect(page.next).not.toBeNull();
    const second = await call("GET", `${url}?limit=1&cursor=${page.next ?? ""}`, "police");
    const rest = second.json<{ screenings: { screenedOn: string }[]; next: string | null }>();
    expect(rest.screenings.map((s) => s.screenedOn)).toEqual(["2026-01-10"]);
    expect(rest.next).toBeNull();
    expect(await latestAudit("screening.view")).toMatchObject({
      outcome: "allowed",
      person_ids: [world.people.childA1],
    });
  });

  it("refuses a client without exploitation.view (403), a child it may not see (404), another agency (404), and a bad query (400)", async () => {
    const url = (child: string) => `/api/v1/people/${child}/exploitation-screenings`;
    expect((await call("GET", url(world.people.childA1), "policeReadOnly")).statusCode).toBe(403);
    const unseen = await call("GET", url(world.people.childA2), "police");
    expect(unseen.statusCode).toBe(404);
    expect(await latestAudit("screening.view")).toMatchObject({
      outcome: "denied",
      person_ids: [world.people.childA2],
    });
    expect((await call("GET", url(world.people.childA1), "health")).statusCode).toBe(404);
    const bad = await call("GET", `${url(world.people.childA1)}?limit=0&cursor=!!`, "police");
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: { field: string }[] }>()
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(["/query/cursor", "/query/limit"]);
  });
});
