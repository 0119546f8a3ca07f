/**
 * API clients (migration 020, decision 0030): registered by the council's administrator for one
 * organisation, each with a service account that cannot sign in. The secret is shown once and
 * kept only as an argon2id hash; rotating replaces it, revoking ends the client for good.
 * Plain functions of (db, actor, input, now); the admin pages and the token endpoint call them.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { can, loadActor, type Actor } from "../access/actor.ts";
import { apiClientRole, beyondOrganisation } from "../access/api-clients.ts";
import { permissions, type Permission } from "../access/permissions.ts";
import { hashPassword, timingDummyHash, verifyPassword } from "../modules/auth/passwords.ts";
import type { Db } from "../platform/database.ts";
import { AppError, notFound } from "../platform/errors.ts";

export const NewApiClient = z.strictObject({
  name: z.string().trim().min(1, "Enter the system's name").max(200),
  organisationId: z.uuid({ message: "Select an organisation" }),
  permissions: z
    .array(z.enum(permissions))
    .min(1, "Select at least one permission the system may use"),
  externalClientId: z.string().trim().max(200),
  rateLimitPerMinute: z.coerce
    .number()
    .int("Enter a whole number of calls a minute")
    .min(1, "Enter a number from 1 to 10000")
    .max(10_000, "Enter a number from 1 to 10000"),
});
export type NewApiClient = z.infer<typeof NewApiClient>;

export interface IssuedSecret {
  apiClientId: string;
  clientId: string;
  /** Shown once, to the administrator who registered or rotated the client. */
  clientSecret: string;
}

function requireAdministrator(actor: Actor): void {
  if (!can(actor, "user.manage")) throw new AppError("forbidden", "You cannot manage API clients");
}

const newClientId = () => `trellis_${randomBytes(12).toString("hex")}`;
const newSecret = () => randomBytes(32).toString("base64url");

