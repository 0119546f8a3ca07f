/** Kysely's view of migrations/015_one_record_per_person.sql (person_merge). Kept by hand. */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: written as a JSON string, read back as the value. */
type Json<T> = ColumnType<T, string, string>;

/** What a merge moved, per "table.column": the keys of moved rows and rows set aside. */
export type MergeMoves = Record<
  string,
  { moved: Record<string, unknown>[]; dropped: Record<string, unknown>[] }
>;

/** The identifiers of one person row before a merge. */
export interface MergeIdentifiers {
  nhs_number: string | null;
  upn: string | null;
  nhs_number_exception: string | null;
  nhs_number_exception_note: string;
  nhs_number_duplicate: string | null;
  version: number;
}

export interface PersonMergeTable {
  id: Generated<string>;
  la_id: string;
  survivor_id: string;
  merged_id: string;
  reason: string;
  merged_by: string;
  merged_at: Timestamp;
  moved: Json<MergeMoves>;
  before: Json<{ survivor: MergeIdentifiers; merged: MergeIdentifiers }>;
  undone_by: string | null;
  undone_at: Timestamp | null;
}

export interface MergeTables {
  person_merge: PersonMergeTable;
}
