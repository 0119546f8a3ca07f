import { sql, type RawBuilder } from "kysely";
import { todayIn } from "../domain/dates.ts";
import {
  disciplineWriters,
  isSensitiveDiscipline,
  type MeasureDiscipline,
  type WorkbookDiscipline,
} from "../domain/family-safeguarding.ts";
import { can, type Actor } from "./actor.ts";
import { isLaPractitioner } from "./visibility.ts";
import { mayAddToRecord } from "./recording.ts";

/**
 * Who may see and write which part of a family's Family Safeguarding work (decision 0013).
 * Which *people* an actor may see is decided in visibility.ts; these rules narrow it further:
 *  - parts about a person (Workbook sections, measures, plan goals) follow sight of that person;
 *  - mental health and substance misuse parts (special category data) reach the family's team,
 *    but a partner agency only where the person's record is shared with it on a share that
 *    includes health, and nobody whose sight of the person is through emergency access alone;
 *  - the team's own working space (Signs of Safety maps, group supervision, Family Group
 *    Conferences, the team around the family) is for LA practitioners;
 *  - each Workbook section and measure is written by its discipline's practitioners.
 */

/** How the actor sees one person: the facts the per-person rules need. */
export interface PersonSight {
  viaBreakGlassOnly: boolean;
  /** A partner's live share of this person's record includes health information. */
  healthShared: boolean;
}

export function maySeeDiscipline(actor: Actor, discipline: string, sight: PersonSight): boolean {
  if (!isSensitiveDiscipline(discipline)) return true;
  if (isLaPractitioner(actor)) return !sight.viaBreakGlassOnly;
  return actor.role === "partner_practitioner" && sight.healthShared;
}

/** Signs of Safety maps, group supervision, FGCs and the team around the family. */
export function maySeeTeamWork(actor: Actor): boolean {
  return isLaPractitioner(actor) && can(actor, "family.view");
}

/** Whether the actor writes this discipline's section or measures about a person they see. */
export function mayWriteDiscipline(
  actor: Actor,
  discipline: WorkbookDiscipline | MeasureDiscipline,
  sight: PersonSight,
): boolean {
  if (!can(actor, "workbook.write") || !mayAddToRecord(sight.viaBreakGlassOnly)) return false;
  const writers = disciplineWriters[discipline];
  return actor.practiceRoles.some((role) => writers.includes(role));
}

/**
 * SQL: the person (by id expression) is shared with the actor's organisation on a live share
 * that includes health. False for everyone but partner practitioners.
 */
export function healthSharedWith(
  actor: Actor,
  now: Date,
  id: RawBuilder<unknown>,
): RawBuilder<boolean> {
  if (actor.role !== "partner_practitioner") return sql<boolean>`false`;
  const today = todayIn(now);
  return sql<boolean>`exists (select 1 from record_share s
    where s.person_id = ${id} and s.organisation_id = ${actor.organisationId}
      and s.la_id = ${actor.laId} and s.revoked_at is null and s.includes_health
      and (s.expires_on is null or s.expires_on >= ${today}))`;
}

/** The practice roles that work with a family's adults. */
export const adultSpecialistRoles: readonly string[] = [
  "recovery_worker",
  "domestic_abuse_practitioner",
  "domestic_abuse_officer",
  "mental_health_practitioner",
];

/**
 * The team_member row aliased `alias` is an active adult specialist whom the actor may allocate
 * to a family's adult: a specialist member of a team the actor manages, in the actor's LA.
 */
export function allocatableSpecialist(actor: Actor, alias: string): RawBuilder<boolean> {
  if (!can(actor, "caseload.manage") || actor.teamIds.length === 0) return sql<boolean>`false`;
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<boolean>`(${column("team_id")} = any(${actor.teamIds}::uuid[])
    and ${column("practice_role")} = any(${adultSpecialistRoles}::text[])
    and exists (select 1 from app_user u where u.id = ${column("user_id")} and u.active
      and u.la_id = ${actor.laId} and u.role = 'adult_specialist'))`;
}
