import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { maySeeDiscipline } from "../../access/family.ts";
import { todayIn } from "../../domain/dates.ts";
import {
  practiceRoleLabels,
  practiceRoleOf,
  type PracticeRole,
} from "../../domain/family-safeguarding.ts";
import type { Role } from "../../access/permissions.ts";
import type { Db } from "../../platform/database.ts";
import type { VisibleFamily } from "./family.ts";

/**
 * Which discipline an adult specialist's allocation reveals: that someone works with a mental
 * health or recovery worker is itself health information, so it follows the same rule.
 */
const roleDiscipline: Partial<Record<PracticeRole, string>> = {
  recovery_worker: "substance_misuse",
  mental_health_practitioner: "mental_health",
};

export interface FamilyWorker {
  personId: string;
  workerId: string;
  workerName: string;
  practiceRole: string;
  teamName: string;
  startDate: string;
}

/** The workers allocated now to the members the actor sees, with their practice roles. */
export async function familyWorkers(
  db: Db,
  actor: Actor,
  family: VisibleFamily,
  now: Date,
): Promise<FamilyWorker[]> {
  const ids = family.members.map((m) => m.id);
  if (ids.length === 0) return [];
  const today = todayIn(now);
  const rows = await db
    .selectFrom("allocation as a")
    .innerJoin("app_user as u", "u.id", "a.worker_id")
    .innerJoin("team as t", "t.id", "a.team_id")
    .leftJoin("team_member as tm", (join) =>
      join.onRef("tm.team_id", "=", "a.team_id").onRef("tm.user_id", "=", "a.worker_id"),
    )
    .select([
      "a.person_id",
      "a.worker_id",
      "a.start_date",
      "u.display_name",
      "u.role",
      "t.name as team_name",
      "tm.practice_role",
    ])
    .where("a.person_id", "in", ids)
    .where("a.la_id", "=", actor.laId)
    .where(sql<boolean>`(a.end_date is null or a.end_date > ${today})`)
    .orderBy("a.start_date")
    .execute();
  return rows.flatMap((r) => {
    const practiceRole = practiceRoleOf(r.practice_role, r.role as Role);
    const member = family.members.find((m) => m.id === r.person_id);
    const discipline = practiceRole ? roleDiscipline[practiceRole] : undefined;
    if (!member || (discipline && !maySeeDiscipline(actor, discipline, member))) return [];
    return [
      {
        personId: r.person_id,
        workerId: r.worker_id,
        workerName: r.display_name,
        practiceRole: practiceRole ? practiceRoleLabels[practiceRole] : "",
        teamName: r.team_name,
        startDate: r.start_date,
      },
    ];
  });
}

export function sectionsOf(db: Db, workbookId: string) {
  return db
    .selectFrom("workbook_section as s")
    .innerJoin("app_user as u", "u.id", "s.updated_by")
    .select([
      "s.id",
      "s.person_id",
      "s.discipline",
      "s.body",
      "s.version",
      "s.updated_at",
      "u.display_name as updated_by_name",
    ])
    .where("s.workbook_id", "=", workbookId)
    .execute();
}

/** Every text the section has had, newest first, with who wrote it and for which agency. */
export function sectionRevisions(db: Db, sectionId: string) {
  return db
    .selectFrom("workbook_section_revision as r")
    .innerJoin("app_user as u", "u.id", "r.written_by")
    .innerJoin("organisation as o", "o.id", "r.organisation_id")
    .select([
      "r.version",
      "r.body",
      "r.written_at",
      "u.display_name as written_by_name",
      "o.name as agency",
    ])
    .where("r.section_id", "=", sectionId)
    .orderBy("r.version", "desc")
    .execute();
}
