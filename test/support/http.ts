import { randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/platform/config.ts";
import type { Database } from "../../src/platform/database.ts";
import type { OidcClient } from "../../src/modules/auth/oidc.ts";
import { PASSWORD } from "./world.ts";

/** A clock tests can move. */
export class TestClock {
  constructor(private current = new Date("2026-03-02T10:00:00Z")) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export async function testApp(
  database: Database,
  options: { clock?: TestClock; oidc?: OidcClient } = {},
): Promise<{ app: FastifyInstance; clock: TestClock }> {
  const clock = options.clock ?? new TestClock();
  const app = await buildApp({
    database,
    config: { ...loadConfig({}), cookieSecret: "test-cookie-secret-test-cookie-secret" },
    clock: clock.now,
    ...(options.oidc ? { oidc: options.oidc } : {}),
  });
  await app.ready();
  return { app, clock };
}

/** The page's CSRF token with a new submission nonce (decision 0018). */
export function freshSubmission(csrf: string): string {
  const session = csrf.split(".")[0] ?? "";
  return session ? `${session}.${randomBytes(16).toString("base64url")}` : "";
}

/** A browser-like client over app.inject: keeps cookies and the page's CSRF token. */
export class Client {
  cookies = new Map<string, string>();
  csrf = "";

  /** `remoteAddress`: the client's IP address as the server sees it (default 127.0.0.1). */
  constructor(
    readonly app: FastifyInstance,
    readonly remoteAddress?: string,
  ) {}

  /** Another tab of the same browser: the same cookies, so the same session. */
  tab(): Client {
    const tab = new Client(this.app, this.remoteAddress);
    tab.cookies = new Map(this.cookies);
    tab.csrf = this.csrf;
    return tab;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      if (cookie.value === "" || (cookie.expires && cookie.expires.getTime() < Date.now()))
        this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match?.[1]) this.csrf = match[1];
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: "GET",
      url,
      headers: { accept: "text/html", cookie: this.cookieHeader(), ...headers },
      ...(this.remoteAddress ? { remoteAddress: this.remoteAddress } : {}),
    });
    this.remember(response);
    return response;
  }

  async post(
    url: string,
    form: Record<string, string | readonly string[]>,
    options: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    // Each post is a fresh submission, as from a page loaded anew (a page's token carries a
    // nonce so that a resubmission of the same page saves once); a test of resubmission passes
    // the same token explicitly.
    const token = options.csrf === undefined ? freshSubmission(this.csrf) : options.csrf;
    // Repeated names (checkboxes) are sent as repeated fields, as a browser does.
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) {
      for (const one of typeof value === "string" ? [value] : value) params.append(name, one);
    }
    if (token !== null) params.append("_csrf", token);
    const body = params.toString();
    const response = await this.app.inject({
      method: "POST",
      url,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "text/html",
        cookie: this.cookieHeader(),
      },
      payload: body,
      ...(this.remoteAddress ? { remoteAddress: this.remoteAddress } : {}),
    });
    this.remember(response);
    return response;
  }

  /** A form with one file, sent as multipart/form-data as a browser sends a file upload. */
  async upload(
    url: string,
    form: Record<string, string>,
    file: { field: string; name: string; type: string; bytes: Buffer },
  ): Promise<LightMyRequestResponse> {
    const boundary = `----trellis${randomBytes(8).toString("hex")}`;
    const parts: Buffer[] = [];
    const fields = { ...form, _csrf: freshSubmission(this.csrf) };
    for (const [name, value] of Object.entries(fields)) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        ),
      );
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
          `content-type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    const response = await this.app.inject({
      method: "POST",
      url,
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        accept: "text/html",
        cookie: this.cookieHeader(),
      },
      payload: Buffer.concat(parts),
    });
    this.remember(response);
    return response;
  }
}

/** Each app's signed-in clients by email and password, for signIn below. */
const signedIn = new WeakMap<FastifyInstance, Map<string, Client>>();

/**
 * A client signed in as `email`. Signing in ends the user's earlier session, so while a client
 * from an earlier call still has a live session this returns another tab of it, as a person
 * already signed in would open one, rather than signing the earlier one out.
 */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
): Promise<Client> {
  const clients = signedIn.get(app) ?? new Map<string, Client>();
  signedIn.set(app, clients);
  const key = `${email.toLowerCase()}\n${password}`;
  const earlier = clients.get(key);
  if (earlier) {
    const tab = earlier.tab();
    if ((await tab.get("/")).statusCode === 200) return tab;
  }
  const client = new Client(app);
  await client.get("/sign-in");
  const response = await client.post("/sign-in", { email, password, next: "/" });
  if (response.statusCode !== 303)
    throw new Error(`sign-in failed for ${email}: ${String(response.statusCode)}`);
  await client.get("/");
  clients.set(key, client);
  return client;
}

/** The client holds no session, and the home page sends it to sign in. */
export async function expectSignedOut(client: Client): Promise<void> {
  expect(client.cookies.has("trellis_session")).toBe(false);
  const home = await client.get("/");
  expect(home.statusCode).toBe(302);
  expect(home.headers.location).toMatch(/^\/sign-in/);
}
