/**
 * What an API client may be given (decision 0030). A client acts as a service account of its
 * organisation, with the role that organisation's users hold: a partner agency's client is a
 * partner practitioner, the council's own is a social worker. It may be given only
 * permissions of that role, so a system never does more than its organisation's people could.
 */
import type { OrganisationKind } from "../platform/schema.ts";
import { hasPermission, permissions, type Permission, type Role } from "./permissions.ts";

/** The role of the service account a client of this organisation acts as. */
export function apiClientRole(kind: OrganisationKind): Role {
  return kind === "la_childrens_services" ? "social_worker" : "partner_practitioner";
}

/** Permissions that mean nothing for a system: every call names a real one. */
const notForSystems: ReadonlySet<Permission> = new Set<Permission>(["public", "signed_in"]);

/** Every permission an administrator may give a client of this organisation. */
export function grantableApiPermissions(kind: OrganisationKind): Permission[] {
  const role = apiClientRole(kind);
  return permissions.filter((p) => !notForSystems.has(p) && hasPermission(role, p));
}

/** The asked-for permissions the organisation's client may not have (empty when all may). */
export function beyondOrganisation(
  kind: OrganisationKind,
  asked: readonly Permission[],
): Permission[] {
  const grantable = new Set(grantableApiPermissions(kind));
  return asked.filter((p) => !grantable.has(p));
}
