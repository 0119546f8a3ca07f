/**
 * Every column that refers to a person, and how a merge moves it to the surviving record
 * (decision 0024). `merge-references.test.ts` reads the database catalogue and fails when a
 * person-referencing column is missing here, so a new table cannot be left behind by a merge.
 */
export interface PersonReference {
  table: string;
  column: string;
  /** The columns that, with `column`, pick out a row: what is stored so undo moves it back. */
  key: readonly string[];
  /**
   * The key without `column` is unique per person (a composite primary key): a row the
   * survivor already has (the same family, address, contact, named user) is set aside rather
   * than moved, kept in the merge, and put back on undo.
   */
  setAsideIfSurvivorHas?: true;
  /** "A with B" rows: a row linking the two records to each other is set aside (kept). */
  linksTwo?: { other: string };
}

const byId = (table: string, column = "person_id"): PersonReference => ({
  table,
  column,
  key: ["id"],
});

export const personReferences: readonly PersonReference[] = [
  {
    table: "person_address",
    column: "person_id",
    key: ["address_id", "start_date"],
    setAsideIfSurvivorHas: true,
  },
  { table: "family_member", column: "person_id", key: ["family_id"], setAsideIfSurvivorHas: true },
  {
    table: "relationship",
    column: "person_id",
    key: ["id"],
    linksTwo: { other: "related_person_id" },
  },
  {
    table: "relationship",
    column: "related_person_id",
    key: ["id"],
    linksTwo: { other: "person_id" },
  },
  byId("allocation"),
  byId("record_share"),
  {
    table: "restricted_access",
    column: "person_id",
    key: ["user_id"],
    setAsideIfSurvivorHas: true,
  },
  byId("break_glass"),
  byId("chronology_entry"),
  { table: "contact_child", column: "person_id", key: ["contact_id"], setAsideIfSurvivorHas: true },
  byId("referral"),
  byId("assessment"),
  byId("strategy_discussion"),
  byId("s47_enquiry"),
  byId("cp_conference"),
  byId("cp_plan"),
  byId("core_group"),
  byId("cin_plan"),
  byId("early_help_episode"),
  byId("cla_episode"),
  byId("cla_review"),
  byId("missing_episode"),
  byId("care_leaver_status"),
  byId("personal_adviser"),
  byId("pathway_plan"),
  byId("pathway_plan_review"),
  byId("care_leaver_contact"),
  byId("cla_outcomes"),
  byId("adoption"),
  byId("adoption_decision"),
  byId("previous_permanence"),
  byId("visit"),
  byId("case_note"),
  byId("workbook_section"),
  byId("measure_result"),
  byId("measure_alert"),
  byId("family_plan_goal"),
  byId("exploitation_screening"),
  byId("safety_plan"),
  { table: "association", column: "child_id", key: ["id"], linksTwo: { other: "other_child_id" } },
  { table: "association", column: "other_child_id", key: ["id"], linksTwo: { other: "child_id" } },
  byId("network_alert"),
  byId("incident_subject"),
  byId("panel_agenda_item"),
  byId("work_item"),
  byId("partner_referral"),
  { table: "person_disability", column: "person_id", key: ["code"], setAsideIfSurvivorHas: true },
  // A flag on the pair being merged is set aside (the merge answers it); a flag the survivor
  // already holds against the same record is set aside rather than doubled.
  {
    table: "possible_duplicate",
    column: "person_id",
    key: ["candidate_id"],
    setAsideIfSurvivorHas: true,
    linksTwo: { other: "candidate_id" },
  },
  {
    table: "possible_duplicate",
    column: "candidate_id",
    key: ["person_id"],
    setAsideIfSurvivorHas: true,
    linksTwo: { other: "person_id" },
  },
];

/** Person references a merge leaves alone, each with the reason. */
export const notMoved: Record<string, string> = {
  "person.merged_into": "the merge itself: the merged-away record points at the survivor",
  "person_merge.survivor_id": "the merge's own record",
  "person_merge.merged_id": "the merge's own record",
  "return_failure.person_id":
    "a statutory return's report as it was made: a later run names the surviving record",
};
