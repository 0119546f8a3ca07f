/**
 * OAuth 2.0 client credentials for partner systems (decision 0030). Trellis takes two kinds of
 * bearer token, both short-lived JWTs:
 *  - its own, from POST /api/oauth/token for a registered client's id and secret, signed with
 *    a key derived from the service's secret (HS256, five minutes);
 *  - the council's authorisation server's (RFC 9068 access tokens), verified against that
 *    server's published keys (JWKS), whose `client_id` names a registered client.
 * Either way the token only says which client is calling: whether the client is still live,
 * and what it may do, is read from api_client on every call, so revoking works at once.
 */
import { hkdfSync, randomUUID } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { Config } from "../platform/config.ts";

export const TOKEN_LIFETIME_SECONDS = 300;
export const TRELLIS_AUDIENCE = "trellis-api";

export interface TokenVerifier {
  /** Trellis' own tokens' issuer. */
  issuer: string;
  issue(clientId: string, now: Date): Promise<string>;
  /** The client a valid token names; "expired" or "invalid" otherwise. */
  verify(
    token: string,
    now: Date,
  ): Promise<{ clientId: string } | { externalClientId: string } | "expired" | "invalid">;
}

export function tokenVerifier(config: Config): TokenVerifier {
  const issuer = `${config.baseUrl.replace(/\/$/, "")}/api`;
  const key = new Uint8Array(
    hkdfSync("sha256", config.cookieSecret, "trellis", "api access tokens", 32),
  );
  const external = config.apiTokens;
  const remoteKeys = external ? createRemoteJWKSet(new URL(external.jwksUrl)) : undefined;

  const checked = async (
    run: () => Promise<JWTPayload>,
  ): Promise<JWTPayload | "expired" | "invalid"> => {
    try {
      return await run();
    } catch (error) {
      return (error as { code?: string }).code === "ERR_JWT_EXPIRED" ? "expired" : "invalid";
    }
  };

  return {
    issuer,
    issue: (clientId, now) => {
      const seconds = Math.floor(now.getTime() / 1000);
      return new SignJWT({ client_id: clientId })
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
        .setIssuer(issuer)
        .setAudience(TRELLIS_AUDIENCE)
        .setSubject(clientId)
        .setJti(randomUUID())
        .setIssuedAt(seconds)
        .setExpirationTime(seconds + TOKEN_LIFETIME_SECONDS)
        .sign(key);
    },
    verify: async (token, now) => {
      let claimedIssuer: string | undefined;
      try {
        claimedIssuer = decodeJwt(token).iss;
      } catch {
        return "invalid";
      }
      if (claimedIssuer === issuer) {
        const payload = await checked(async () => {
          const verified = await jwtVerify(token, key, {
            issuer,
            audience: TRELLIS_AUDIENCE,
            algorithms: ["HS256"],
            currentDate: now,
          });
          return verified.payload;
        });
        if (typeof payload === "string") return payload;
        return typeof payload.client_id === "string" ? { clientId: payload.client_id } : "invalid";
      }
      if (external && remoteKeys && claimedIssuer === external.issuer) {
        const payload = await checked(async () => {
          const verified = await jwtVerify(token, remoteKeys, {
            issuer: external.issuer,
            audience: external.audience,
            algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
            currentDate: now,
          });
          return verified.payload;
        });
        if (typeof payload === "string") return payload;
        return typeof payload.client_id === "string"
          ? { externalClientId: payload.client_id }
          : "invalid";
      }
      return "invalid";
    },
  };
}
