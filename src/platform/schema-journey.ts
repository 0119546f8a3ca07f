/** Kysely's view of migrations/003_journey.sql (the statutory journey). Kept by hand. */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Calendar date as 'YYYY-MM-DD'. */
type CalendarDate = string;

export type ContactDecision =
  "no_further_action" | "early_help" | "assessment" | "strategy_discussion";

export interface ContactTable {
  id: Generated<string>;
  la_id: string;
  received_on: CalendarDate;
  source: string;
  referrer: Generated<string>;
  reasons: string;
  decision_due_on: CalendarDate;
  decision: ContactDecision | null;
  decision_reason: string | null;
  decided_on: CalendarDate | null;
  decided_by: string | null;
  recorded_by: string;
  recorded_at: Generated<Date>;
  version: Generated<number>;
}

export interface ContactChildTable {
  contact_id: string;
  person_id: string;
  la_id: string;
  referral_id: string | null;
}

export interface ReferralTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  contact_id: string | null;
  referral_date: CalendarDate;
  source: string;
  primary_need: string | null;
  closed_on: CalendarDate | null;
  closure_reason: string | null;
  opened_by: string;
  closed_by: string | null;
  version: Generated<number>;
}

export type AssessmentOutcome =
  "no_further_action" | "early_help" | "cin_plan" | "strategy_discussion" | "looked_after";

export interface AssessmentTable {
  id: Generated<string>;
  la_id: string;
  referral_id: string;
  person_id: string;
  started_on: CalendarDate;
  due_on: CalendarDate;
  submitted_on: CalendarDate | null;
  factors: Generated<string[]>;
  outcome: AssessmentOutcome | null;
  analysis: Generated<string>;
  authorised_on: CalendarDate | null;
  authorised_by: string | null;
  recorded_by: string;
  version: Generated<number>;
}

export interface StrategyDiscussionTable {
  id: Generated<string>;
  la_id: string;
  referral_id: string;
  person_id: string;
  held_on: CalendarDate;
  concerns: string;
  outcome: "s47" | "no_s47";
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface StrategyAttendeeTable {
  id: Generated<string>;
  la_id: string;
  strategy_discussion_id: string;
  agency_kind: string;
  name: string;
  role: Generated<string>;
}

export interface S47EnquiryTable {
  id: Generated<string>;
  la_id: string;
  referral_id: string;
  person_id: string;
  strategy_discussion_id: string;
  started_on: CalendarDate;
  icpc_due_on: CalendarDate;
  completed_on: CalendarDate | null;
  outcome: "icpc" | "no_icpc" | null;
  findings: Generated<string>;
  recorded_by: string;
  version: Generated<number>;
}

export interface CpConferenceTable {
  id: Generated<string>;
  la_id: string;
  referral_id: string;
  person_id: string;
  kind: "initial" | "review";
  s47_enquiry_id: string | null;
  cp_plan_id: string | null;
  held_on: CalendarDate;
  due_on: CalendarDate;
  decision: "plan" | "no_plan" | "continue" | "end";
  category: string | null;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface CpPlanTable {
  id: Generated<string>;
  la_id: string;
  referral_id: string;
  person_id: string;
  icpc_id: string;
  start_date: CalendarDate;
  initial_category: string;
  latest_category: string;
  next_review_due: CalendarDate | null;
  end_date: CalendarDate | null;
  end_reason: string | null;
  version: Generated<number>;
}

export interface CoreGroupTable {
  id: Generated<string>;
  la_id: string;
  cp_plan_id: string;
  person_id: string;
  held_on: CalendarDate;
  recorded_by: string;
}

export interface CinPlanTable {
  id: Generated<string>;
  la_id: string;
  referral_id: string;
  person_id: string;
  start_date: CalendarDate;
  end_date: CalendarDate | null;
  version: Generated<number>;
}

export type EarlyHelpEndReason = "needs_met" | "stepped_up" | "disengaged" | "moved_away" | "other";

export interface EarlyHelpEpisodeTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  contact_id: string | null;
  stepped_down_from: string | null;
  start_date: CalendarDate;
  end_date: CalendarDate | null;
  end_reason: EarlyHelpEndReason | null;
  recorded_by: string;
  version: Generated<number>;
}

export interface ClaEpisodeTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  referral_id: string | null;
  start_date: CalendarDate;
  reason_new_episode: string;
  legal_status: string;
  placement_type: string;
  placement_provider: string | null;
  placement_postcode: string | null;
  end_date: CalendarDate | null;
  reason_ceased: string | null;
  recorded_by: string;
  version: Generated<number>;
}

export interface ClaReviewTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  held_on: CalendarDate;
  due_on: CalendarDate;
  participation: string;
  recorded_by: string;
}

export interface MissingEpisodeTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  kind: "M" | "A";
  started_at: Timestamp;
  ended_at: Timestamp | null;
  where_found: Generated<string>;
  interview_offered_at: Timestamp | null;
  interview_accepted: boolean | null;
  interview_held_at: Timestamp | null;
  child_said: Generated<string>;
  recorded_by: string;
  version: Generated<number>;
}

export type PlanType = "cp" | "cin" | "cla";

export interface VisitFrequencyTable {
  la_id: string;
  plan_type: PlanType;
  working_days: number;
}

export interface VisitTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  visited_on: CalendarDate;
  plan_type: PlanType | null;
  seen: boolean;
  seen_alone: boolean;
  child_views: Generated<string>;
  note: Generated<string>;
  visitor_id: string;
  recorded_at: Generated<Date>;
}

export interface CaseNoteTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  occurred_on: CalendarDate;
  note: string;
  author_id: string;
  organisation_id: string;
  recorded_at: Generated<Date>;
}

export interface JourneyTables {
  contact: ContactTable;
  contact_child: ContactChildTable;
  referral: ReferralTable;
  assessment: AssessmentTable;
  strategy_discussion: StrategyDiscussionTable;
  strategy_attendee: StrategyAttendeeTable;
  s47_enquiry: S47EnquiryTable;
  cp_conference: CpConferenceTable;
  cp_plan: CpPlanTable;
  core_group: CoreGroupTable;
  cin_plan: CinPlanTable;
  early_help_episode: EarlyHelpEpisodeTable;
  cla_episode: ClaEpisodeTable;
  cla_review: ClaReviewTable;
  missing_episode: MissingEpisodeTable;
  visit_frequency: VisitFrequencyTable;
  visit: VisitTable;
  case_note: CaseNoteTable;
}
