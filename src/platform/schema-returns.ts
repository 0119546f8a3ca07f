/** Kysely's view of migrations/021_cin_census.sql (statutory return runs). Kept by hand. */
import type { ColumnType, Generated } from "kysely";

/** timestamptz with a default: optional on insert. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: written as a JSON string, read back as the value. */
type Json<T> = ColumnType<T, string | undefined, string>;

export interface PersonDisabilityTable {
  person_id: string;
  la_id: string;
  code: string;
}

export interface ReturnRunTable {
  id: Generated<string>;
  la_id: string;
  return_kind: "cin" | "903";
  collection_year: string;
  generated_by: string;
  generated_at: DefaultedTimestamp;
  children: number;
  errors: number;
  queries: number;
  schema_valid: boolean;
  /** Strings in runs made before the complaints named their child (decision 0031). */
  schema_errors: Json<(string | { message: string; line?: number; childId?: string })[]>;
  file_xml: string;
  /** 903 only (migration 025): table name to the table's CSV text. */
  files: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  previous_run_id: string | null;
  /** Migration 030 (decision 0040): the run's state and progress. */
  status: ColumnType<RunStatus, RunStatus | undefined, RunStatus>;
  stage: ColumnType<string | null, string | null | undefined, string | null>;
  progress_done: ColumnType<number | null, number | null | undefined, number | null>;
  progress_total: ColumnType<number | null, number | null | undefined, number | null>;
  progress_unit: ColumnType<string | null, string | null | undefined, string | null>;
  progress_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  started_at: DefaultedTimestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export type RunStatus = "running" | "done" | "failed";

export interface ReturnFailureTable {
  run_id: string;
  la_id: string;
  position: number;
  rule: string;
  severity: "error" | "query";
  person_id: string | null;
  la_child_id: string | null;
  field: string;
  value: string | null;
  crashed: string | null;
  /** 903 only (migration 025): the table of the failing row and the record it came from. */
  table_name: ColumnType<string | null, string | null | undefined, string | null>;
  record_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ReturnQueryAnswerTable {
  la_id: string;
  return_kind: string;
  rule: string;
  la_child_id: string;
  reason: string;
  answered_by: string;
  answered_at: DefaultedTimestamp;
  run_id: string;
}

export interface ReturnTables {
  person_disability: PersonDisabilityTable;
  return_run: ReturnRunTable;
  return_failure: ReturnFailureTable;
  return_query_answer: ReturnQueryAnswerTable;
}

/** migrations/024_dfe_feed.sql: the DfE's daily feed (decision 0034). */
export interface DfeFeedChildTable {
  la_id: string;
  person_id: string;
  la_child_id: string;
  document_hash: string | null;
  items: ColumnType<string[], string[] | undefined, string[]>;
  sent_at: Date | string;
  purged_at: Date | string | null;
}

export interface DfeFeedRunTable {
  id: Generated<string>;
  la_id: string;
  started_by: string | null;
  started_at: DefaultedTimestamp;
  finished_at: Date | string | null;
  endpoint: string;
  children: Generated<number>;
  unchanged: Generated<number>;
  sent: Generated<number>;
  rejected: Generated<number>;
  failed: Generated<number>;
  purged: Generated<number>;
  invalid: Generated<number>;
  problem: string | null | undefined;
}

export type FeedSendStatus = "accepted" | "rejected" | "failed" | "invalid";

export interface DfeFeedSendTable {
  id: Generated<string>;
  run_id: string;
  la_id: string;
  person_id: string;
  la_child_id: string;
  purge: boolean;
  status: FeedSendStatus;
  attempts: number;
  http_status: number | null;
  document_hash: string;
  problem: string | null;
  started_at: Date | string;
  finished_at: Date | string;
}

export interface DfeFeedTables {
  dfe_feed_child: DfeFeedChildTable;
  dfe_feed_run: DfeFeedRunTable;
  dfe_feed_send: DfeFeedSendTable;
}
