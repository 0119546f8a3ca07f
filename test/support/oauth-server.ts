/**
 * A real OAuth 2.0 authorisation server (oidc-provider) issuing client-credentials access
 * tokens as JWTs (RFC 9068) for Trellis' API, as a council's own server would. On 127.0.0.1
 * and an ephemeral port; its keys are served at <issuer>/jwks.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
// @ts-expect-error -- oidc-provider ships no type declarations; the little used here is typed below
import OidcProviderModule from "oidc-provider";
import type { IncomingMessage, ServerResponse } from "node:http";

type ProviderConstructor = new (
  issuer: string,
  configuration: object,
) => { callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void> };
const Provider = OidcProviderModule as unknown as ProviderConstructor;

export const API_RESOURCE = "https://trellis.test/api";

export interface AuthorisationServer {
  issuer: string;
  /** A token for a client registered here, by client credentials at the token endpoint. */
  token(clientId: string, clientSecret: string): Promise<string>;
  close(): Promise<void>;
}

export async function startAuthorisationServer(
  clients: readonly { clientId: string; clientSecret: string }[],
  audience: string,
  ttlSeconds = 300,
): Promise<AuthorisationServer> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => {
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), alg: "RS256", use: "sig" }] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: "",
          audience,
          accessTokenTTL: ttlSeconds,
          accessTokenFormat: "jwt",
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
  });
  const callback = provider.callback();
  handle = (req, res) => {
    callback(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
  return {
    issuer,
    token: async (clientId, clientSecret) => {
      const response = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ grant_type: "client_credentials", resource: API_RESOURCE }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
