/**
 * A real OpenID provider (oidc-provider) for tests, on 127.0.0.1 and an ephemeral loopback port.
 * Its login and consent screens are replaced by a tiny handler on the same server, and
 * `authorizeAt` plays the browser there, so a test drives login and consent programmatically by
 * naming the account to log in.
 */
import { expect } from "vitest";
import type { Client } from "./http.ts";
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
// @ts-expect-error -- oidc-provider ships no type declarations; the little used here is typed below
import OidcProviderModule from "oidc-provider";

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

export interface ProviderOptions {
  /** The provider's accounts: subject -> email. Read at each sign-in, so changes take effect. */
  accounts: ReadonlyMap<string, string>;
  /** Subjects whose email the provider says is not verified. */
  unverified: ReadonlySet<string>;
  /** The one client registered at the provider. */
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Put scope claims (email) in the ID token and switch UserInfo off, as Entra ID can be set up. */
  emailInIdToken: boolean;
}

export interface StartedProvider {
  issuer: string;
  /** Stops the provider's server, dropping any open connections. */
  close(): Promise<void>;
}

/**
 * Starts an OpenID provider on 127.0.0.1 and an ephemeral port. By default it is conformant:
 * claims asked for by scope (email) are not put in the ID token, only served from UserInfo.
 * With `emailInIdToken` (as Entra ID can be set up) they are in the ID token, and UserInfo is
 * switched off so that the client cannot depend on it.
 */
export async function startProvider(options: ProviderOptions): Promise<StartedProvider> {
  const { accounts, unverified } = options;
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => {
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
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
  // query (?account=...), then grants the scopes the client asks for.
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

  return {
    issuer,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    },
  };
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
 * `accountId` when the provider asks, until the provider sends the browser back to the client.
 */
export async function authorizeAt(authorizationUrl: string, accountId: string): Promise<URL> {
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

/** Where the Trellis test app (loadConfig's default base URL) receives the provider's answer. */
export const TEST_REDIRECT_URI = "http://localhost:3000/sign-in/oidc/callback";

/** Starts sign-in on Trellis and returns the provider's redirect back to Trellis' callback. */
export async function throughProvider(
  client: Client,
  accountId: string,
  start = "/sign-in/oidc",
): Promise<URL> {
  const started = await client.get(start);
  expect(started.statusCode).toBe(303);
  const callback = await authorizeAt(String(started.headers.location), accountId);
  expect(`${callback.origin}${callback.pathname}`).toBe(TEST_REDIRECT_URI);
  return callback;
}

export function appPath(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/**
 * Calls Trellis' callback. A refusal redirects to the sign-in page with a problem code; that
 * redirect is checked and followed, so tests see the page the user sees.
 */
export async function visitCallback(client: Client, path: string) {
  const response = await client.get(path);
  const location = response.headers.location ?? "";
  if (response.statusCode !== 303 || !location.startsWith("/sign-in?problem=")) return response;
  expect(client.cookies.has("trellis_session")).toBe(false);
  return client.get(location);
}
