import { randomBytes } from "node:crypto";
import path from "node:path";
import type { AuditKeeperConfig } from "../audit/keeper.ts";

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
  oidc:
    { issuer: string; clientId: string; clientSecret: string; allowInsecure: boolean } | undefined;
  /** Sealing and signed checkpoints of the audit log (decision 0017). */
  audit: AuditKeeperConfig;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = intFrom(env.PORT, 3000, "PORT");
  const host = env.HOST ?? "localhost";
  const oidcIssuer = env.OIDC_ISSUER;
  const dataDir = path.resolve(env.DATA_DIR ?? "data/pglite");
  const auditDir = path.resolve(env.AUDIT_DIR ?? path.join(path.dirname(dataDir), "audit"));
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL || undefined,
    dataDir,
    port,
    host,
    baseUrl: env.BASE_URL ?? `http://localhost:${port}`,
    session: {
      idleMinutes: intFrom(env.SESSION_IDLE_MINUTES, 30, "SESSION_IDLE_MINUTES"),
      absoluteHours: intFrom(env.SESSION_ABSOLUTE_HOURS, 10, "SESSION_ABSOLUTE_HOURS"),
    },
    cookieSecret: env.COOKIE_SECRET ?? randomBytes(32).toString("hex"),
    oidc: oidcIssuer
      ? {
          issuer: oidcIssuer,
          clientId: env.OIDC_CLIENT_ID ?? "",
          clientSecret: env.OIDC_CLIENT_SECRET ?? "",
          allowInsecure: env.OIDC_ALLOW_INSECURE === "true",
        }
      : undefined,
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
