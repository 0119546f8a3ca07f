/**
 * Reads of scored measures and their alerts for one Workbook. Callers pass only the ids of
 * members the actor may see (from getVisibleFamily) and then filter by discipline with
 * maySeeDiscipline, so nothing here decides access on its own.
 */
import type { MeasureDiscipline } from "../../domain/family-safeguarding.ts";
import type { Db } from "../../platform/database.ts";

export interface MeasureResultRow {
  id: string;
  person_id: string;
  instrument_code: string;
  instrument_version: string;
  discipline: MeasureDiscipline;
  administered_on: string;
  answers: Record<string, number>;
  total: number;
  computed_level: string;
  judged_level: string;
  judgement_reason: string | null;
  goal: string | null;
  recorded_by_name: string;
  organisation_name: string;
  recorded_at: Date;
}

function resultQuery(db: Db, workbookId: string) {
  return db
    .selectFrom("measure_result as r")
    .innerJoin("app_user as u", "u.id", "r.recorded_by")
    .innerJoin("organisation as o", "o.id", "r.organisation_id")
    .select([
      "r.id",
      "r.person_id",
      "r.instrument_code",
      "r.instrument_version",
      "r.discipline",
      "r.administered_on",
      "r.answers",
      "r.total",
      "r.computed_level",
      "r.judged_level",
      "r.judgement_reason",
      "r.goal",
      "u.display_name as recorded_by_name",
      "o.name as organisation_name",
      "r.recorded_at",
    ])
    .where("r.workbook_id", "=", workbookId);
}

/** Every scoring of the given people on the Workbook, oldest first. */
export async function resultsOf(
  db: Db,
  workbookId: string,
  personIds: readonly string[],
): Promise<MeasureResultRow[]> {
  if (personIds.length === 0) return [];
  return resultQuery(db, workbookId)
    .where("r.person_id", "in", personIds)
    .orderBy("r.administered_on")
    .orderBy("r.recorded_at")
    .orderBy("r.id")
    .execute();
}

export async function resultById(
  db: Db,
  workbookId: string,
  resultId: string,
): Promise<MeasureResultRow | undefined> {
  return resultQuery(db, workbookId).where("r.id", "=", resultId).executeTakeFirst();
}

export interface AlertRow {
  id: string;
  measure_result_id: string;
  person_id: string;
  code: string;
  message: string;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledgement: string | null;
  acknowledged_by_name: string | null;
  discipline: MeasureDiscipline;
  instrument_code: string;
  instrument_version: string;
  administered_on: string;
}

function alertQuery(db: Db, workbookId: string) {
  return db
    .selectFrom("measure_alert as al")
    .innerJoin("measure_result as r", "r.id", "al.measure_result_id")
    .leftJoin("app_user as ack", "ack.id", "al.acknowledged_by")
    .select([
      "al.id",
      "al.measure_result_id",
      "al.person_id",
      "al.code",
      "al.message",
      "al.raised_at",
      "al.acknowledged_at",
      "al.acknowledgement",
      "ack.display_name as acknowledged_by_name",
      "r.discipline",
      "r.instrument_code",
      "r.instrument_version",
      "r.administered_on",
    ])
    .where("al.workbook_id", "=", workbookId);
}

/** Unacknowledged alerts about the given people, oldest first. */
export async function openAlertsOf(
  db: Db,
  workbookId: string,
  personIds: readonly string[],
): Promise<AlertRow[]> {
  if (personIds.length === 0) return [];
  return alertQuery(db, workbookId)
    .where("al.person_id", "in", personIds)
    .where("al.acknowledged_at", "is", null)
    .orderBy("al.raised_at")
    .orderBy("al.id")
    .execute();
}

export async function alertsOfResult(
  db: Db,
  workbookId: string,
  resultId: string,
): Promise<AlertRow[]> {
  return alertQuery(db, workbookId)
    .where("al.measure_result_id", "=", resultId)
    .orderBy("al.raised_at")
    .orderBy("al.id")
    .execute();
}

export async function alertById(
  db: Db,
  workbookId: string,
  alertId: string,
): Promise<AlertRow | undefined> {
  return alertQuery(db, workbookId).where("al.id", "=", alertId).executeTakeFirst();
}

/** Goals this person's readiness has been scaled against before, for the form's hint. */
export async function earlierGoals(
  db: Db,
  workbookId: string,
  personId: string,
  code: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("measure_result")
    .select("goal")
    .distinct()
    .where("workbook_id", "=", workbookId)
    .where("person_id", "=", personId)
    .where("instrument_code", "=", code)
    .where("goal", "is not", null)
    .orderBy("goal")
    .execute();
  return rows.flatMap((r) => (r.goal ? [r.goal] : []));
}
