/** Kysely's view of migrations/005_contextual_safeguarding.sql. Kept by hand. */
import type { ColumnType, Generated } from "kysely";
import type { Indicator, ScreeningLevel } from "../domain/exploitation.ts";

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

export interface IncidentTable {
  id: Generated<string>;
  la_id: string;
  kind: string;
  occurred_on: CalendarDate;
  location_id: string | null;
  description: Generated<string>;
  source_organisation_id: string;
  share_with_partners: Generated<boolean>;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface IncidentSubjectTable {
  id: Generated<string>;
  incident_id: string;
  person_id: string | null;
  person_of_concern_id: string | null;
}

export interface ContextCaseTable {
  id: Generated<string>;
  la_id: string;
  kind: "peer_group" | "location" | "school";
  peer_group_id: string | null;
  location_id: string | null;
  school_organisation_id: string | null;
  referred_on: CalendarDate;
  referral_reason: string;
  referred_by: string;
  assessment: Generated<string>;
  assessed_on: CalendarDate | null;
  assessed_by: string | null;
  closed_on: CalendarDate | null;
  version: Generated<number>;
  recorded_at: Generated<Date>;
}

export interface ContextActionTable {
  id: Generated<string>;
  la_id: string;
  context_id: string;
  action: string;
  owner_organisation_id: string;
  due_on: CalendarDate;
  progress: Generated<string>;
  progress_note: Generated<string>;
  version: Generated<number>;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface ContextReviewTable {
  id: Generated<string>;
  la_id: string;
  context_id: string;
  reviewed_on: CalendarDate;
  summary: string;
  next_review_on: CalendarDate | null;
  reviewed_by: string;
  recorded_at: Generated<Date>;
}

export interface PanelTable {
  id: Generated<string>;
  la_id: string;
  kind: "mace" | "masp";
  name: string;
}

export interface PanelMeetingTable {
  id: Generated<string>;
  la_id: string;
  panel_id: string;
  meets_on: CalendarDate;
  chair: Generated<string>;
  recorded_by: string;
  recorded_at: Generated<Date>;
  version: Generated<number>;
}

export interface PanelAttendeeTable {
  id: Generated<string>;
  meeting_id: string;
  organisation_id: string;
  name: string;
}

export interface PanelAgendaItemTable {
  id: Generated<string>;
  la_id: string;
  meeting_id: string;
  person_id: string | null;
  context_id: string | null;
  reason: string;
  added_by: string;
  added_at: Generated<Date>;
}

export interface PanelDecisionTable {
  id: Generated<string>;
  la_id: string;
  agenda_item_id: string;
  decision: string;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface PanelActionTable {
  id: Generated<string>;
  la_id: string;
  agenda_item_id: string;
  action: string;
  owner_organisation_id: string;
  due_on: CalendarDate;
  done_on: CalendarDate | null;
  version: Generated<number>;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface ExploitationChecklistTable {
  la_id: string;
  /** jsonb: written as a JSON string, read back as the list. */
  indicators: ColumnType<Indicator[], string, string>;
  version: Generated<number>;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ContextTables {
  exploitation_screening: ExploitationScreeningTable;
  safety_plan: SafetyPlanTable;
  person_of_concern: PersonOfConcernTable;
  location: LocationTable;
  peer_group: PeerGroupTable;
  association: AssociationTable;
  network_alert: NetworkAlertTable;
  incident: IncidentTable;
  incident_subject: IncidentSubjectTable;
  context_case: ContextCaseTable;
  context_action: ContextActionTable;
  context_review: ContextReviewTable;
  panel: PanelTable;
  panel_meeting: PanelMeetingTable;
  panel_attendee: PanelAttendeeTable;
  panel_agenda_item: PanelAgendaItemTable;
  panel_decision: PanelDecisionTable;
  panel_action: PanelActionTable;
  exploitation_checklist: ExploitationChecklistTable;
}
