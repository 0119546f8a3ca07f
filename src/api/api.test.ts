/**
 * The JSON API as a police system uses it, against a real authorisation server (oidc-provider,
 * client credentials, JWT access tokens) and Trellis' own token endpoint: it reports a child
 * missing and found, and the social worker sees it in the chronology and My work. And who must
 * not: a child not shared with the police, a revoked client, an expired token, a call beyond
 * the client's permissions, bad input (nothing saved), a replayed create.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { Validator } from "@seriousme/openapi-schema-validator";
import { buildApp } from "../app.ts";
import { loadActor } from "../access/actor.ts";
import { loadConfig } from "../platform/config.ts";
import type { Database } from "../platform/database.ts";
import { freshDatabase } from "../../test/support/database.ts";
import { signIn, TestClock } from "../../test/support/http.ts";
import {
  startAuthorisationServer,
  type AuthorisationServer,
} from "../../test/support/oauth-server.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import { registerApiClient, revokeApiClient, type IssuedSecret } from "./clients.ts";
import { apiDeclarations } from "./kernel.ts";

const EXTERNAL = {
  clientId: "police-case-system",
  clientSecret: "a-long-secret-at-the-council-server",
};

let database: Database;
let world: World;
let app: FastifyInstance;
let clock: TestClock;
let server: AuthorisationServer;
let police: IssuedSecret;
let policeReadOnly: IssuedSecret;

async function register(name: string, permissions: string[], external = "") {
  const admin = await loadActor(database.db, world.users.admin.id);
  if (!admin) throw new Error("no admin");
  return database.db.transaction().execute((tx) =>
    registerApiClient(
      tx,
      admin,
      {
        name,
        organisationId: world.orgs.police,
        permissions: permissions as never,
        externalClientId: external,
        rateLimitPerMinute: 1000,
      },
      clock.now(),
    ),
  );
}

async function trellisToken(client: IssuedSecret): Promise<string> {
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
  return response.json<{ access_token: string }>().access_token;
}

function call(
  method: "GET" | "POST",
  url: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

async function auditRows(action: string) {
  return database.db
    .selectFrom("audit_log")
    .select(["actor_user_id", "outcome", "summary", "person_ids"])
    .where("action", "=", action)
    .orderBy("seq", "desc")
    .execute();
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  clock = new TestClock(new Date());
  server = await startAuthorisationServer([EXTERNAL], "trellis-api");
  app = await buildApp({
    database,
    config: {
      ...loadConfig({}),
      cookieSecret: "test-cookie-secret-test-cookie-secret",
      apiTokens: {
        issuer: server.issuer,
        jwksUrl: `${server.issuer}/jwks`,
        audience: "trellis-api",
      },
    },
    clock: clock.now,
  });
  await app.ready();
  police = await register(
    "Police case system",
    ["person.view", "journey.view", "missing.report", "referral.make", "case_note.write"],
    EXTERNAL.clientId,
  );
  policeReadOnly = await register("Police read-only system", ["person.view"]);
}, 60_000);

afterAll(async () => {
  await app.close();
  await server.close();
});

describe("a police system, end to end", () => {
  it("reports a child missing and found with a token from the council's authorisation server, and the social worker sees it", async () => {
    const token = await server.token(EXTERNAL.clientId, EXTERNAL.clientSecret);
    const startedAt = new Date(clock.now().getTime() - 6 * 3600_000).toISOString();
    const reported = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/missing-episodes`,
      token,
      { kind: "M", startedAt },
    );
    expect(reported.statusCode).toBe(201);
    const episodeId = reported.json<{ id: string }>().id;
    const endedAt = new Date(clock.now().getTime() - 3600_000).toISOString();
    const found = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/missing-episodes/${episodeId}/found`,
      token,
      { endedAt, whereFound: "Bus station" },
    );
    expect(found.statusCode).toBe(200);

    // Every call is audited with the client's service account as the actor, the client named.
    const [row] = await auditRows("missing.record");
    const serviceUser = await database.db
      .selectFrom("api_client")
      .select("service_user_id")
      .where("client_id", "=", police.clientId)
      .executeTakeFirstOrThrow();
    expect(row?.actor_user_id).toBe(serviceUser.service_user_id);
    expect(row?.summary).toMatchObject({ apiClient: police.clientId });
    expect(row?.person_ids).toEqual([world.people.childA1]);

    const worker = await signIn(app, world.users.swA.email);
    const chronology = await worker.get(`/people/${world.people.childA1}/chronology`);
    expect(chronology.body).toContain("Went missing at");
    expect(chronology.body).toContain("Police case system");
    const work = await worker.get("/my-work");
    expect(work.body).toContain("Return home interview");

    const page = await call(
      "GET",
      `/api/v1/people/${world.people.childA1}/chronology?type=missing&limit=1`,
      token,
    );
    expect(page.statusCode).toBe(200);
    const first = page.json<{ entries: { kind: string }[]; next: string | null }>();
    expect(first.entries.map((e) => e.kind)).toEqual(["missing_ended"]);
    expect(first.next).not.toBeNull();
    const second = await call(
      "GET",
      `/api/v1/people/${world.people.childA1}/chronology?type=missing&limit=1&cursor=${first.next ?? ""}`,
      token,
    );
    expect(second.json<{ entries: { kind: string }[] }>().entries.map((e) => e.kind)).toEqual([
      "missing_started",
    ]);
  });

  it("gets its own short-lived token at Trellis' token endpoint, and reads a shared child's record", async () => {
    const token = await trellisToken(police);
    const record = await call("GET", `/api/v1/people/${world.people.childA1}`, token);
    expect(record.statusCode).toBe(200);
    expect(record.json()).toMatchObject({ id: world.people.childA1 });
    const wrong = await app.inject({
      method: "POST",
      url: "/api/oauth/token",
      payload: {
        grant_type: "client_credentials",
        client_id: police.clientId,
        client_secret: "wrong",
      },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it("makes a referral about a child not yet known and reads back its status, and a replay creates nothing", async () => {
    const token = await trellisToken(police);
    const referral = {
      child: { givenName: "Robin", familyName: "Unknown-Child" },
      reasons: "Found alone at the bus station at 2am.",
      referrer: { role: "Police constable", phone: "01632 960 001" },
      familyAware: "not_told",
      notToldReason: "Parents not yet traced.",
    };
    const headers = { "idempotency-key": "referral-1" };
    const made = await call("POST", "/api/v1/referrals", token, referral, headers);
    expect(made.statusCode).toBe(201);
    const again = await call("POST", "/api/v1/referrals", token, referral, headers);
    expect(again.json()).toEqual(made.json());
    const count = await database.db
      .selectFrom("partner_referral")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("child_family_name", "=", "Unknown-Child")
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const id = made.json<{ id: string }>().id;
    const back = await call("GET", `/api/v1/referrals/${id}`, token);
    expect(back.json()).toMatchObject({ status: "to_identify", decision: null });
    // Another client of the same force did not make it, so cannot read it.
    const other = await call("GET", `/api/v1/referrals/${id}`, await trellisToken(policeReadOnly));
    expect(other.statusCode).toBe(403);
  });
});

describe("who must not", () => {
  it("a child not shared with the police is not found, and the refusal is audited", async () => {
    const token = await trellisToken(police);
    const response = await call("GET", `/api/v1/people/${world.people.childA2}`, token);
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    const missing = await call(
      "POST",
      `/api/v1/people/${world.people.childA2}/missing-episodes`,
      token,
      { kind: "M", startedAt: clock.now().toISOString() },
    );
    expect(missing.statusCode).toBe(404);
    const [row] = await auditRows("missing.record");
    expect(row).toMatchObject({ outcome: "denied", person_ids: [world.people.childA2] });
    const saved = await database.db
      .selectFrom("missing_episode")
      .select("id")
      .where("person_id", "=", world.people.childA2)
      .execute();
    expect(saved).toEqual([]);
  });

  it("a call beyond the client's permissions is 403", async () => {
    const token = await trellisToken(policeReadOnly);
    const response = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/case-notes`,
      token,
      { occurredOn: "2026-01-05", note: "x" },
    );
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ status: 403, type: "/api/docs#problem-forbidden" });
  });

  it("an expired token is 401", async () => {
    const token = await trellisToken(policeReadOnly);
    clock.advance(301_000);
    const response = await call("GET", `/api/v1/people/${world.people.childA1}`, token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({
      detail: expect.stringContaining("expired") as unknown,
    });
  });

  it("bad input is 400 naming each field, and nothing is saved", async () => {
    const token = await trellisToken(police);
    const response = await call(
      "POST",
      `/api/v1/people/${world.people.childA1}/case-notes`,
      token,
      {
        occurredOn: "2026-02-30",
        note: "x".repeat(20_001),
        colour: "blue",
      },
    );
    expect(response.statusCode).toBe(400);
    const fields = response
      .json<{ errors: { field: string }[] }>()
      .errors.map((e) => e.field)
      .sort();
    expect(fields).toEqual(["/body/colour", "/body/note", "/body/occurredOn"]);
    const tooBig = await call("POST", "/api/v1/referrals", token, { reasons: "x".repeat(70_000) });
    expect(tooBig.statusCode).toBe(413);
    const notes = await database.db
      .selectFrom("case_note")
      .select("id")
      .where("person_id", "=", world.people.childA1)
      .execute();
    expect(notes).toEqual([]);
  });

  it("a revoked client's tokens, from either server, are refused at once", async () => {
    const own = await trellisToken(police);
    const external = await server.token(EXTERNAL.clientId, EXTERNAL.clientSecret);
    const admin = await loadActor(database.db, world.users.admin.id);
    const apiClient = await database.db
      .selectFrom("api_client")
      .select("id")
      .where("client_id", "=", police.clientId)
      .executeTakeFirstOrThrow();
    if (!admin) throw new Error("no admin");
    await database.db
      .transaction()
      .execute((tx) => revokeApiClient(tx, admin, apiClient.id, clock.now()));
    for (const token of [own, external]) {
      const response = await call("GET", `/api/v1/people/${world.people.childA1}`, token);
      expect(response.statusCode).toBe(401);
    }
    const [row] = await auditRows("person.view");
    expect(row).toMatchObject({ outcome: "denied", actor_user_id: null });
  });
});

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and every /api/v1 route has a contract", async () => {
    const response = await app.inject({ method: "GET", url: "/api/openapi.json" });
    const document = response.json<{ openapi: string; paths: Record<string, object> }>();
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
    const v1 = app.routeTable.filter((r) => r.url.startsWith("/api/v1/") && r.method !== "HEAD");
    expect(v1.length).toBeGreaterThanOrEqual(7);
    const declared = apiDeclarations(app);
    for (const route of v1) {
      const declaration = declared.find((d) => d.method === route.method && d.url === route.url);
      expect(declaration?.contract, `${route.method} ${route.url}`).toBeDefined();
      const path = route.url.replace(/:([A-Za-z]+)/g, "{$1}");
      expect(document.paths[path], path).toHaveProperty(route.method.toLowerCase());
    }
    const docs = await app.inject({ method: "GET", url: "/api/docs" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("/api/v1/people/{personId}/missing-episodes");
  });
});

describe("the administrator's API clients page", () => {
  it("registers a client and shows its secret once; refuses permissions beyond the organisation; hidden from others", async () => {
    const admin = await signIn(app, world.users.admin.email);
    const page = await admin.get("/admin/api-clients");
    expect(page.statusCode).toBe(200);
    const beyond = await admin.post("/admin/api-clients", {
      name: "Police decisions",
      organisationId: world.orgs.police,
      permissions: ["journey.decide"],
      externalClientId: "",
      rateLimitPerMinute: "60",
    });
    expect(beyond.statusCode).toBe(400);
    const made = await admin.post("/admin/api-clients", {
      name: "School MIS",
      organisationId: world.orgs.school,
      permissions: ["referral.make"],
      externalClientId: "",
      rateLimitPerMinute: "60",
    });
    expect(made.statusCode).toBe(200);
    expect(made.body).toContain("It will not be shown again");
    const stored = await database.db
      .selectFrom("api_client")
      .select(["secret_hash", "permissions"])
      .where("name", "=", "School MIS")
      .executeTakeFirstOrThrow();
    expect(stored.secret_hash).toMatch(/^\$argon2id\$/);
    expect(stored.permissions).toEqual(["referral.make"]);
    const saved = await database.db
      .selectFrom("api_client")
      .select("id")
      .where("name", "=", "Police decisions")
      .execute();
    expect(saved).toEqual([]);
    const worker = await signIn(app, world.users.swA.email);
    expect((await worker.get("/admin/api-clients")).statusCode).toBe(404);
  });
});
