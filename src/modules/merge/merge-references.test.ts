import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import type { Database } from "../../platform/database.ts";
import { notMoved, personReferences } from "./references.ts";

/**
 * A merge moves every reference to a person (decision 0024). These read the database's own
 * catalogue, so a new table or column that refers to a person fails here until the merge
 * handles it (references.ts), and a new "one per person" rule fails until the merge refuses
 * or sets aside what would break it (blockers.ts, references.ts).
 */
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
});

describe("the merge's list of person references", () => {
  it("names every column with a foreign key to person, and nothing else", async () => {
    const found = await sql<{
      name: string;
    }>`select c.conrelid::regclass::text || '.' || a.attname as name
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'person'::regclass
      order by 1`.execute(database.db);
    const inDatabase = found.rows.map((r) => r.name).sort();
    const handled = [
      ...personReferences.map((r) => `${r.table}.${r.column}`),
      ...Object.keys(notMoved),
    ].sort();
    expect(handled).toEqual(inDatabase);
  });

  it("knows every unique rule that includes a person column", async () => {
    const found = await sql<{ name: string }>`select distinct i.indexrelid::regclass::text as name
      from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      join pg_constraint c on c.conrelid = i.indrelid and c.contype = 'f'
        and c.confrelid = 'person'::regclass and a.attnum = any(c.conkey)
      where i.indisunique
      order by 1`.execute(database.db);
    // Each is refused by mergeBlockers or set aside by references.ts (setAsideIfSurvivorHas).
    expect(found.rows.map((r) => r.name)).toEqual([
      "cin_plan_one_open",
      "cla_episode_one_open",
      "contact_child_pkey",
      "cp_plan_one_open",
      "early_help_one_open",
      "family_member_pkey",
      "panel_agenda_once_person",
      "person_address_pkey",
      "person_disability_pkey",
      "person_merge_live",
      "possible_duplicate_person_id_candidate_id_key",
      "referral_one_open",
      "restricted_access_pkey",
      "safety_plan_person_id_version_no_key",
      "workbook_section_workbook_id_discipline_person_id_key",
    ]);
  });
});
