/** Kysely's view of migrations/004_family_safeguarding.sql. Kept by hand. */
import type { ColumnType, Generated } from "kysely";
import type {
  Consent,
  MeasureDiscipline,
  PlanProgress,
  WorkbookDiscipline,
} from "../domain/family-safeguarding.ts";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a default: optional on insert, settable on update. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Calendar date as 'YYYY-MM-DD'. */
type CalendarDate = string;
/** jsonb: written as a JSON string, read back as the value. */
type Json<T> = ColumnType<T, string, string>;

export interface WorkbookTable {
  id: Generated<string>;
  la_id: string;
  family_id: string;
  opened_on: CalendarDate;
  opened_by: string;
  supervision_interval_weeks: Generated<number>;
  version: Generated<number>;
  created_at: Generated<Date>;
}

export interface WorkbookSectionTable {
  id: Generated<string>;
  la_id: string;
  workbook_id: string;
  person_id: string;
  discipline: WorkbookDiscipline;
  body: string;
  version: Generated<number>;
  updated_by: string;
  updated_at: DefaultedTimestamp;
}

export interface WorkbookSectionRevisionTable {
  id: Generated<string>;
  la_id: string;
  section_id: string;
  version: number;
  body: string;
  written_by: string;
  organisation_id: string;
  written_at: Generated<Date>;
}

export interface MeasureInstrumentTable {
  id: Generated<string>;
  la_id: string;
  code: string;
  version: string;
  discipline: MeasureDiscipline;
  definition: Json<unknown>;
  active: Generated<boolean>;
  added_by: string;
  added_at: Generated<Date>;
}

export interface MeasureResultTable {
  id: Generated<string>;
  la_id: string;
  workbook_id: string;
  person_id: string;
  instrument_code: string;
  instrument_version: string;
  discipline: MeasureDiscipline;
  administered_on: CalendarDate;
  answers: Json<Record<string, number>>;
  total: number;
  computed_level: string;
  judged_level: string;
  judgement_reason: string | null;
  goal: string | null;
  recorded_by: string;
  organisation_id: string;
  recorded_at: Generated<Date>;
}

export interface MeasureAlertTable {
  id: Generated<string>;
  la_id: string;
  measure_result_id: string;
  workbook_id: string;
  person_id: string;
  code: string;
  message: string;
  raised_at: DefaultedTimestamp;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
  acknowledgement: string | null;
}

export interface SosMapTable {
  id: Generated<string>;
  la_id: string;
  workbook_id: string;
  version_no: number;
  mapped_on: CalendarDate;
  worries: string;
  working_well: string;
  needs_to_happen: string;
  danger_statement: string;
  safety_statement: string;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface SosScalingTable {
  id: Generated<string>;
  la_id: string;
  map_id: string;
  position: number;
  participant: string;
  is_family: boolean;
  score: number;
}

export interface FamilyPlanTable {
  id: Generated<string>;
  la_id: string;
  workbook_id: string;
  child_views: Generated<string>;
  parent_views: Generated<string>;
  consent: Generated<Consent>;
  consent_given_by: string | null;
  consent_recorded_on: CalendarDate | null;
  version: Generated<number>;
  updated_by: string;
  updated_at: DefaultedTimestamp;
}

export interface FamilyPlanGoalTable {
  id: Generated<string>;
  la_id: string;
  plan_id: string;
  person_id: string;
  goal: string;
  created_by: string;
  created_at: Generated<Date>;
}

export interface FamilyPlanActionTable {
  id: Generated<string>;
  la_id: string;
  goal_id: string;
  action: string;
  owner_user_id: string | null;
  owner_organisation_id: string | null;
  due_on: CalendarDate;
  progress: Generated<PlanProgress>;
  progress_note: Generated<string>;
  version: Generated<number>;
  updated_by: string;
  updated_at: DefaultedTimestamp;
}

export interface GroupSupervisionTable {
  id: Generated<string>;
  la_id: string;
  workbook_id: string;
  scheduled_for: CalendarDate;
  held_on: CalendarDate | null;
  hypothesis: Generated<string>;
  what_changed: Generated<string>;
  risk_analysis: Generated<string>;
  discussion_recorded_by: string | null;
  version: Generated<number>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface GroupSupervisionAttendeeTable {
  supervision_id: string;
  user_id: string;
}

export interface SupervisionDecisionTable {
  id: Generated<string>;
  la_id: string;
  supervision_id: string;
  decision: string;
  decided_by: string;
  recorded_at: Generated<Date>;
}

export interface SupervisionActionTable {
  id: Generated<string>;
  la_id: string;
  supervision_id: string;
  action: string;
  owner_user_id: string;
  due_on: CalendarDate;
  completed_on: CalendarDate | null;
  completed_by: string | null;
  version: Generated<number>;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface FamilyGroupConferenceTable {
  id: Generated<string>;
  la_id: string;
  workbook_id: string;
  referred_on: CalendarDate;
  reason: string;
  coordinator: string;
  network_invited: Generated<string>;
  network_attended: Generated<string>;
  held_on: CalendarDate | null;
  plan_agreed: boolean | null;
  family_plan: Generated<string>;
  review_on: CalendarDate | null;
  referred_by: string;
  version: Generated<number>;
  updated_at: DefaultedTimestamp;
}

export interface FamilyTables {
  workbook: WorkbookTable;
  workbook_section: WorkbookSectionTable;
  workbook_section_revision: WorkbookSectionRevisionTable;
  measure_instrument: MeasureInstrumentTable;
  measure_result: MeasureResultTable;
  measure_alert: MeasureAlertTable;
  sos_map: SosMapTable;
  sos_scaling: SosScalingTable;
  family_plan: FamilyPlanTable;
  family_plan_goal: FamilyPlanGoalTable;
  family_plan_action: FamilyPlanActionTable;
  group_supervision: GroupSupervisionTable;
  group_supervision_attendee: GroupSupervisionAttendeeTable;
  supervision_decision: SupervisionDecisionTable;
  supervision_action: SupervisionActionTable;
  family_group_conference: FamilyGroupConferenceTable;
}
