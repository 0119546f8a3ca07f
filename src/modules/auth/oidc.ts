import * as client from "openid-client";

/**
 * OpenID Connect sign-in (councils use Entra ID): authorization code flow with PKCE, state and
 * nonce, through openid-client. Tested against a real provider (oidc-provider) in oidc.test.ts.
 */
export interface OidcPending {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
}

export interface OidcClient {
  /** The URL to send the browser to, and what to keep until it comes back. */
  start(): Promise<{ url: string; pending: OidcPending }>;
  /** Exchanges the code on the callback URL, checking state, nonce and PKCE. */
  finish(callbackUrl: URL, pending: OidcPending): Promise<OidcIdentity>;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Plain HTTP to the provider: only for tests and local evaluation. */
  allowInsecure: boolean;
}

export async function createOidcClient(settings: OidcSettings): Promise<OidcClient> {
  const configuration = await client.discovery(
    new URL(settings.issuer),
    settings.clientId,
    settings.clientSecret,
    undefined,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- plain HTTP only when configured, for tests
    settings.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  return {
    async start() {
      const pending: OidcPending = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: settings.redirectUri,
        scope: "openid email profile",
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: "S256",
      });
      return { url: url.href, pending };
    },
    async finish(callbackUrl, pending) {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error("The provider returned no ID token");
      let email = typeof claims.email === "string" ? claims.email : undefined;
      let emailVerified = claims.email_verified;
      if (email === undefined) {
        // Claims asked for by scope need not be in the ID token: a conformant provider may
        // return them only from the UserInfo endpoint (OIDC Core 5.4). fetchUserInfo checks
        // that the UserInfo subject is the ID token's.
        const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        email = typeof userInfo.email === "string" ? userInfo.email : undefined;
        emailVerified = userInfo.email_verified;
      }
      // Entra ID sends no email_verified claim; a provider that says "false" is believed.
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: emailVerified === false ? undefined : email,
      };
    },
  };
}
