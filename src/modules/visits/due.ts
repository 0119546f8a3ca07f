import { sql } from "kysely";
import { claVisitDue, type ClaVisitRule } from "../../domain/cla-visits.ts";
import {
  currentPlanType,
  isVisitOverdue,
  nextVisitDue,
  visitFrequencies,
  type PlanType,
  type VisitFrequencies,
} from "../../domain/visits.ts";
import type { Db } from "../../platform/database.ts";

/**
 * When each child's next statutory visit is due, for one child (their visits page) or many
 * (the work tray). Six queries whatever the number of children: open CP plans, open CIN
 * plans, the episodes of children looked after now, their looked-after reviews, the LA's
 * frequencies, and each child's last visit at which they were seen. The rules are in
 * src/domain/visits.ts and, for a looked-after child, src/domain/cla-visits.ts (reg. 28).
 */
export interface VisitSchedule {
  personId: string;
  planType: PlanType;
  /** For a looked-after child, the start of the current placement. */
  planStart: string;
  /** The LA's interval for this plan; null for a looked-after child on the regulations alone. */
  workingDays: number | null;
  /** For a looked-after child: the rule of reg. 28 (or the LA's stricter one) that sets it. */
  rule: ClaVisitRule | null;
  lastSeenOn: string | null;
  dueOn: string;
  overdue: boolean;
}

/** The LA's visit frequencies, with the defaults where it has set none. */
export async function laVisitFrequencies(db: Db, laId: string): Promise<VisitFrequencies> {
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
  // Every episode of the children looked after now: the placement may span several.
  const claEpisodes = await db
    .selectFrom("cla_episode as e")
    .select([
      "e.id",
      "e.person_id",
      "e.start_date as startDate",
      "e.end_date as endDate",
      "e.reason_new_episode as reasonNewEpisode",
      "e.legal_status as legalStatus",
      "e.placement_type as placementType",
      "e.placement_provider as placementProvider",
      "e.placement_postcode as placementPostcode",
      "e.reason_ceased as reasonCeased",
    ])
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
    .orderBy("e.start_date")
    .execute();
  const lookedAfter = [...new Set(claEpisodes.map((e) => e.person_id))];
  // Reviews end the weekly visits of reg. 28(3) and (4): only looked-after children's count.
  const reviews = await db
    .selectFrom("cla_review")
    .select(["person_id", "held_on"])
    .where("la_id", "=", laId)
    .where(sql<boolean>`person_id = any(${lookedAfter}::uuid[])`)
    .where("held_on", "<=", today)
    .execute();
  const frequencies = await laVisitFrequencies(db, laId);
  // The latest seen visit; one before the plan started is set aside below.
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
  const episodesOf = groupBy(claEpisodes, (e) => e.person_id);
  const reviewsOf = groupBy(reviews, (r) => r.person_id);
  const schedules: VisitSchedule[] = [];
  for (const personId of ids) {
    const seen = lastSeenOf.get(personId) ?? null;
    const schedule = (planType: "cp" | "cin", planStart: string): VisitSchedule => {
      const lastSeenOn = seen !== null && seen >= planStart ? seen : null;
      const dueOn = nextVisitDue(planStart, lastSeenOn, frequencies[planType]);
      const overdue = isVisitOverdue(dueOn, today);
      const workingDays = frequencies[planType];
      return { personId, planType, planStart, workingDays, rule: null, lastSeenOn, dueOn, overdue };
    };
    const cla = claVisitDue({
      episodes: episodesOf.get(personId) ?? [],
      reviewsHeldOn: (reviewsOf.get(personId) ?? []).map((r) => r.held_on),
      lastSeenOn: seen,
      localWorkingDays: frequencies.cla,
    });
    const cp = cpStart.get(personId);
    const cin = cinStart.get(personId);
    // A child protection plan and looked after may both be open: each sets a most, so the
    // earlier due date governs (the statutory visit is never put off by the CP standard).
    const candidates: VisitSchedule[] = [];
    if (cp) candidates.push(schedule("cp", cp));
    if (cla) {
      const lastSeenOn = seen !== null && seen >= cla.placementStart ? seen : null;
      candidates.push({
        personId,
        planType: "cla",
        planStart: cla.placementStart,
        workingDays: frequencies.cla,
        rule: cla.rule,
        lastSeenOn,
        dueOn: cla.dueOn,
        overdue: isVisitOverdue(cla.dueOn, today),
      });
    }
    // A CIN plan left open beside a CP plan or care is a leftover: it sets nothing then.
    if (candidates.length === 0 && cin) candidates.push(schedule("cin", cin));
    const governing = candidates.reduce<VisitSchedule | null>(
      (a, b) => (a === null || b.dueOn < a.dueOn ? b : a),
      null,
    );
    if (governing) schedules.push(governing);
  }
  return schedules;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
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
