import type { Db } from "../../src/platform/database.ts";
import type { World } from "./world.ts";

/**
 * One open record of every kind a write route acts on, all about one child of the test world
 * (and the child's family), recorded by their allocated worker: so a test can fill any write
 * route's URL with real ids and see whether someone else may change them.
 */
export interface RecordsAbout {
  personId: string;
  familyId: string;
  shareId: string;
  contactId: string;
  referralId: string;
  assessmentId: string;
  cinPlanId: string;
  earlyHelpId: string;
  s47Id: string;
  cpPlanId: string;
  claEpisodeId: string;
  missingEpisodeId: string;
  measureAlertId: string;
  planGoalId: string;
  planActionId: string;
  fgcId: string;
  supervisionId: string;
  supervisionActionId: string;
  networkAlertId: string;
  panelId: string;
  meetingId: string;
  agendaItemId: string;
  panelActionId: string;
  /** Open work on the child: telling the referrer, on team A's unallocated queue. */
  workItemId: string;
  allocationId: string;
  /** A decision that the looked-after child should be placed for adoption (migration 032). */
  adoptionDecisionId: string;
  /** A CIN census run of the child's council, whose census details page corrects the child. */
  returnRunId: string;
}

const ON = "2026-02-02";

export async function recordsAbout(db: Db, world: World, personId: string): Promise<RecordsAbout> {
  const la_id = world.laId;
  const by = world.users.swA.id;
  const insert = async (table: string, values: Record<string, unknown>): Promise<string> => {
    // The tables differ; every one has an id, which is all a fixture needs back.
    const row = await db
      .insertInto(table as "person")
      .values({ la_id, ...values } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  };

  const family = await db
    .selectFrom("family_member")
    .select("family_id")
    .where("person_id", "=", personId)
    .executeTakeFirstOrThrow();
  const share = await db
    .selectFrom("record_share")
    .select("id")
    .where("person_id", "=", personId)
    .executeTakeFirstOrThrow();

  const contactId = await insert("contact", {
    received_on: ON,
    source: "1A",
    reasons: "Worries about neglect",
    decision_due_on: "2026-02-03",
    recorded_by: by,
  });
  await db
    .insertInto("contact_child")
    .values({ contact_id: contactId, person_id: personId, la_id })
    .execute();
  const referralId = await insert("referral", {
    person_id: personId,
    referral_date: ON,
    source: "1A",
    opened_by: by,
  });
  const onReferral = { person_id: personId, referral_id: referralId };
  const assessmentId = await insert("assessment", {
    ...onReferral,
    started_on: ON,
    due_on: "2026-03-30",
    recorded_by: by,
  });
  const cinPlanId = await insert("cin_plan", { ...onReferral, start_date: ON });
  const earlyHelpId = await insert("early_help_episode", {
    person_id: personId,
    start_date: ON,
    recorded_by: by,
  });
  const strategyId = await insert("strategy_discussion", {
    ...onReferral,
    held_on: ON,
    concerns: "Injury",
    outcome: "s47",
    recorded_by: by,
  });
  const s47Id = await insert("s47_enquiry", {
    ...onReferral,
    strategy_discussion_id: strategyId,
    started_on: ON,
    icpc_due_on: "2026-02-20",
    recorded_by: by,
  });
  const icpcId = await insert("cp_conference", {
    ...onReferral,
    kind: "initial",
    s47_enquiry_id: s47Id,
    held_on: ON,
    due_on: ON,
    decision: "plan",
    recorded_by: by,
  });
  const cpPlanId = await insert("cp_plan", {
    ...onReferral,
    icpc_id: icpcId,
    start_date: ON,
    initial_category: "NEG",
    latest_category: "NEG",
  });
  const claEpisodeId = await insert("cla_episode", {
    person_id: personId,
    start_date: ON,
    reason_new_episode: "S",
    legal_status: "C2",
    placement_type: "U1",
    recorded_by: by,
  });
  const adoptionDecisionId = await insert("adoption_decision", {
    person_id: personId,
    decided_on: ON,
    recorded_by: by,
  });
  const missingEpisodeId = await insert("missing_episode", {
    person_id: personId,
    kind: "M",
    started_at: new Date("2026-02-10T20:00:00Z"),
    recorded_by: by,
  });

  const workbookId = await insert("workbook", {
    family_id: family.family_id,
    opened_on: ON,
    opened_by: by,
  });
  const resultId = await insert("measure_result", {
    workbook_id: workbookId,
    person_id: personId,
    instrument_code: "test",
    instrument_version: "1",
    discipline: "domestic_abuse",
    administered_on: ON,
    answers: JSON.stringify({}),
    total: 0,
    computed_level: "high",
    judged_level: "high",
    recorded_by: by,
    organisation_id: world.orgs.la,
  });
  const measureAlertId = await insert("measure_alert", {
    measure_result_id: resultId,
    workbook_id: workbookId,
    person_id: personId,
    code: "high",
    message: "High risk",
  });
  const planId = await insert("family_plan", { workbook_id: workbookId, updated_by: by });
  const planGoalId = await insert("family_plan_goal", {
    plan_id: planId,
    person_id: personId,
    goal: "Goes to school every day",
    created_by: by,
  });
  const planActionId = await insert("family_plan_action", {
    goal_id: planGoalId,
    action: "Walk to school together",
    owner_user_id: by,
    due_on: "2026-03-30",
    updated_by: by,
  });
  const fgcId = await insert("family_group_conference", {
    workbook_id: workbookId,
    referred_on: ON,
    reason: "Plan with the wider family",
    coordinator: "A. Coordinator",
    referred_by: by,
  });
  const supervisionId = await insert("group_supervision", {
    workbook_id: workbookId,
    scheduled_for: "2026-03-03",
    created_by: by,
  });
  const supervisionActionId = await insert("supervision_action", {
    supervision_id: supervisionId,
    action: "Visit the family",
    owner_user_id: by,
    due_on: "2026-03-30",
    recorded_by: by,
  });

  const associationId = await insert("association", {
    child_id: personId,
    other_child_id: world.people.childA2,
    first_seen_on: ON,
    source_organisation_id: world.orgs.la,
    source_grading: "1",
    information_grading: "A",
    recorded_by: by,
  });
  const networkAlertId = await insert("network_alert", {
    association_id: associationId,
    person_id: personId,
    message: "Associated with a child at risk",
  });

  const panelId = await insert("panel", { kind: "mace", name: "Testshire MACE" });
  const meetingId = await insert("panel_meeting", {
    panel_id: panelId,
    meets_on: "2026-03-10",
    recorded_by: by,
  });
  const agendaItemId = await insert("panel_agenda_item", {
    meeting_id: meetingId,
    person_id: personId,
    reason: "Missing episodes",
    added_by: by,
  });
  const panelActionId = await insert("panel_action", {
    agenda_item_id: agendaItemId,
    action: "Return interview",
    owner_organisation_id: world.orgs.la,
    due_on: "2026-03-30",
    recorded_by: by,
  });

  const fsA = world.teams.fsA;
  const workItemId = await insert("work_item", {
    person_id: personId,
    kind: "feedback_to_referrer",
    team_id: fsA,
    due_on: "2026-02-03",
    source_type: "contact",
    source_id: contactId,
    created_on: ON,
    created_by: by,
  });
  const allocation = await db
    .selectFrom("allocation")
    .select("id")
    .where("person_id", "=", personId)
    .where("end_date", "is", null)
    .orderBy("start_date")
    .executeTakeFirstOrThrow();

  const returnRunId = await insert("return_run", {
    return_kind: "cin",
    collection_year: "2025-26",
    generated_by: world.users.performanceOfficer.id,
    children: 1,
    errors: 0,
    queries: 0,
    schema_valid: true,
    file_xml: "<Message/>",
  });
  // The run names the child (a missing ethnicity), so the officer may open their details.
  await db
    .insertInto("return_failure")
    .values({
      run_id: returnRunId,
      la_id,
      position: 1,
      rule: "8510",
      severity: "error",
      person_id: personId,
      field: "Ethnicity",
    })
    .execute();

  return {
    personId,
    familyId: family.family_id,
    shareId: share.id,
    contactId,
    referralId,
    assessmentId,
    cinPlanId,
    earlyHelpId,
    s47Id,
    cpPlanId,
    claEpisodeId,
    missingEpisodeId,
    measureAlertId,
    planGoalId,
    planActionId,
    fgcId,
    supervisionId,
    supervisionActionId,
    networkAlertId,
    panelId,
    meetingId,
    agendaItemId,
    panelActionId,
    workItemId,
    allocationId: allocation.id,
    adoptionDecisionId,
    returnRunId,
  };
}
