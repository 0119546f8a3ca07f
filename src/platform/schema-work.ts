/** Kysely types for the work decisions create (migration 013, decision 0020). */
import type { Generated } from "kysely";
import type { WorkKind } from "../domain/work.ts";

/** Calendar dates travel as 'YYYY-MM-DD' (decision 0010). */
type CalendarDate = string;

export interface WorkItemTable {
  id: Generated<string>;
  la_id: string;
  person_id: string;
  kind: WorkKind;
  team_id: string;
  /** Null: on the team's unallocated queue. */
  worker_id: string | null;
  due_on: CalendarDate;
  /** The record whose decision created the item (contact, s47_enquiry, cp_conference, assessment). */
  source_type: string;
  source_id: string;
  created_on: CalendarDate;
  created_by: string;
  created_at: Generated<Date>;
  done_on: CalendarDate | null;
  done_by: string | null;
  /** The record that did the work (a strategy discussion, a conference, a case note...). */
  done_subject_type: string | null;
  done_subject_id: string | null;
  cancelled_reason: "case_closed" | null;
  version: Generated<number>;
}

export interface WorkTables {
  work_item: WorkItemTable;
}
