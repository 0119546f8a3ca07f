import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";
import type { OidcIdentity } from "./oidc.ts";

/**
 * Finds the Trellis account for an identity-provider sign-in. No account is ever created here:
 * an administrator adds users first. The first sign-in links the account by email; after that
 * only the same issuer and subject match, so a changed email at the provider cannot take over
 * another account.
 */
export async function linkOidcUser(db: Db, identity: OidcIdentity): Promise<string | undefined> {
  const linked = await db
    .selectFrom("app_user")
    .select(["id", "active"])
    .where("oidc_issuer", "=", identity.issuer)
    .where("oidc_subject", "=", identity.subject)
    .executeTakeFirst();
  if (linked) return linked.active ? linked.id : undefined;
  if (!identity.email) return undefined;
  const byEmail = await db
    .selectFrom("app_user")
    .select(["id", "active", "oidc_subject"])
    .where(sql`lower(email)`, "=", identity.email.toLowerCase())
    .executeTakeFirst();
  if (!byEmail?.active || byEmail.oidc_subject !== null) return undefined;
  await db
    .updateTable("app_user")
    .set({ oidc_issuer: identity.issuer, oidc_subject: identity.subject })
    .where("id", "=", byEmail.id)
    .execute();
  return byEmail.id;
}
