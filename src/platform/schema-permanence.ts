/** Kysely's view of migrations/032_adoption_outcomes_permanence.sql (decision 0042). Kept by hand. */
import type { ColumnType, Generated } from "kysely";

/** yyyy-mm-dd, as the pg and PGlite drivers are set to read a date. */
type CalendarDate = string;
/** timestamptz with a default: optional on insert. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ClaOutcomesTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  collection_year: string;
  sdq_score: number | null;
  sdq_reason: string | null;
  convicted: boolean | null;
  health_check: boolean | null;
  immunisations: boolean | null;
  teeth_check: boolean | null;
  health_assessment: boolean | null;
  substance_misuse: boolean | null;
  intervention_received: boolean | null;
  intervention_offered: boolean | null;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
}

export interface AdoptionTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  best_interest_on: CalendarDate;
  placement_order_on: CalendarDate | null;
  matched_on: CalendarDate | null;
  foster_care: boolean | null;
  number_of_adopters: number | null;
  sex_of_adopters: string | null;
  legal_status_of_adopters: string | null;
  adopted_on: CalendarDate | null;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
}

export interface AdoptionDecisionTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  decided_on: CalendarDate;
  placed_on: CalendarDate | null;
  ceased_on: CalendarDate | null;
  ceased_reason: string | null;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface PreviousPermanenceTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  prev_perm: string;
  la_perm: string | null;
  perm_year: number | null;
  perm_month: number | null;
  perm_day: number | null;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
}

export interface PermanenceTables {
  cla_outcomes: ClaOutcomesTable;
  adoption: AdoptionTable;
  adoption_decision: AdoptionDecisionTable;
  previous_permanence: PreviousPermanenceTable;
}
