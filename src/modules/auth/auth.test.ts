import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { Client, signIn, testApp, TestClock } from "../../../test/support/http.ts";
import { buildWorld, PASSWORD, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { safeNext } from "./routes.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let clock: TestClock;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app, clock } = await testApp(database));
});

async function attempt(email: string, password: string) {
  const client = new Client(app);
  await client.get("/sign-in");
  return { client, response: await client.post("/sign-in", { email, password, next: "/" }) };
}

describe("password sign-in", () => {
  it("signs in with the right password and sets a Secure, HttpOnly, SameSite session cookie", async () => {
    const { response } = await attempt(world.users.swA.email, PASSWORD);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/");
    const cookie = response.cookies.find((c) => c.name === "trellis_session");
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    const audit = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      action: "auth.sign_in",
      outcome: "allowed",
      subject_id: world.users.swA.id,
    });
  });

  it("stores only a hash of the session token", async () => {
    const { response } = await attempt(world.users.swB.email, PASSWORD);
    const token = response.cookies.find((c) => c.name === "trellis_session")?.value ?? "";
    const stored = await database.db
      .selectFrom("user_session")
      .select("id")
      .where("id", "=", token)
      .execute();
    expect(token.length).toBeGreaterThan(20);
    expect(stored).toEqual([]);
  });

  it("refuses a wrong password with a GOV.UK error summary, and records the refusal", async () => {
    const { response } = await attempt(world.users.health.email, "not the password");
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain("There is a problem");
    expect(response.body).toContain("Enter a correct email address and password");
    expect(response.cookies.find((c) => c.name === "trellis_session")).toBeUndefined();
    const audit = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: "auth.sign_in", outcome: "denied" });
  });

  it("gives the same answer for an unknown email as for a wrong password", async () => {
    const { response } = await attempt("nobody@test.example", "whatever");
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain("Enter a correct email address and password");
  });

  it("names both fields when the form is empty", async () => {
    const { response } = await attempt("", "");
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Enter your email address");
    expect(response.body).toContain("Enter your password");
  });

  it("backs off after 3 failures and locks the account after 10", async () => {
    const email = world.users.police.email;
    for (let i = 0; i < 3; i += 1) {
      expect((await attempt(email, "wrong")).response.statusCode).toBe(401);
    }
    // The 4th attempt straight away is refused without checking the password, even a right one.
    const tooSoon = await attempt(email, PASSWORD);
    expect(tooSoon.response.statusCode).toBe(429);
    expect(tooSoon.response.body).toContain("Wait 1 seconds");
    for (let failures = 3; failures < 10; failures += 1) {
      clock.advance(61_000);
      expect((await attempt(email, "wrong")).response.statusCode).toBe(401);
    }
    clock.advance(61_000);
    const locked = await attempt(email, PASSWORD);
    expect(locked.response.statusCode).toBe(429);
    expect(locked.response.body).toContain("This account is locked");
    clock.advance(30 * 60_000);
    const afterLock = await attempt(email, PASSWORD);
    expect(afterLock.response.statusCode).toBe(303);
  });

  it("lets an administrator unlock a locked account", async () => {
    const email = world.users.businessSupportA.email;
    for (let failures = 0; failures < 10; failures += 1) {
      clock.advance(61_000);
      await attempt(email, "wrong");
    }
    expect((await attempt(email, PASSWORD)).response.statusCode).toBe(429);
    const admin = await signIn(app, world.users.admin.email);
    await admin.get("/admin/users");
    const unlocked = await admin.post(`/admin/users/${world.users.businessSupportA.id}/unlock`, {});
    expect(unlocked.statusCode).toBe(303);
    expect((await attempt(email, PASSWORD)).response.statusCode).toBe(303);
  });
});

describe("sessions", () => {
  it("ends after 30 minutes idle", async () => {
    const client = await signIn(app, world.users.swA.email);
    clock.advance(29 * 60_000);
    expect((await client.get("/")).statusCode).toBe(200);
    clock.advance(31 * 60_000);
    const response = await client.get("/");
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe("/sign-in?next=%2F");
  });

  it("ends after 10 hours however active", async () => {
    const client = await signIn(app, world.users.swA.email);
    for (let i = 0; i < 20; i += 1) {
      clock.advance(29 * 60_000);
      await client.get("/");
    }
    expect((await client.get("/")).statusCode).toBe(200);
    clock.advance(29 * 60_000);
    expect((await client.get("/")).statusCode).toBe(302);
  });

  it("ends at sign-out, and the old cookie no longer works", async () => {
    const client = await signIn(app, world.users.swA.email);
    const cookie = client.cookies.get("trellis_session") ?? "";
    const out = await client.post("/sign-out", {});
    expect(out.statusCode).toBe(303);
    const replay = await app.inject({
      method: "GET",
      url: "/",
      headers: { cookie: `trellis_session=${cookie}`, accept: "text/html" },
    });
    expect(replay.statusCode).toBe(302);
  });

  it("can sign out from an error page", async () => {
    const client = await signIn(app, world.users.swA.email);
    const missing = await client.get(`/people/${world.people.childB1}`);
    expect(missing.statusCode).toBe(404);
    expect((await client.post("/sign-out", {})).statusCode).toBe(303);
    expect((await client.get("/")).statusCode).toBe(302);
  });

  it("sends the anonymous to sign in, and the API's callers get 401", async () => {
    const page = await app.inject({
      method: "GET",
      url: `/people/${world.people.childA1}`,
      headers: { accept: "text/html" },
    });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toContain("/sign-in?next=");
    const api = await app.inject({
      method: "GET",
      url: "/people",
      headers: { accept: "application/json" },
    });
    expect(api.statusCode).toBe(401);
  });
});

describe("CSRF protection", () => {
  it("refuses a state-changing request without the session's token, and changes nothing", async () => {
    const client = await signIn(app, world.users.swA.email);
    const before = await database.db
      .selectFrom("person")
      .select(({ fn }) => fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const forged = await client.post(
      "/people",
      { givenName: "Forged", familyName: "Person" },
      { csrf: null },
    );
    expect(forged.statusCode).toBe(403);
    const wrong = await client.post(
      "/people",
      { givenName: "Forged", familyName: "Person" },
      { csrf: "not-the-token" },
    );
    expect(wrong.statusCode).toBe(403);
    const after = await database.db
      .selectFrom("person")
      .select(({ fn }) => fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const audit = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      action: "person.create",
      outcome: "denied",
      summary: { reason: "csrf" },
    });
  });

  it("refuses a sign-in form posted without its token (login CSRF)", async () => {
    const client = new Client(app);
    const response = await client.post(
      "/sign-in",
      { email: world.users.swA.email, password: PASSWORD },
      { csrf: null },
    );
    expect(response.statusCode).toBe(403);
  });
});

describe("security headers", () => {
  it("sends a strict content security policy and the usual hardening headers", async () => {
    const response = await app.inject({ method: "GET", url: "/sign-in" });
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["strict-transport-security"]).toBeDefined();
    expect(response.headers["referrer-policy"]).toBe("same-origin");
  });
});

describe("where sign-in may send you next", () => {
  it("allows only same-site paths", () => {
    expect(safeNext("/people/abc")).toBe("/people/abc");
    expect(safeNext("//evil.example/")).toBe("/");
    expect(safeNext("/\\evil.example")).toBe("/");
    expect(safeNext("https://evil.example/")).toBe("/");
    expect(safeNext(undefined)).toBe("/");
  });
});
