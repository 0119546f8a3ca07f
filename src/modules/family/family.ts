/**
 * A family as the actor may see it: the shared starting point of every Family Safeguarding
 * page. Members the actor may not see are left out entirely (not even counted), and each
 * member carries the facts that src/access/family.ts needs to decide on their parts.
 */
import type { FastifyRequest } from "fastify";
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import {
  healthSharedWith,
  maySeeDiscipline,
  maySeeTeamWork,
  mayWriteDiscipline,
  type PersonSight,
} from "../../access/family.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { personVisible, viaBreakGlassOnly } from "../../access/visibility.ts";
import { todayIn } from "../../domain/dates.ts";
import {
  isAdultOn,
  type MeasureDiscipline,
  type WorkbookDiscipline,
} from "../../domain/family-safeguarding.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { recordEvents, type ChronologyEvent } from "../chronology/record.ts";
import { actorOf, isUuid, type RouteContext } from "../../platform/routes.ts";

export interface FamilyMember extends PersonSight {
  id: string;
  name: string;
  dateOfBirth: string | null;
  adult: boolean;
}

export interface Workbook {
  id: string;
  openedOn: string;
  openedByName: string;
  supervisionIntervalWeeks: number;
  version: number;
}

export interface VisibleFamily {
  id: string;
  laId: string;
  name: string;
  /** Only the members the actor may see, children first, then by name. */
  members: FamilyMember[];
  workbook: Workbook | null;
}

/** The :id of a family URL. */
export function familyIdFrom(request: FastifyRequest): string {
  const { id } = request.params as { id: unknown };
  if (!isUuid(id)) throw notFound("Family");
  return id;
}

export async function findVisibleFamily(
  db: Db,
  actor: Actor,
  familyId: string,
  now: Date,
): Promise<VisibleFamily | undefined> {
  const family = await db
    .selectFrom("family as f")
    .leftJoin("workbook as w", "w.family_id", "f.id")
    .leftJoin("app_user as opener", "opener.id", "w.opened_by")
    .select([
      "f.id",
      "f.la_id",
      "f.name",
      "w.id as workbook_id",
      "w.opened_on",
      "opener.display_name as opened_by_name",
      "w.supervision_interval_weeks",
      "w.version",
    ])
    .where("f.id", "=", familyId)
    .where("f.la_id", "=", actor.laId)
    .executeTakeFirst();
  if (!family) return undefined;
  const rows = await db
    .selectFrom("family_member as fm")
    .innerJoin("person as p", "p.id", "fm.person_id")
    .select([
      "p.id",
      sql<string>`p.given_name || ' ' || p.family_name`.as("name"),
      "p.date_of_birth",
      viaBreakGlassOnly(actor, now, "p").as("via_break_glass"),
      healthSharedWith(actor, now, sql.ref("p.id")).as("health_shared"),
    ])
    .where("fm.family_id", "=", familyId)
    .where(personVisible(actor, now, "p"))
    .execute();
  if (rows.length === 0) return undefined;
  const today = todayIn(now);
  const members = rows
    .map((r) => ({
      id: r.id,
      name: r.name,
      dateOfBirth: r.date_of_birth,
      adult: isAdultOn(r.date_of_birth, today),
      viaBreakGlassOnly: r.via_break_glass,
      healthShared: r.health_shared,
    }))
    .sort((a, b) => Number(a.adult) - Number(b.adult) || a.name.localeCompare(b.name));
  const workbook =
    family.workbook_id && family.opened_on
      ? {
          id: family.workbook_id,
          openedOn: family.opened_on,
          openedByName: family.opened_by_name ?? "",
          supervisionIntervalWeeks: family.supervision_interval_weeks ?? 4,
          version: family.version ?? 1,
        }
      : null;
  return { id: family.id, laId: family.la_id, name: family.name, members, workbook };
}

/** The family, or 404 when the actor may see none of its members. Audits the members seen. */
export async function getVisibleFamily(
  ctx: RouteContext,
  familyId: string,
): Promise<VisibleFamily> {
  const family = await findVisibleFamily(ctx.db, actorOf(ctx), familyId, ctx.now);
  if (!family) throw notFound("Family");
  ctx.audit({
    personIds: family.members.map((m) => m.id),
    subjectType: "family",
    subjectId: family.id,
  });
  return family;
}

/** The family's Workbook, or 404 when it has not been opened. */
export function workbookOf(family: VisibleFamily): Workbook {
  if (!family.workbook) throw notFound("Workbook");
  return family.workbook;
}

/** A member the actor may see, by id (404 otherwise: an unseen member is not revealed). */
export function memberOf(family: VisibleFamily, personId: unknown): FamilyMember {
  const member = isUuid(personId) ? family.members.find((m) => m.id === personId) : undefined;
  if (!member) throw notFound("Person");
  return member;
}

/** Signs of Safety maps, supervision and FGCs are the team's working space: LA only. */
export function requireTeamWork(actor: Actor): void {
  if (!maySeeTeamWork(actor)) throw notFound("Page");
}

/**
 * Recording on the family needs sight of at least one member other than through emergency
 * access, which is for reading only.
 */
export function requireRecordable(family: VisibleFamily): void {
  if (!family.members.some((m) => mayAddToRecord(m.viaBreakGlassOnly))) {
    throw new AppError(
      "forbidden",
      "You are seeing this family with emergency access, which is for reading only. Ask the family's team to record this.",
    );
  }
}

export function requireSeeDiscipline(actor: Actor, member: FamilyMember, discipline: string): void {
  if (!maySeeDiscipline(actor, discipline, member)) throw notFound("Page");
}

export function requireWriteDiscipline(
  actor: Actor,
  member: FamilyMember,
  discipline: WorkbookDiscipline | MeasureDiscipline,
): void {
  if (!mayWriteDiscipline(actor, discipline, member)) {
    throw new AppError(
      "forbidden",
      "Only the family's practitioners of this discipline may write this part of the Workbook",
    );
  }
}

/** The disciplines of a member's Workbook sections: a child has one, an adult four. */
export function sectionDisciplines(member: FamilyMember): WorkbookDiscipline[] {
  return member.adult
    ? ["parent", "domestic_abuse", "substance_misuse", "mental_health"]
    : ["child"];
}

/**
 * Family work reaches the children's records: one chronology event on each child the actor
 * sees, in the caller's transaction. Summaries are neutral: no health detail.
 */
export async function recordOnChildren(
  tx: Db,
  actor: Actor,
  family: VisibleFamily,
  event: Omit<ChronologyEvent, "personId">,
): Promise<void> {
  const children = family.members.filter((m) => !m.adult);
  await recordEvents(
    tx,
    actor,
    children.map((child) => ({ ...event, personId: child.id })),
  );
}
