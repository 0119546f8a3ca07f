import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
// @ts-expect-error -- oidc-provider ships no type declarations; the little used here is typed below
import OidcProviderModule from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { Client, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { createOidcClient } from "./oidc.ts";

/**
 * OpenID Connect sign-in against a real OpenID provider (oidc-provider), started on an
 * ephemeral port inside this file. Nothing on the Trellis side is mocked: the app discovers the
 * provider, sends the browser there, and exchanges the code (with PKCE, state and nonce) over
 * real HTTP. The provider's login and consent screens are replaced by a tiny handler on the
 * same server that logs in the identity the test names and grants consent.
 */

// The part of oidc-provider's API this file uses.
interface ProviderInteraction {
  prompt: { name: string };
  params: Record<string, unknown>;
  session?: { accountId: string };
}
interface ProviderGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<ProviderInteraction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => ProviderGrant;
}
type ProviderConstructor = new (issuer: string, configuration: object) => OidcProvider;
const Provider = OidcProviderModule as unknown as ProviderConstructor;

const CLIENT_ID = "trellis";
const CLIENT_SECRET = "trellis-test-client-secret";
const REDIRECT_URI = "http://localhost:3000/sign-in/oidc/callback";

/** The provider's accounts: subject -> email. Tests change emails to model changes at the IdP. */
const accounts = new Map<string, string>([
  ["entra-sw-a", "sw.a@test.example"],
  ["entra-stranger", "stranger@test.example"],
  ["entra-impostor", "SW.A@test.example"],
  ["entra-sw-b", "sw.b@test.example"],
  ["entra-tm-a", "tm.a@test.example"],
  ["entra-unverified", "health@test.example"],
]);

/** Accounts whose provider says their email is not verified. */
const unverified = new Set(["entra-unverified"]);

let database: Database;
let world: World;
let app: FastifyInstance;
let issuer: string;
const servers: Server[] = [];

/**
 * Starts an OpenID provider on 127.0.0.1 and an ephemeral port; returns its issuer. By default
 * it is conformant: claims asked for by scope (email) are not put in the ID token, only served
 * from UserInfo. With `emailInIdToken` (as Entra ID can be set up) they are in the ID token,
 * and UserInfo is switched off so that Trellis cannot depend on it.
 */
async function startProvider(options: { emailInIdToken: boolean }): Promise<string> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => {
    handle(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), alg: "RS256", use: "sig" }] },
    cookies: { keys: ["oidc-provider-test-cookie-key"] },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: !options.emailInIdToken },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    pkce: { required: () => true },
    conformIdTokenClaims: !options.emailInIdToken,
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
      Grant: 600,
      Interaction: 600,
      Session: 600,
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: (_ctx: unknown, sub: string) => {
      const email = accounts.get(sub);
      if (email === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email, email_verified: !unverified.has(sub), name: `Person ${sub}` }),
      };
    },
  });
  const providerCallback = provider.callback();

  // Stands in for the provider's login and consent pages: logs in the account named in the
  // query (?account=...), then grants the scopes Trellis asks for.
  const interact = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === "login") {
      const accountId = new URL(req.url ?? "/", issuer).searchParams.get("account");
      if (!accountId) throw new Error("the test must name the account to log in");
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (details.prompt.name === "consent" && details.session) {
      const grant = new provider.Grant({
        accountId: details.session.accountId,
        clientId: String(details.params.client_id),
      });
      grant.addOIDCScope("openid email profile");
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    throw new Error(`unexpected prompt ${details.prompt.name}`);
  };

  handle = (req, res) => {
    const work = req.url?.startsWith("/interaction/")
      ? interact(req, res)
      : providerCallback(req, res);
    work.catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
  return issuer;
}

/** A minimal browser cookie jar for the provider: honours each cookie's path. */
class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const pathAttribute = attributes.find((a) => a.toLowerCase().startsWith("path="));
      const path = pathAttribute ? pathAttribute.slice(5) : url.pathname;
      const expired = attributes.some(
        (a) => a.toLowerCase().startsWith("expires=") && Date.parse(a.slice(8)) < Date.now(),
      );
      const key = `${name}|${path}`;
      if (expired || value === "") this.cookies.delete(key);
      else this.cookies.set(key, { value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies]
      .filter(([, cookie]) => url.pathname.startsWith(cookie.path))
      .map(([key, cookie]) => `${key.split("|")[0] ?? ""}=${cookie.value}`)
      .join("; ");
  }
}

/**
 * Plays the browser at the provider: follows redirects from the authorization URL, logging in
 * `accountId` when the provider asks, until the provider sends the browser back to Trellis.
 */
async function authorizeAt(authorizationUrl: string, accountId: string): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  const provider = url.origin;
  for (let hop = 0; hop < 12; hop++) {
    if (url.origin !== provider) return url;
    if (url.pathname.startsWith("/interaction/")) url.searchParams.set("account", accountId);
    const response = await fetch(url, {
      redirect: "manual",
      headers: { cookie: jar.header(url) },
    });
    jar.store(url, response.headers.getSetCookie());
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(
        `provider stopped at ${url.href}: ${String(response.status)} ${await response.text()}`,
      );
    }
    url = new URL(location, url);
  }
  throw new Error("too many redirects at the provider");
}

/** Starts sign-in on Trellis and returns the provider's redirect back to Trellis' callback. */
async function throughProvider(
  client: Client,
  accountId: string,
  start = "/sign-in/oidc",
): Promise<URL> {
  const started = await client.get(start);
  expect(started.statusCode).toBe(303);
  const callback = await authorizeAt(String(started.headers.location), accountId);
  expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
  return callback;
}

function appPath(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/** Signs in through the provider as `accountId`; returns the client and the callback reply. */
async function signInAs(accountId: string, on = app) {
  const client = new Client(on);
  const callback = await throughProvider(client, accountId);
  const response = await client.get(appPath(callback));
  return { client, response };
}

async function lastAudit() {
  return database.db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("seq", "desc")
    .executeTakeFirstOrThrow();
}

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

async function expectSignedOut(client: Client): Promise<void> {
  expect(client.cookies.has("trellis_session")).toBe(false);
  const home = await client.get("/");
  expect(home.statusCode).toBe(302);
  expect(home.headers.location).toMatch(/^\/sign-in/);
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
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      server.close((error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }
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
      const response = await stranger.get(appPath(callback));
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
      const response = await client.get(appPath(callback));
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
      const response = await client.get(appPath(callback));
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
      const response = await attacker.get(appPath(own));
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
