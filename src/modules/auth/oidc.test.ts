import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { Client, expectSignedOut, signIn, testApp } from "../../../test/support/http.ts";
import {
  appPath,
  startProvider as startOidcProvider,
  TEST_REDIRECT_URI,
  throughProvider,
  visitCallback,
  type StartedProvider,
} from "../../../test/support/oidc-provider.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { createOidcClient } from "./oidc.ts";

/**
 * OpenID Connect sign-in against a real provider (test/support/oidc-provider.ts). Nothing on the
 * Trellis side is mocked: discovery, the redirect, and the code exchange (PKCE, state, nonce)
 * all go over real HTTP.
 */

const CLIENT_ID = "trellis";
const CLIENT_SECRET = "trellis-test-client-secret";
const REDIRECT_URI = TEST_REDIRECT_URI;

/** The provider's accounts (subject -> email); tests change emails as an IdP would. */
const accounts = new Map<string, string>([
  ["entra-sw-a", "sw.a@test.example"],
  ["entra-stranger", "stranger@test.example"],
  ["entra-impostor", "SW.A@test.example"],
  ["entra-sw-b", "sw.b@test.example"],
  ["entra-tm-a", "tm.a@test.example"],
  ["entra-bs-a", "bs.a@test.example"],
  ["entra-unverified", "health@test.example"],
]);

/** Accounts whose provider says their email is not verified. */
const unverified = new Set(["entra-unverified"]);

let database: Database;
let world: World;
let app: FastifyInstance;
let issuer: string;
const providers: StartedProvider[] = [];

/** Starts a provider with this file's accounts and client (closed after the file); its issuer. */
async function startProvider(options: { emailInIdToken: boolean }): Promise<string> {
  const provider = await startOidcProvider({
    accounts,
    unverified,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    emailInIdToken: options.emailInIdToken,
  });
  providers.push(provider);
  return provider.issuer;
}

/** Signs in through the provider as `accountId`; returns the client and the callback reply. */
async function signInAs(accountId: string, on = app) {
  const client = new Client(on);
  const callback = await throughProvider(client, accountId);
  const response = await visitCallback(client, appPath(callback));
  return { client, response };
}

const lastAudit = () => latestAudit(database);

