/**
 * Open measure alerts for the work tray: an alert (e.g. thoughts of self-harm on PHQ-9) stays on
 * the trays of the family's allocated workers until one of them acknowledges it.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { maySeeDiscipline } from "../../access/family.ts";
import { isLaPractitioner, personVisible, viaBreakGlassOnly } from "../../access/visibility.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";

export interface OpenMeasureAlert {
  personId: string;
  personName: string;
  workerName: string;
  familyId: string;
  raisedOn: string;
  href: string;
}

/**
 * Unacknowledged alerts on the Workbooks of families where a member is allocated now to the
 * actor ("mine") or to one of the actor's teams ("team"), about people the actor may see and
 * whose measure's discipline they may see. `workerName` is the allocated worker's name; where
 * several are allocated, a social worker or manager (the family's lead) comes first.
 */
export async function openMeasureAlerts(
  db: Db,
  actor: Actor,
  scope: "mine" | "team",
  today: string,
): Promise<OpenMeasureAlert[]> {
  if (!isLaPractitioner(actor)) return [];
  if (scope === "team" && actor.teamIds.length === 0) return [];
  // Visibility rules take an instant; midday UTC falls on `today` in London all year round.
  const now = new Date(`${today}T12:00:00Z`);
  const allocatedTo =
    scope === "mine"
      ? sql`a.worker_id = ${actor.userId}`
      : sql`a.team_id = any(${actor.teamIds}::uuid[])`;
  const rows = await db
    .selectFrom("measure_alert as al")
    .innerJoin("measure_result as r", "r.id", "al.measure_result_id")
    .innerJoin("workbook as w", "w.id", "al.workbook_id")
    .innerJoin("person as p", "p.id", "al.person_id")
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom("allocation as a")
          .innerJoin("family_member as fm", "fm.person_id", "a.person_id")
          .innerJoin("app_user as u", "u.id", "a.worker_id")
          .select("u.display_name as worker_name")
          .whereRef("fm.family_id", "=", "w.family_id")
          .where("a.la_id", "=", actor.laId)
          .where((e) => e.or([e("a.end_date", "is", null), e("a.end_date", ">", today)]))
          .where(sql<boolean>`${allocatedTo}`)
          .orderBy(sql`u.role in ('social_worker', 'team_manager')`, "desc")
          .orderBy("u.display_name")
          .limit(1)
          .as("lead"),
      (join) => join.onTrue(),
    )
    .select([
      "al.id",
      "al.measure_result_id",
      "al.person_id",
      "al.raised_at",
      "r.discipline",
      "w.family_id",
      sql<string>`p.given_name || ' ' || p.family_name`.as("person_name"),
      "lead.worker_name",
      viaBreakGlassOnly(actor, now, "p").as("via_break_glass"),
    ])
    .where("al.la_id", "=", actor.laId)
    .where("al.acknowledged_at", "is", null)
    .where(personVisible(actor, now, "p"))
    .orderBy("al.raised_at")
    .orderBy("al.id")
    .execute();
  return rows
    .filter((r) =>
      maySeeDiscipline(actor, r.discipline, {
        viaBreakGlassOnly: r.via_break_glass,
        healthShared: false,
      }),
    )
    .map((r) => ({
      personId: r.person_id,
      personName: r.person_name,
      workerName: r.worker_name,
      familyId: r.family_id,
      raisedOn: todayIn(r.raised_at),
      href: `/families/${r.family_id}/workbook/measures/${r.measure_result_id}#alert-${r.id}`,
    }));
}
