import { randomBytes } from "node:crypto";
import path from "node:path";
import type { AuditKeeperConfig } from "../audit/keeper.ts";
import { StartupError } from "./startup.ts";

/** Everything the service reads from its environment, read in one place. */
export interface Config {
  /** PostgreSQL server URL; undefined means embedded PGlite. */
  databaseUrl: string | undefined;
  /** The schema owner's URL, for migrations (decision 0017); DATABASE_URL when unset. */
  migrationDatabaseUrl: string | undefined;
  /** Folder for the embedded database's files. */
  dataDir: string;
  port: number;
  host: string;
  /** Public base URL, used for OIDC redirects. */
  baseUrl: string;
  session: { idleMinutes: number; absoluteHours: number };
  /** Signs short-lived cookies (the OIDC round trip). Random per process unless set. */
  cookieSecret: string;
  /**
   * The reverse proxies whose X-Forwarded-For gives the client address (sign-in throttles per
   * address): TRUST_PROXY, a comma-separated list of addresses or subnets (10.0.0.0/8).
   */
  trustProxy?: string[];
  oidc:
    { issuer: string; clientId: string; clientSecret: string; allowInsecure: boolean } | undefined;
  /** Sealing and signed checkpoints of the audit log (decision 0017). */
  audit: AuditKeeperConfig;
  /**
   * The council's authorisation server whose JWT access tokens the API accepts (decision
   * 0030): API_TOKEN_ISSUER, its JWKS (API_TOKEN_JWKS_URL, default <issuer>/jwks) and the
   * audience its tokens name for Trellis (API_TOKEN_AUDIENCE). Unset: only Trellis' own tokens.
   */
  apiTokens?: { issuer: string; jwksUrl: string; audience: string };
  /** The DfE's daily children's social care feed (decision 0034); unset: not configured. */
  dfeFeed?: DfeFeedConfig;
}

/**
 * Where the DfE's feed goes and the OAuth 2.0 client credentials the DfE issued: DFE_FEED_URL
 * (the API's base; `/children_social_care_data/{la_code}/children` is added),
 * DFE_FEED_TOKEN_URL, DFE_FEED_CLIENT_ID, DFE_FEED_CLIENT_SECRET (never logged or shown).
 */
export interface DfeFeedConfig {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

function intFrom(
  value: string | undefined,
  fallback: number,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0 || n > max) {
    throw new StartupError(
      `${name} is "${value}": it must be a whole number from 1 to ${String(max)}. Fix it, or unset it for the default (${String(fallback)}).`,
    );
  }
  return n;
}

/** A PostgreSQL URL, checked here so a typo is not reported as a failed host lookup later. */
function databaseUrlFrom(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const host = url && (url.hostname || url.searchParams.get("host"));
  if (!url || (url.protocol !== "postgres:" && url.protocol !== "postgresql:") || !host) {
    throw new StartupError(
      "DATABASE_URL is not a PostgreSQL URL like postgres://user:password@host:5432/trellis. " +
        "Fix it, or unset it to use the embedded database.",
    );
  }
  return value;
}

function webUrlFrom(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  const ok = URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
  if (!ok) {
    throw new StartupError(
      `${name} is not a web address like https://login.example.org: fix it, or unset it.`,
    );
  }
  return value;
}

function trustProxyFrom(value: string): string[] {
  return value
    .split(",")
    .map((address) => address.trim())
    .filter((address) => address !== "");
}

function dataDirFrom(value: string | undefined): string {
  if (value === undefined) return path.resolve("data/pglite");
  if (value.trim() === "" || value.includes("\0")) {
    throw new StartupError(
      "DATA_DIR is empty: set it to a folder path, or unset it for ./data/pglite.",
    );
  }
  return path.resolve(value);
}

