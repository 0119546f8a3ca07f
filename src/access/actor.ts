import { sql } from "kysely";
import type { Db } from "../platform/database.ts";
import type { OrganisationKind } from "../platform/schema.ts";
import { practiceRoleOf, type PracticeRole } from "../domain/family-safeguarding.ts";
import {
  headOfServicePermissions,
  isRole,
  hasPermission,
  type Permission,
  type Role,
} from "./permissions.ts";

/** The signed-in user as access decisions see them. Loaded once per request. */
export interface Actor {
  userId: string;
  laId: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  organisationName: string;
  role: Role;
  displayName: string;
  teamIds: string[];
  /** Roles held in multi-disciplinary teams; they decide who writes which Workbook section. */
  practiceRoles: PracticeRole[];
  /** A team manager who is also head of service (decision 0016); absent means not. */
  headOfService?: boolean;
  /**
   * Whether one of their teams is a front door team (decision 0021), known when the actor is
   * loaded so visibility can leave the front door's wide rule out of everyone else's queries.
   */
  inFrontDoorTeam?: boolean;
  /**
   * Set when a partner system calls the API (decision 0030): the client acts as its service
   * account, and may use only the permissions it was registered with, never more than the
   * account's role.
   */
  apiClient?: { id: string; clientId: string; name: string; permissions: readonly Permission[] };
}

export async function loadActor(db: Db, userId: string): Promise<Actor | undefined> {
  const row = await db
    .selectFrom("app_user as u")
    .innerJoin("organisation as o", "o.id", "u.organisation_id")
    .select([
      "u.id",
      "u.la_id",
      "u.organisation_id",
      "u.role",
      "u.display_name",
      "u.active",
      "u.head_of_service",
      "o.kind",
      "o.name",
      sql<string[]>`array(select tm.team_id from team_member tm where tm.user_id = u.id)`.as(
        "team_ids",
      ),
      sql<(string | null)[]>`array(select tm.practice_role from team_member tm
        where tm.user_id = u.id)`.as("practice_roles"),
      sql<boolean>`exists (select 1 from team_member tm join team t on t.id = tm.team_id
        where tm.user_id = u.id and t.kind = 'front_door')`.as("in_front_door_team"),
    ])
    .where("u.id", "=", userId)
    .executeTakeFirst();
  if (!row?.active || !isRole(row.role)) return undefined;
  const role = row.role;
  const practiceRoles = [
    ...new Set(
      row.practice_roles.flatMap((p) => {
        const practiceRole = practiceRoleOf(p, role);
        return practiceRole ? [practiceRole] : [];
      }),
    ),
  ];
  return {
    userId: row.id,
    laId: row.la_id,
    organisationId: row.organisation_id,
    organisationKind: row.kind,
    organisationName: row.name,
    role: row.role,
    displayName: row.display_name,
    teamIds: row.team_ids,
    practiceRoles,
    headOfService: row.head_of_service,
    inFrontDoorTeam: row.in_front_door_team,
  };
}

export function can(actor: Actor | undefined, permission: Permission): boolean {
  if (permission === "public") return true;
  if (!actor) return false;
  if (actor.apiClient && !actor.apiClient.permissions.includes(permission)) return false;
  if (hasPermission(actor.role, permission)) return true;
  return actor.headOfService === true && headOfServicePermissions.includes(permission);
}
