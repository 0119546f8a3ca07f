/** Kysely's view of migrations/029_care_leavers.sql (care leavers, decision 0038). Kept by hand. */
import type { ColumnType, Generated } from "kysely";

/** yyyy-mm-dd, as the pg and PGlite drivers are set to read a date. */
type CalendarDate = string;
/** timestamptz with a default: optional on insert. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CareLeaverStatusTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  status: string;
  effective_on: CalendarDate;
  derived_status: string | null;
  reason: Generated<string>;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
}

export interface PersonalAdviserTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  adviser_id: string;
  start_date: CalendarDate;
  end_date: CalendarDate | null;
  recorded_by: string;
}

export interface PathwayPlanTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  agreed_on: CalendarDate;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
}

export interface PathwayPlanReviewTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  pathway_plan_id: string;
  held_on: CalendarDate;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
}

export interface CareLeaverContactTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  contact_on: CalendarDate;
  birthday_age: number;
  in_touch: string;
  activity: string | null;
  accommodation: string | null;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
}

export interface CareLeaverTables {
  care_leaver_status: CareLeaverStatusTable;
  personal_adviser: PersonalAdviserTable;
  pathway_plan: PathwayPlanTable;
  pathway_plan_review: PathwayPlanReviewTable;
  care_leaver_contact: CareLeaverContactTable;
}