function apiTokensFrom(env: NodeJS.ProcessEnv): Pick<Config, "apiTokens"> {
  const issuer = webUrlFrom(env.API_TOKEN_ISSUER, "API_TOKEN_ISSUER");
  if (!issuer) return {};
  const jwksUrl =
    webUrlFrom(env.API_TOKEN_JWKS_URL, "API_TOKEN_JWKS_URL") ?? `${issuer.replace(/\/$/, "")}/jwks`;
  return { apiTokens: { issuer, jwksUrl, audience: env.API_TOKEN_AUDIENCE ?? "trellis-api" } };
}

function dfeFeedFrom(env: NodeJS.ProcessEnv): Pick<Config, "dfeFeed"> {
  const names = [
    "DFE_FEED_URL",
    "DFE_FEED_TOKEN_URL",
    "DFE_FEED_CLIENT_ID",
    "DFE_FEED_CLIENT_SECRET",
  ];
  const missing = names.filter((name) => !env[name]);
  if (missing.length === names.length) return {};
  if (missing.length > 0) {
    throw new StartupError(
      `The DfE feed is partly configured: ${missing.join(", ")} not set. Set all four, or none.`,
    );
  }
  return {
    dfeFeed: {
      baseUrl: webUrlFrom(env.DFE_FEED_URL, "DFE_FEED_URL") ?? "",
      tokenUrl: webUrlFrom(env.DFE_FEED_TOKEN_URL, "DFE_FEED_TOKEN_URL") ?? "",
      clientId: env.DFE_FEED_CLIENT_ID ?? "",
      clientSecret: env.DFE_FEED_CLIENT_SECRET ?? "",
    },
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = intFrom(env.PORT, 3000, "PORT", 65_535);
  const host = env.HOST ?? "localhost";
  const oidcIssuer = webUrlFrom(env.OIDC_ISSUER, "OIDC_ISSUER");
  const dataDir = dataDirFrom(env.DATA_DIR);
  const auditDir = path.resolve(env.AUDIT_DIR ?? path.join(path.dirname(dataDir), "audit"));
  return {
    databaseUrl: databaseUrlFrom(env.DATABASE_URL),
    migrationDatabaseUrl: databaseUrlFrom(env.MIGRATION_DATABASE_URL),
    dataDir,
    port,
    host,
    baseUrl: env.BASE_URL ?? `http://localhost:${String(port)}`,
    session: {
      idleMinutes: intFrom(env.SESSION_IDLE_MINUTES, 30, "SESSION_IDLE_MINUTES"),
      absoluteHours: intFrom(env.SESSION_ABSOLUTE_HOURS, 10, "SESSION_ABSOLUTE_HOURS"),
    },
    cookieSecret: env.COOKIE_SECRET ?? randomBytes(32).toString("hex"),
    ...(env.TRUST_PROXY ? { trustProxy: trustProxyFrom(env.TRUST_PROXY) } : {}),
    oidc: oidcIssuer
      ? {
          issuer: oidcIssuer,
          clientId: env.OIDC_CLIENT_ID ?? "",
          clientSecret: env.OIDC_CLIENT_SECRET ?? "",
          allowInsecure: env.OIDC_ALLOW_INSECURE === "true",
        }
      : undefined,
    ...apiTokensFrom(env),
    ...dfeFeedFrom(env),
    audit: {
      dir: auditDir,
      signingKey: env.AUDIT_SIGNING_KEY || undefined,
      signingKeyFile: env.AUDIT_SIGNING_KEY_FILE || undefined,
      publicKeysDir: path.resolve(env.AUDIT_PUBLIC_KEYS_DIR ?? path.join(auditDir, "public-keys")),
      checkpointFile: env.AUDIT_CHECKPOINT_FILE
        ? path.resolve(env.AUDIT_CHECKPOINT_FILE)
        : undefined,
      sealEveryMs: 1000 * intFrom(env.AUDIT_SEAL_SECONDS, 1, "AUDIT_SEAL_SECONDS"),
      checkpointEveryMs:
        1000 * intFrom(env.AUDIT_CHECKPOINT_SECONDS, 300, "AUDIT_CHECKPOINT_SECONDS"),
    },
  };
}
