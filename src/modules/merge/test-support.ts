import { sql } from "kysely";
import type { Database } from "../../platform/database.ts";
import type { World } from "../../../test/support/world.ts";

/**
 * A fingerprint of every table's rows: what a merge and its undo must leave exactly as it was.
 * Left out: the audit trail, sessions and request bookkeeping, the merge's own record, and a
 * person's version and time of change (a merge and an undo each count as a change), and the
 * KPI engine's kept figures and change log (bookkeeping, decision 0041).
 */
export async function caseDataFingerprint(database: Database): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`select table_name as name
    from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(database.db);
  const kept = tables.rows
    .map((t) => t.name)
    .filter(
      (name) =>
        !/^audit_|^kpi_|session|sign_in|throttle|schema_migration|form_submission|person_merge/.test(
          name,
        ),
    );
  const rowText = (name: string) =>
    name === "person"
      ? "(x.id, x.given_name, x.family_name, x.date_of_birth, x.nhs_number, x.upn, x.nhs_number_exception, x.nhs_number_exception_note, x.nhs_number_duplicate, x.merged_into, x.restricted)::text"
      : "x::text";
  const parts = kept.map(
    (name) =>
      `select '${name}' as name, md5(coalesce(string_agg(${rowText(name)}, '|' order by ${rowText(name)}), '')) as hash from ${name} x`,
  );
  const rows = await sql<{
    name: string;
    hash: string;
  }>`${sql.raw(parts.join(" union all "))}`.execute(database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.hash]));
}

/** A second record of a world child, allocated to the same worker and team. */
export async function duplicateOf(
  database: Database,
  world: World,
  given: string,
  family: string,
  dateOfBirth: string,
): Promise<string> {
  const db = database.db;
  const row = await db
    .insertInto("person")
    .values({
      la_id: world.laId,
      given_name: given,
      family_name: family,
      date_of_birth: dateOfBirth,
      sex: "2",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("allocation")
    .values({
      la_id: world.laId,
      person_id: row.id,
      worker_id: world.users.swA.id,
      team_id: world.teams.fsA,
      start_date: "2025-06-02",
    })
    .execute();
  return row.id;
}

/** The rows recordsAbout does not make, so that every person reference has one to move. */
export async function everyOtherKind(
  database: Database,
  world: World,
  personId: string,
  cpPlanId: string,
): Promise<void> {
  const db = database.db;
  const la_id = world.laId;
  const by = world.users.swA.id;
  const on = "2026-02-03";
  const insert = (table: string, values: Record<string, unknown>) =>
    db
      .insertInto(table as "visit")
      .values({ la_id, ...values } as never)
      .execute();
  await insert("relationship", {
    person_id: world.people.motherA,
    related_person_id: personId,
    kind: "parent",
  });
  await insert("restricted_access", {
    person_id: personId,
    user_id: world.users.tmA.id,
    granted_by: by,
  });
  await insert("break_glass", {
    user_id: world.users.swB.id,
    person_id: personId,
    reason: "Out of hours call from the police",
    started_at: new Date("2026-02-03T09:00:00Z"),
    expires_at: new Date("2026-02-04T09:00:00Z"),
  });
  await insert("chronology_entry", {
    person_id: personId,
    occurred_on: on,
    kind: "record_created",
    summary: "Record created",
    organisation_id: world.orgs.la,
    recorded_by: by,
  });
  await insert("core_group", {
    cp_plan_id: cpPlanId,
    person_id: personId,
    held_on: on,
    recorded_by: by,
  });
  await insert("cla_review", {
    person_id: personId,
    held_on: on,
    due_on: on,
    participation: "PN1",
    recorded_by: by,
  });
  // Care leavers (migration 029): every table, so the merge is seen to move each.
  await insert("care_leaver_status", {
    person_id: personId,
    status: "eligible",
    effective_on: on,
    recorded_by: by,
  });
  await insert("personal_adviser", {
    person_id: personId,
    adviser_id: by,
    start_date: on,
    recorded_by: by,
  });
  const plan = await db
    .insertInto("pathway_plan")
    .values({ la_id, person_id: personId, agreed_on: on, recorded_by: by })
    .returning("id")
    .executeTakeFirstOrThrow();
  await insert("pathway_plan_review", {
    person_id: personId,
    pathway_plan_id: plan.id,
    held_on: on,
    recorded_by: by,
  });
  await insert("care_leaver_contact", {
    person_id: personId,
    contact_on: on,
    birthday_age: 17,
    in_touch: "NO",
    recorded_by: by,
  });
  // Adoption, permanence and OC2 (migration 032).
  await insert("cla_outcomes", {
    person_id: personId,
    collection_year: "2024-25",
    sdq_score: 12,
    recorded_by: by,
  });
  await insert("adoption", { person_id: personId, best_interest_on: on, recorded_by: by });
  await insert("adoption_decision", { person_id: personId, decided_on: on, recorded_by: by });
  await insert("previous_permanence", { person_id: personId, prev_perm: "Z1", recorded_by: by });
  await insert("visit", {
    person_id: personId,
    visited_on: on,
    seen: true,
    seen_alone: true,
    visitor_id: by,
  });
  await insert("case_note", {
    person_id: personId,
    occurred_on: on,
    note: "Spoke to school",
    author_id: by,
    organisation_id: world.orgs.la,
  });
  const workbook = await db
    .selectFrom("workbook")
    .innerJoin("family_member", "family_member.family_id", "workbook.family_id")
    .select("workbook.id")
    .where("family_member.person_id", "=", personId)
    .executeTakeFirstOrThrow();
  await insert("workbook_section", {
    workbook_id: workbook.id,
    person_id: personId,
    discipline: "child",
    body: "Amelia's views",
    updated_by: by,
  });
  await insert("exploitation_screening", {
    person_id: personId,
    screened_on: on,
    indicators: [],
    harm_types: [],
    computed_level: "none",
    judged_level: "none",
    recorded_by: by,
    organisation_id: world.orgs.la,
  });
  await insert("safety_plan", {
    person_id: personId,
    version_no: 1,
    in_their_words: "I feel safe at school",
    trusted_adults: "Nan",
    safe_places: "Library",
    what_to_do_if: "Call Nan",
    agreed_with_young_person: true,
    review_on: "2026-05-01",
    recorded_by: by,
  });
  const incident = await db
    .insertInto("incident")
    .values({
      la_id,
      kind: "sighting",
      occurred_on: on,
      source_organisation_id: world.orgs.police,
      recorded_by: by,
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("incident_subject")
    .values({ incident_id: incident.id, person_id: personId })
    .execute();
}
