import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { Client, signIn, testApp, TestClock } from "../../../test/support/http.ts";
import { buildWorld, PASSWORD, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { safeNext, SIGN_IN_REFUSED } from "./routes.ts";
import { ACCOUNT_POLICY, SOURCE_POLICY } from "./throttle.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let clock: TestClock;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app, clock } = await testApp(database));
});

async function attempt(email: string, password: string, source?: string) {
  const client = new Client(app, source);
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
    expect(response.body).toContain(SIGN_IN_REFUSED);
    expect(response.cookies.find((c) => c.name === "trellis_session")).toBeUndefined();
    const audit = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: "auth.sign_in", outcome: "denied" });
  });

  it("names both fields when the form is empty", async () => {
    const { response } = await attempt("", "");
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Enter your email address");
    expect(response.body).toContain("Enter your password");
  });
});

/** The page less what differs on every response anyway: the form token, script nonces, email. */
function comparable(body: string, email: string): string {
  return body
    .replaceAll(/value="[A-Za-z0-9_-]{20,}"/g, 'value="TOKEN"')
    .replaceAll(/nonce="[A-Za-z0-9+/=]+"/g, 'nonce="NONCE"')
    .replaceAll(email, "EMAIL");
}

describe("no account enumeration", () => {
  it("answers an existing account and an unknown email alike, however many quick failures", async () => {
    const existing = world.users.adultSpecialistA.email;
    const unknown = "no.such.person@test.example";
    const answers = async (email: string, source: string) => {
      const client = new Client(app, source);
      await client.get("/sign-in");
      const seen: { status: number; body: string }[] = [];
      for (let i = 0; i < 12; i += 1) {
        const response = await client.post("/sign-in", {
          email,
          password: "wrong guess",
          next: "/",
        });
        seen.push({ status: response.statusCode, body: comparable(response.body, email) });
      }
      return seen;
    };
    const forExisting = await answers(existing, "192.0.2.10");
    const forUnknown = await answers(unknown, "192.0.2.11");
    expect(forExisting.map((a) => a.status)).toEqual(Array<number>(12).fill(401));
    expect(forUnknown.map((a) => a.body)).toEqual(forExisting.map((a) => a.body));
    expect(forExisting[0]?.body).toContain(SIGN_IN_REFUSED);
    // A throttled attempt, even with the right password, says nothing more than a wrong one.
    const client = new Client(app, "192.0.2.10");
    await client.get("/sign-in");
    const throttled = await client.post("/sign-in", {
      email: existing,
      password: PASSWORD,
      next: "/",
    });
    expect(throttled.statusCode).toBe(401);
    expect(comparable(throttled.body, existing)).toBe(forExisting[0]?.body);
    expect(throttled.body).not.toMatch(/locked|this account/i);
  });
});

describe("throttling without lockout", () => {
  it("slows a source that keeps failing on an account, even with the right password, until its wait ends", async () => {
    const email = world.users.police.email;
    const source = "198.51.100.20";
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i += 1) {
      expect((await attempt(email, "wrong", source)).response.statusCode).toBe(401);
    }
    // Straight away the right password from this source is not even checked...
    expect((await attempt(email, PASSWORD, source)).response.statusCode).toBe(401);
    clock.advance(1_000);
    // ... and after the wait it is.
    expect((await attempt(email, PASSWORD, source)).response.statusCode).toBe(303);
  });

  it("does not let a guesser lock another person out: the owner, from elsewhere, still signs in", async () => {
    const email = world.users.businessSupportA.email;
    const guesser = "203.0.113.66";
    // More guesses than the 10 that used to lock the account for 30 minutes.
    for (let i = 0; i < 15; i += 1) {
      await attempt(email, `guess number ${String(i)}`, guesser);
      clock.advance(61_000);
    }
    const owner = await attempt(email, PASSWORD, "198.51.100.77");
    expect(owner.response.statusCode).toBe(303);
  }, 60_000);

  it("slows one source guessing across many accounts, and no one else", async () => {
    const sprayer = "203.0.113.99";
    const accounts = Object.values(world.users).map((u) => u.email);
    for (let i = 0; i < SOURCE_POLICY.freeFailures; i += 1) {
      await attempt(accounts[i % accounts.length] ?? "", "Password1234!", sprayer);
    }
    const refused = await attempt(world.users.swB.email, PASSWORD, sprayer);
    expect(refused.response.statusCode).toBe(401);
    const elsewhere = await attempt(world.users.swB.email, PASSWORD, "198.51.100.78");
    expect(elsewhere.response.statusCode).toBe(303);
  });

  it("lets an administrator clear an account's failures", async () => {
    const email = world.users.health.email;
    const source = "198.51.100.30";
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures + 3; i += 1)
      await attempt(email, "wrong", source);
    expect((await attempt(email, PASSWORD, source)).response.statusCode).toBe(401);
    const admin = await signIn(app, world.users.admin.email);
    const list = await admin.get("/admin/users");
    expect(list.body).toContain("Waiting after failed sign-ins");
    const cleared = await admin.post(`/admin/users/${world.users.health.id}/unlock`, {});
    expect(cleared.statusCode).toBe(303);
    expect((await attempt(email, PASSWORD, source)).response.statusCode).toBe(303);
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

  it("ends the earlier session when the same person signs in again", async () => {
    const first = await attempt(world.users.tmA.email, PASSWORD);
    expect((await first.client.get("/")).statusCode).toBe(200);
    const second = await attempt(world.users.tmA.email, PASSWORD);
    expect(second.response.statusCode).toBe(303);
    expect((await second.client.get("/")).statusCode).toBe(200);
    const earlier = await first.client.get("/");
    expect(earlier.statusCode).toBe(302);
    expect(earlier.headers.location).toMatch(/^\/sign-in/);
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
