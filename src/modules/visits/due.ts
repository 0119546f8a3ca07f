import { sql } from "kysely";
import {
  currentPlanType,
  isVisitOverdue,
  nextVisitDue,
  periodOfCareStart,
  visitFrequencies,
  type PlanType,
} from "../../domain/visits.ts";
import type { Db } from "../../platform/database.ts";

/**
 * When each child's next statutory visit is due, for one child (their visits page) or many
 * (the work tray). Five queries whatever the number of children: open CP plans, open CIN
 * plans, the episodes of children looked after now, the LA's frequencies, and each child's
 * last visit at which they were seen. The rules are in src/domain/visits.ts.
 */
export interface VisitSchedule {
  personId: string;
  planType: PlanType;
  planStart: string;
  workingDays: number;
  lastSeenOn: string | null;
  dueOn: string;
  overdue: boolean;
}

/** The LA's visit frequencies, with the defaults where it has set none. */
export async function laVisitFrequencies(db: Db, laId: string): Promise<Record<PlanType, number>> {
  const rows = await db
    .selectFrom("visit_frequency")
    .select(["plan_type", "working_days"])
    .where("la_id", "=", laId)
    .execute();
  return visitFrequencies(rows);
}

export async function visitSchedules(
  db: Db,
  laId: string,
  personIds: readonly string[],
  today: string,
): Promise<VisitSchedule[]> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return [];
  const among = sql<boolean>`person_id = any(${ids}::uuid[])`;
  const cpPlans = await db
    .selectFrom("cp_plan")
    .select(["person_id", "start_date"])
    .where("la_id", "=", laId)
    .where("end_date", "is", null)
    .where(among)
    .execute();
  const cinPlans = await db
    .selectFrom("cin_plan")
    .select(["person_id", "start_date"])
    .where("la_id", "=", laId)
    .where("end_date", "is", null)
    .where(among)
    .execute();
  // Every episode of the children looked after now: the period of care may span several.
  const claEpisodes = await db
    .selectFrom("cla_episode as e")
    .select(["e.person_id", "e.start_date", "e.end_date"])
    .where("e.la_id", "=", laId)
    .where(sql<boolean>`e.person_id = any(${ids}::uuid[])`)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("cla_episode as o")
          .select("o.id")
          .whereRef("o.person_id", "=", "e.person_id")
          .where("o.end_date", "is", null),
      ),
    )
    .execute();
  const frequencies = await laVisitFrequencies(db, laId);
  // The latest seen visit; one before the plan started is set aside by nextVisitDue.
  const lastSeen = await db
    .selectFrom("visit")
    .select(["person_id", (eb) => eb.fn.max("visited_on").as("last_seen")])
    .where("la_id", "=", laId)
    .where("seen", "=", true)
    .where(among)
    .groupBy("person_id")
    .execute();

  const cpStart = new Map(cpPlans.map((p) => [p.person_id, p.start_date]));
  const cinStart = new Map(cinPlans.map((p) => [p.person_id, p.start_date]));
  const lastSeenOf = new Map(lastSeen.map((v) => [v.person_id, v.last_seen]));
  const episodesOf = new Map<string, typeof claEpisodes>();
  for (const e of claEpisodes)
    episodesOf.set(e.person_id, [...(episodesOf.get(e.person_id) ?? []), e]);
  const schedules: VisitSchedule[] = [];
  for (const personId of ids) {
    const claStart = periodOfCareStart(episodesOf.get(personId) ?? []);
    const planType = currentPlanType({
      cpOpen: cpStart.has(personId),
      claOpen: claStart !== null,
      cinOpen: cinStart.has(personId),
    });
    if (!planType) continue;
    const planStart = { cp: cpStart.get(personId), cla: claStart, cin: cinStart.get(personId) }[
      planType
    ];
    if (!planStart) continue;
    const seen = lastSeenOf.get(personId) ?? null;
    const lastSeenOn = seen !== null && seen >= planStart ? seen : null;
    const dueOn = nextVisitDue(planStart, lastSeenOn, frequencies[planType]);
    schedules.push({
      personId,
      planType,
      planStart,
      workingDays: frequencies[planType],
      lastSeenOn,
      dueOn,
      overdue: isVisitOverdue(dueOn, today),
    });
  }
  return schedules;
}

/**
 * For the work tray: the next statutory visit of each of these children who is on a plan,
 * with whether it is overdue today. Children on no plan are left out.
 */
export async function visitsDue(
  db: Db,
  laId: string,
  personIds: readonly string[],
  today: string,
): Promise<{ personId: string; planType: PlanType; dueOn: string; overdue: boolean }[]> {
  const schedules = await visitSchedules(db, laId, personIds, today);
  return schedules.map(({ personId, planType, dueOn, overdue }) => ({
    personId,
    planType,
    dueOn,
    overdue,
  }));
}

/**
 * The plan a child was on on a date (the governing one if several), or null: what a visit on
 * that date was made under. A plan is open on the day it ends.
 */
export async function planTypeOn(db: Db, personId: string, date: string): Promise<PlanType | null> {
  const openOn = (table: "cp_plan" | "cla_episode" | "cin_plan") =>
    sql<boolean>`exists (select 1 from ${sql.table(table)} p where p.person_id = ${personId}
      and p.start_date <= ${date} and (p.end_date is null or p.end_date >= ${date}))`;
  const row = await db
    .selectNoFrom([
      openOn("cp_plan").as("cp"),
      openOn("cla_episode").as("cla"),
      openOn("cin_plan").as("cin"),
    ])
    .executeTakeFirstOrThrow();
  return currentPlanType({ cpOpen: row.cp, claOpen: row.cla, cinOpen: row.cin });
}
