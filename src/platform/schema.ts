/**
 * Kysely's view of the tables in migrations/. Kept by hand, beside the SQL: a column added to a
 * migration is added here in the same commit. Generated<T> marks columns with defaults.
 */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Calendar date as 'YYYY-MM-DD'. */
type CalendarDate = string;

export interface LocalAuthorityTable {
  id: Generated<string>;
  code: string;
  name: string;
  created_at: Generated<Date>;
}

export type OrganisationKind =
  | "la_childrens_services"
  | "police"
  | "health"
  | "education"
  | "youth_justice"
  | "housing"
  | "voluntary";

export interface OrganisationTable {
  id: Generated<string>;
  la_id: string;
  name: string;
  kind: OrganisationKind;
}

export type TeamKind =
  | "family_safeguarding"
  | "complex_safeguarding"
  | "front_door"
  | "children_in_care"
  | "business_support"
  | "performance"
  | "partner"
  | "administration";

export interface TeamTable {
  id: Generated<string>;
  la_id: string;
  organisation_id: string;
  name: string;
  kind: TeamKind;
  locality: string | null;
}

export interface AppUserTable {
  id: Generated<string>;
  la_id: string;
  organisation_id: string;
  email: string;
  display_name: string;
  role: string;
  job_title: Generated<string>;
  password_hash: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  /** A team manager who reviews managers' emergency access (migration 009). */
  head_of_service: Generated<boolean>;
}

/** Failed password sign-ins per typed email and per source address (migration 012). */
export interface SignInThrottleTable {
  key: string;
  failures: Generated<number>;
  last_failed_at: Timestamp | null;
}

export interface TeamMemberTable {
  team_id: string;
  user_id: string;
  /** The member's role in a multi-disciplinary team (src/domain/family-safeguarding.ts). */
  practice_role: Generated<string | null>;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface PersonTable {
  id: Generated<string>;
  la_id: string;
  given_name: string;
  family_name: string;
  other_names: Generated<string>;
  date_of_birth: CalendarDate | null;
  date_of_death: CalendarDate | null;
  sex: string | null;
  ethnicity: string | null;
  nhs_number: string | null;
  upn: string | null;
  restricted: Generated<boolean>;
  /** The consistent identifier's exception when a child has no NHS number (migration 015). */
  nhs_number_exception: string | null;
  nhs_number_exception_note: Generated<string>;
  /** An NHS number set aside by migration 015 because an older record held it. */
  nhs_number_duplicate: string | null;
  /** The record this one was merged into (decision 0024); null for a live record. */
  merged_into: string | null;
  search_name: ColumnType<string, never, never>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AddressTable {
  id: Generated<string>;
  la_id: string;
  line1: string;
  line2: Generated<string>;
  town: string;
  postcode: string;
  confidential: Generated<boolean>;
}

export interface PersonAddressTable {
  person_id: string;
  address_id: string;
  la_id: string;
  start_date: CalendarDate;
  end_date: CalendarDate | null;
}

export interface FamilyTable {
  id: Generated<string>;
  la_id: string;
  name: string;
  created_at: Generated<Date>;
}

export interface FamilyMemberTable {
  family_id: string;
  person_id: string;
  la_id: string;
}

export interface RelationshipTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  related_person_id: string;
  kind: string;
  parental_responsibility: Generated<boolean>;
  start_date: CalendarDate | null;
  end_date: CalendarDate | null;
}

export interface AllocationTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  worker_id: string;
  team_id: string;
  start_date: CalendarDate;
  end_date: CalendarDate | null;
  allocated_by: string | null;
  /** SSDA903 SW_REASON code: why this allocation ended. */
  end_reason: string | null;
}

export interface RecordShareTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  organisation_id: string;
  lawful_basis: string;
  purpose: string;
  shared_by: string;
  shared_at: Generated<Date>;
  expires_on: CalendarDate | null;
  revoked_at: Timestamp | null;
  /** Whether mental health and substance misuse information is shared too. */
  includes_health: Generated<boolean>;
}

export interface RestrictedAccessTable {
  person_id: string;
  user_id: string;
  la_id: string;
  granted_by: string;
  granted_at: Generated<Date>;
}

export interface BreakGlassTable {
  id: Generated<string>;
  la_id: string;
  user_id: string;
  person_id: string;
  reason: string;
  started_at: Timestamp;
  expires_at: Timestamp;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  review_note: string | null;
  review_outcome: ReviewOutcome | null;
}

export type ReviewOutcome = "justified" | "not_justified" | "referred_to_ig";

export interface BreakGlassSearchTable {
  id: Generated<string>;
  la_id: string;
  user_id: string;
  reason: string;
  results: number;
  searched_at: Timestamp;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  review_outcome: ReviewOutcome | null;
  review_note: string | null;
}

export interface ChronologyEntryTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  occurred_on: CalendarDate;
  kind: string;
  summary: string;
  organisation_id: string;
  recorded_by: string;
  recorded_at: Generated<Date>;
  subject_type: string | null;
  subject_id: string | null;
}

export * from "./schema-journey.ts";
import type { JourneyTables } from "./schema-journey.ts";
import type { FamilyTables } from "./schema-family.ts";
import type { ContextTables } from "./schema-context.ts";
import type { MergeTables } from "./schema-merge.ts";

export interface AuditLogTable {
  seq: Generated<number>;
  occurred_at: Timestamp;
  la_id: string | null;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  action: string;
  outcome: "allowed" | "denied" | "failed";
  person_ids: string[];
  subject_type: string | null;
  subject_id: string | null;
  summary: ColumnType<Record<string, unknown>, string, never>;
  /** The writing transaction (xid8, as text). */
  xid: Generated<string>;
}

/** The hash chain over audit_log, appended by the sealer (src/audit/seal.ts). */
export interface AuditSealTable {
  position: number;
  seq: number;
  prev_hash: string;
  hash: string;
  sealed_below: string;
  sealed_at: Generated<Timestamp>;
}

export interface AuditLogIdentityTable {
  id: Generated<string>;
  created_at: Generated<Timestamp>;
}

/** A form submission claimed once (migration 011, decision 0018). */
export interface FormSubmissionTable {
  user_id: string;
  request: string;
  nonce: string;
  submitted_at: Timestamp;
  /** jsonb: written as a JSON string, read back as the value. */
  result: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DB extends JourneyTables, FamilyTables, ContextTables, MergeTables {
  local_authority: LocalAuthorityTable;
  organisation: OrganisationTable;
  team: TeamTable;
  app_user: AppUserTable;
  team_member: TeamMemberTable;
  user_session: UserSessionTable;
  sign_in_throttle: SignInThrottleTable;
  person: PersonTable;
  address: AddressTable;
  person_address: PersonAddressTable;
  family: FamilyTable;
  family_member: FamilyMemberTable;
  relationship: RelationshipTable;
  allocation: AllocationTable;
  record_share: RecordShareTable;
  restricted_access: RestrictedAccessTable;
  break_glass: BreakGlassTable;
  break_glass_search: BreakGlassSearchTable;
  chronology_entry: ChronologyEntryTable;
  audit_log: AuditLogTable;
  audit_seal: AuditSealTable;
  audit_log_identity: AuditLogIdentityTable;
  form_submission: FormSubmissionTable;
}
