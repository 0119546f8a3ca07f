/** Kysely's view of migrations/005_contextual_safeguarding.sql. Kept by hand. */
import type { ColumnType, Generated } from "kysely";
import type { ScreeningLevel } from "../domain/exploitation.ts";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Calendar date as 'YYYY-MM-DD'. */
type CalendarDate = string;
/** numeric: read back as a string by the driver; written as a number or string. */
type Numeric = ColumnType<string, number | string, number | string>;

export interface ExploitationScreeningTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  screened_on: CalendarDate;
  indicators: string[];
  harm_types: string[];
  computed_level: ScreeningLevel;
  judged_level: ScreeningLevel;
  judgement_reason: string | null;
  notes: Generated<string>;
  recorded_by: string;
  organisation_id: string;
  recorded_at: Generated<Date>;
}

export interface SafetyPlanTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  version_no: number;
  in_their_words: string;
  trusted_adults: string;
  safe_places: string;
  what_to_do_if: string;
  agreed_on: CalendarDate | null;
  agreed_with_young_person: boolean;
  review_on: CalendarDate;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface PersonOfConcernTable {
  id: Generated<string>;
  la_id: string;
  name: string;
  aliases: Generated<string>;
  age_band: string;
  description: Generated<string>;
  risk_level: Generated<string>;
  source_organisation_id: string;
  share_with_partners: Generated<boolean>;
  recorded_by: string;
  recorded_at: Generated<Date>;
  version: Generated<number>;
}

export interface LocationTable {
  id: Generated<string>;
  la_id: string;
  name: string;
  kind: string;
  ward: Generated<string>;
  latitude: Numeric | null;
  longitude: Numeric | null;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface PeerGroupTable {
  id: Generated<string>;
  la_id: string;
  name: string;
  description: Generated<string>;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface AssociationTable {
  id: Generated<string>;
  la_id: string;
  child_id: string;
  other_child_id: string | null;
  person_of_concern_id: string | null;
  location_id: string | null;
  peer_group_id: string | null;
  first_seen_on: CalendarDate;
  last_seen_on: CalendarDate | null;
  source_organisation_id: string;
  source_grading: string;
  information_grading: string;
  corroborated: Generated<boolean>;
  share_with_partners: Generated<boolean>;
  notes: Generated<string>;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface NetworkAlertTable {
  id: Generated<string>;
  la_id: string;
  association_id: string;
  person_id: string;
  message: string;
  raised_at: Generated<Date>;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
}

export interface ContextTables {
  exploitation_screening: ExploitationScreeningTable;
  safety_plan: SafetyPlanTable;
  person_of_concern: PersonOfConcernTable;
  location: LocationTable;
  peer_group: PeerGroupTable;
  association: AssociationTable;
  network_alert: NetworkAlertTable;
}