/** Registers a client and its service account; returns the secret, shown this once. */
export async function registerApiClient(
  db: Db,
  actor: Actor,
  input: NewApiClient,
  now: Date,
): Promise<IssuedSecret> {
  requireAdministrator(actor);
  const client = NewApiClient.parse(input);
  const organisation = await db
    .selectFrom("organisation")
    .select(["id", "kind", "name"])
    .where("id", "=", client.organisationId)
    .where("la_id", "=", actor.laId)
    .executeTakeFirst();
  if (!organisation) {
    throw new AppError("validation", "Select an organisation", [
      { field: "organisationId", message: "Select an organisation" },
    ]);
  }
  const beyond = beyondOrganisation(organisation.kind, client.permissions);
  if (beyond.length > 0) {
    throw new AppError("validation", "Check the permissions", [
      {
        field: "permissions",
        message: `${organisation.name}'s people cannot ${beyond.join(", ")}, so its system cannot either`,
      },
    ]);
  }
  const clientId = newClientId();
  const clientSecret = newSecret();
  const serviceUser = await db
    .insertInto("app_user")
    .values({
      la_id: actor.laId,
      organisation_id: organisation.id,
      email: `${clientId}@api-client.invalid`,
      display_name: client.name,
      job_title: "API client",
      role: apiClientRole(organisation.kind),
      password_hash: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto("api_client")
    .values({
      la_id: actor.laId,
      organisation_id: organisation.id,
      service_user_id: serviceUser.id,
      name: client.name,
      client_id: clientId,
      secret_hash: await hashPassword(clientSecret),
      external_client_id: client.externalClientId || null,
      permissions: [...new Set(client.permissions)],
      rate_limit_per_minute: client.rateLimitPerMinute,
      created_by: actor.userId,
      created_at: now,
      secret_rotated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { apiClientId: row.id, clientId, clientSecret };
}

async function liveClientOf(db: Db, actor: Actor, apiClientId: string) {
  const row = await db
    .selectFrom("api_client")
    .select(["id", "client_id", "revoked_at"])
    .where("id", "=", apiClientId)
    .where("la_id", "=", actor.laId)
    .executeTakeFirst();
  if (!row) throw notFound("API client");
  if (row.revoked_at) throw new AppError("conflict", "This API client has been revoked");
  return row;
}

/** Replaces the client's secret: the old one stops working at once. */
export async function rotateApiClientSecret(
  db: Db,
  actor: Actor,
  apiClientId: string,
  now: Date,
): Promise<IssuedSecret> {
  requireAdministrator(actor);
  const row = await liveClientOf(db, actor, apiClientId);
  const clientSecret = newSecret();
  await db
    .updateTable("api_client")
    .set({ secret_hash: await hashPassword(clientSecret), secret_rotated_at: now })
    .where("id", "=", row.id)
    .execute();
  return { apiClientId: row.id, clientId: row.client_id, clientSecret };
}

/** Ends the client: its tokens, from Trellis or the council's server, are refused from now. */
export async function revokeApiClient(
  db: Db,
  actor: Actor,
  apiClientId: string,
  now: Date,
): Promise<void> {
  requireAdministrator(actor);
  const row = await liveClientOf(db, actor, apiClientId);
  const revoked = await db
    .updateTable("api_client")
    .set({ revoked_at: now, revoked_by: actor.userId })
    .where("id", "=", row.id)
    .returning("service_user_id")
    .executeTakeFirstOrThrow();
  await db
    .updateTable("app_user")
    .set({ active: false })
    .where("id", "=", revoked.service_user_id)
    .execute();
}

/** The council's clients for the admin page, newest first; never a secret or its hash. */
export async function apiClientsOf(db: Db, actor: Actor) {
  requireAdministrator(actor);
  return db
    .selectFrom("api_client as c")
    .innerJoin("organisation as o", "o.id", "c.organisation_id")
    .select([
      "c.id",
      "c.name",
      "c.client_id",
      "c.external_client_id",
      "c.permissions",
      "c.rate_limit_per_minute",
      "c.created_at",
      "c.secret_rotated_at",
      "c.revoked_at",
      "o.name as organisation_name",
    ])
    .where("c.la_id", "=", actor.laId)
    .orderBy("c.created_at", "desc")
    .limit(500)
    .execute();
}

export interface ClientLookup {
  /** Trellis' own client id, as presented at its token endpoint. */
  clientId?: string;
  /** The client's id at the council's authorisation server. */
  externalClientId?: string;
}

/**
 * The actor a live client acts as, limited to the client's permissions; undefined when the
 * client is unknown or revoked.
 */
export async function apiActorOf(
  db: Db,
  lookup: ClientLookup,
): Promise<{ actor: Actor; ratePerMinute: number } | undefined> {
  let query = db
    .selectFrom("api_client")
    .select(["id", "client_id", "name", "service_user_id", "permissions", "rate_limit_per_minute"])
    .where("revoked_at", "is", null);
  if (lookup.clientId) query = query.where("client_id", "=", lookup.clientId);
  else if (lookup.externalClientId)
    query = query.where("external_client_id", "=", lookup.externalClientId);
  else return undefined;
  const client = await query.executeTakeFirst();
  if (!client) return undefined;
  const actor = await loadActor(db, client.service_user_id);
  if (!actor) return undefined;
  const granted = new Set<string>(client.permissions);
  return {
    actor: {
      ...actor,
      apiClient: {
        id: client.id,
        clientId: client.client_id,
        name: client.name,
        permissions: permissions.filter((p): p is Permission => granted.has(p)),
      },
    },
    ratePerMinute: client.rate_limit_per_minute,
  };
}

/** Checks a client id and secret at the token endpoint; the same time taken when unknown. */
export async function clientBySecret(
  db: Db,
  clientId: string,
  clientSecret: string,
): Promise<{ clientId: string } | undefined> {
  const row = await db
    .selectFrom("api_client")
    .select(["client_id", "secret_hash"])
    .where("client_id", "=", clientId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  const matches = await verifyPassword(row?.secret_hash ?? (await timingDummyHash()), clientSecret);
  return row && matches ? { clientId: row.client_id } : undefined;
}
