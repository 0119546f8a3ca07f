/** Kysely's view of migration 016: partner referrals (decision 0025). */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Calendar date as 'YYYY-MM-DD'. */
type CalendarDate = string;

export type FamilyAware = "consented" | "aware_not_consented" | "not_told";

export interface PartnerReferralTable {
  id: Generated<string>;
  la_id: string;
  contact_id: string;
  referred_by: string;
  organisation_id: string;
  child_given_name: string;
  child_family_name: string;
  child_date_of_birth: CalendarDate | null;
  child_address: Generated<string>;
  child_postcode: Generated<string>;
  child_nhs_number: string | null;
  child_upn: string | null;
  child_school: Generated<string>;
  referrer_role: string;
  referrer_phone: string;
  referrer_email: Generated<string>;
  family_aware: FamilyAware;
  not_told_reason: Generated<string>;
  /** The child's record once the front door has identified it; null: "child to identify". */
  person_id: string | null;
  identified_by: string | null;
  identified_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface ReferralTables {
  partner_referral: PartnerReferralTable;
  api_client: ApiClientTable;
}

/** A partner system allowed to call the JSON API (migration 020, decision 0030). */
export interface ApiClientTable {
  id: Generated<string>;
  la_id: string;
  organisation_id: string;
  service_user_id: string;
  name: string;
  client_id: string;
  secret_hash: string;
  external_client_id: string | null;
  permissions: string[];
  rate_limit_per_minute: Generated<number>;
  created_by: string;
  created_at: Timestamp;
  secret_rotated_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}