async function link(userId: string) {
  return database.db
    .selectFrom("app_user")
    .select(["oidc_issuer", "oidc_subject"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}

async function setActive(userId: string, active: boolean): Promise<void> {
  await database.db.updateTable("app_user").set({ active }).where("id", "=", userId).execute();
}

/** A Trellis app signing in through the provider at `providerIssuer`. */
async function appFor(providerIssuer: string): Promise<FastifyInstance> {
  const oidc = await createOidcClient({
    issuer: providerIssuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    allowInsecure: true,
  });
  const built = await testApp(database, { oidc });
  afterAll(() => built.app.close());
  return built.app;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  issuer = await startProvider({ emailInIdToken: false });
  app = await appFor(issuer);
});

afterAll(async () => {
  for (const provider of providers) await provider.close();
});

describe("sign-in with an organisation account (OpenID Connect)", () => {
  it("sends the browser to the provider with PKCE, state and nonce, keeping them in a signed cookie", async () => {
    const client = new Client(app);
    const started = await client.get("/sign-in/oidc");
    expect(started.statusCode).toBe(303);
    const location = new URL(String(started.headers.location));
    expect(location.origin).toBe(issuer);
    expect(location.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(location.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("code_challenge")).toBeTruthy();
    const state = location.searchParams.get("state");
    expect(state).toBeTruthy();
    expect(location.searchParams.get("nonce")).toBeTruthy();
    const cookie = client.cookies.get("trellis_oidc") ?? "";
    expect(cookie).toContain(String(state));
    // The verifier is in the (signed, httpOnly) cookie, never in the URL.
    const pending = JSON.parse(cookie.slice(0, cookie.lastIndexOf("."))) as {
      codeVerifier: string;
    };
    expect(started.headers.location).not.toContain(pending.codeVerifier);
  });

  it("links an existing user by email on first sign-in and signs them in", async () => {
    expect(await link(world.users.swA.id)).toEqual({ oidc_issuer: null, oidc_subject: null });
    const { client, response } = await signInAs("entra-sw-a");
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/");
    expect(client.cookies.get("trellis_session")).toBeTruthy();
    expect(client.cookies.has("trellis_oidc")).toBe(false);
    expect(await link(world.users.swA.id)).toEqual({
      oidc_issuer: issuer,
      oidc_subject: "entra-sw-a",
    });
    expect(await lastAudit()).toMatchObject({
      action: "auth.sign_in",
      outcome: "allowed",
      subject_type: "user",
      subject_id: world.users.swA.id,
      summary: { method: "oidc" },
    });
    const home = await client.get("/");
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain("Signed in as <strong>sw.a</strong>");
  });

  it("matches by subject on later sign-ins, even after the email changed at the provider", async () => {
    accounts.set("entra-sw-a", "sandra.worker@renamed.example");
    try {
      const { client, response } = await signInAs("entra-sw-a");
      expect(response.statusCode).toBe(303);
      expect(client.cookies.get("trellis_session")).toBeTruthy();
      expect(await lastAudit()).toMatchObject({
        action: "auth.sign_in",
        outcome: "allowed",
        subject_id: world.users.swA.id,
      });
      const home = await client.get("/");
      expect(home.body).toContain("Signed in as <strong>sw.a</strong>");
    } finally {
      accounts.set("entra-sw-a", "sw.a@test.example");
    }
  });

  it("signs a linked subject in as itself even when its new email belongs to another user", async () => {
    accounts.set("entra-sw-a", world.users.tmA.email);
    try {
      const { client, response } = await signInAs("entra-sw-a");
      expect(response.statusCode).toBe(303);
      expect(await lastAudit()).toMatchObject({
        outcome: "allowed",
        subject_id: world.users.swA.id,
      });
      const home = await client.get("/");
      expect(home.body).toContain("Signed in as <strong>sw.a</strong>");
      expect(await link(world.users.tmA.id)).toEqual({ oidc_issuer: null, oidc_subject: null });
    } finally {
      accounts.set("entra-sw-a", "sw.a@test.example");
    }
  });

  it("does not link an account by an email the provider says is unverified", async () => {
    const { client, response } = await signInAs("entra-unverified");
    expect(response.statusCode).toBe(401);
    expect(await lastAudit()).toMatchObject({
      outcome: "denied",
      summary: { reason: "no matching account" },
    });
    const health = await database.db
      .selectFrom("app_user")
      .select("oidc_subject")
      .where("id", "=", world.users.health.id)
      .executeTakeFirstOrThrow();
    expect(health.oidc_subject).toBeNull();
    await expectSignedOut(client);
  });

  it("refuses an identity whose email has no Trellis account", async () => {
    const { client, response } = await signInAs("entra-stranger");
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain("There is no Trellis account for your organisation account");
    expect(await lastAudit()).toMatchObject({
      action: "auth.sign_in",
      outcome: "denied",
      actor_user_id: null,
      summary: { method: "oidc", reason: "no matching account" },
    });
    const accountsWithStranger = await database.db
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", "stranger@test.example")
      .execute();
    expect(accountsWithStranger).toEqual([]);
    await expectSignedOut(client);
  });

  it("refuses a different subject presenting the email of an account linked to another subject", async () => {
    const { client, response } = await signInAs("entra-impostor");
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain("There is no Trellis account for your organisation account");
    expect(await lastAudit()).toMatchObject({
      action: "auth.sign_in",
      outcome: "denied",
      summary: { method: "oidc", reason: "no matching account" },
    });
    expect(await link(world.users.swA.id)).toEqual({
      oidc_issuer: issuer,
      oidc_subject: "entra-sw-a",
    });
    await expectSignedOut(client);
  });

  it("refuses a deactivated user who was never linked, and does not link them", async () => {
    await setActive(world.users.swB.id, false);
    try {
      const { client, response } = await signInAs("entra-sw-b");
      expect(response.statusCode).toBe(401);
      expect(await lastAudit()).toMatchObject({
        action: "auth.sign_in",
        outcome: "denied",
        summary: { method: "oidc", reason: "no matching account" },
      });
      expect(await link(world.users.swB.id)).toEqual({ oidc_issuer: null, oidc_subject: null });
      await expectSignedOut(client);
    } finally {
      await setActive(world.users.swB.id, true);
    }
    // Once reactivated, the same identity gets in: it was refused for being deactivated.
    const again = await signInAs("entra-sw-b");
    expect(again.response.statusCode).toBe(303);
    expect(await link(world.users.swB.id)).toEqual({
      oidc_issuer: issuer,
      oidc_subject: "entra-sw-b",
    });
  });

  it("refuses a deactivated user who is already linked", async () => {
    await setActive(world.users.swA.id, false);
    try {
      const { client, response } = await signInAs("entra-sw-a");
      expect(response.statusCode).toBe(401);
      expect(await lastAudit()).toMatchObject({
        action: "auth.sign_in",
        outcome: "denied",
        summary: { method: "oidc", reason: "no matching account" },
      });
      await expectSignedOut(client);
    } finally {
      await setActive(world.users.swA.id, true);
    }
    const again = await signInAs("entra-sw-a");
    expect(again.response.statusCode).toBe(303);
    expect(await lastAudit()).toMatchObject({ outcome: "allowed", subject_id: world.users.swA.id });
  });

  it("ends the person's earlier session, password or organisation account, when they sign in again", async () => {
    const signedOut = async (client: Client) => (await client.get("/")).statusCode === 302;
    const byPassword = await signIn(app, world.users.businessSupportA.email);
    expect(await signedOut(byPassword)).toBe(false);
    const first = await signInAs("entra-bs-a");
    expect(first.response.statusCode).toBe(303);
    expect(await signedOut(first.client)).toBe(false);
    expect(await signedOut(byPassword)).toBe(true);
    const second = await signInAs("entra-bs-a");
    expect(await signedOut(second.client)).toBe(false);
    expect(await signedOut(first.client)).toBe(true);
  });

  it("returns to the page the user first asked for, but never off-site", async () => {
    const client = new Client(app);
    const callback = await throughProvider(
      client,
      "entra-sw-a",
      `/sign-in/oidc?next=${encodeURIComponent(`/people/${world.people.childA1}`)}`,
    );
    const response = await client.get(appPath(callback));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/people/${world.people.childA1}`);

    const other = new Client(app);
    const offSite = await throughProvider(
      other,
      "entra-sw-a",
      `/sign-in/oidc?next=${encodeURIComponent("//evil.example/")}`,
    );
    const refused = await other.get(appPath(offSite));
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe("/");
  });

  describe("refuses a callback that does not belong to a sign-in this browser started", () => {
    it("without the trellis_oidc cookie", async () => {
      const callback = await throughProvider(new Client(app), "entra-sw-a");
      const stranger = new Client(app);
      const response = await visitCallback(stranger, appPath(callback));
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain("Your sign-in expired. Start again.");
      expect(await lastAudit()).toMatchObject({
        action: "auth.sign_in",
        outcome: "denied",
        summary: { method: "oidc", reason: "no sign-in in progress" },
      });
      await expectSignedOut(stranger);
    });

    it("with a tampered trellis_oidc cookie", async () => {
      const client = new Client(app);
      const callback = await throughProvider(client, "entra-sw-a");
      const cookie = client.cookies.get("trellis_oidc") ?? "";
      const signature = cookie.slice(cookie.lastIndexOf("."));
      const pending = JSON.parse(cookie.slice(0, cookie.lastIndexOf("."))) as Record<
        string,
        string
      >;
      client.cookies.set(
        "trellis_oidc",
        `${JSON.stringify({ ...pending, next: "/admin" })}${signature}`,
      );
      const response = await visitCallback(client, appPath(callback));
      expect(response.statusCode).toBe(401);
      expect(await lastAudit()).toMatchObject({
        action: "auth.sign_in",
        outcome: "denied",
        summary: { method: "oidc", reason: "no sign-in in progress" },
      });
      await expectSignedOut(client);
    });

    it("with a state that is not the one this browser was given", async () => {
      const client = new Client(app);
      const callback = await throughProvider(client, "entra-sw-a");
      callback.searchParams.set("state", "not-the-state-we-sent");
      const response = await visitCallback(client, appPath(callback));
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain("Sign-in with your organisation account failed");
      expect(await lastAudit()).toMatchObject({
        action: "auth.sign_in",
        outcome: "denied",
        summary: { method: "oidc", reason: "callback refused" },
      });
      await expectSignedOut(client);
    });

    it("with the code issued to another browser's sign-in (state matches, PKCE does not)", async () => {
      const victim = await throughProvider(new Client(app), "entra-sw-a");
      const attacker = new Client(app);
      const own = await throughProvider(attacker, "entra-stranger");
      // The attacker replays the victim's code with their own cookie and state.
      own.searchParams.set("code", String(victim.searchParams.get("code")));
      const response = await visitCallback(attacker, appPath(own));
      expect(response.statusCode).toBe(401);
      expect(await lastAudit()).toMatchObject({
        outcome: "denied",
        summary: { method: "oidc", reason: "callback refused" },
      });
      await expectSignedOut(attacker);
    });
  });
});

describe("a provider that puts the email in the ID token and has no UserInfo endpoint", () => {
  let entraLike: FastifyInstance;
  let entraLikeIssuer: string;
  beforeAll(async () => {
    entraLikeIssuer = await startProvider({ emailInIdToken: true });
    entraLike = await appFor(entraLikeIssuer);
  });

  it("links by the ID token's email and signs the user in", async () => {
    const { client, response } = await signInAs("entra-tm-a", entraLike);
    expect(response.statusCode).toBe(303);
    expect(await lastAudit()).toMatchObject({
      action: "auth.sign_in",
      outcome: "allowed",
      subject_id: world.users.tmA.id,
    });
    expect(await link(world.users.tmA.id)).toEqual({
      oidc_issuer: entraLikeIssuer,
      oidc_subject: "entra-tm-a",
    });
    const home = await client.get("/");
    expect(home.body).toContain("Signed in as <strong>tm.a</strong>");
  });
});
