import type { Db } from "../../platform/database.ts";
import type { World } from "../../../test/support/world.ts";

/**
 * A small council's six months for Annex A, on the test world, up to 1 March 2026 (from 1
 * September 2025). Each child is there for a reason the tests state:
 * - childA1: a contact, a referral, an assessment, a section 47, an ICPC and a plan in period;
 *   an earlier contact (June 2025) that must not appear;
 * - childA2: a referral from source 5D (not on Ofsted's list) with no primary need, closed with
 *   no assessment (NFA): two things to fix;
 * - childB1: looked after since August 2025, moved in December, missing once in January;
 * - restrictedChildA: placed for adoption under a placement order in September 2025;
 * - unallocated: early help from October 2025, and a referral closed in March 2025 (out of period);
 * - otherLaChild: a referral in period in another council, which must not appear anywhere.
 */
export const ANNEX_A_TO = "2026-03-01";

export interface AnnexAWorld {
  icpcOn: string;
}

export async function buildAnnexAWorld(db: Db, world: World): Promise<AnnexAWorld> {
  const { laId } = world;
  const by = world.users.swA.id;
  const p = world.people;
  const contact = async (personId: string, receivedOn: string, source: string, la = laId) => {
    const row = await db
      .insertInto("contact")
      .values({
        la_id: la,
        received_on: receivedOn,
        source,
        reasons: "Concerns reported by the school.",
        decision_due_on: receivedOn,
        recorded_by: la === laId ? by : world.users.otherLaSw.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("contact_child")
      .values({ contact_id: row.id, person_id: personId, la_id: la })
      .execute();
  };
  const referral = async (
    personId: string,
    date: string,
    source: string,
    need: string | null,
    closed?: [string, string],
    la = laId,
  ) =>
    (
      await db
        .insertInto("referral")
        .values({
          la_id: la,
          person_id: personId,
          referral_date: date,
          source,
          primary_need: need,
          closed_on: closed?.[0] ?? null,
          closure_reason: closed?.[1] ?? null,
          opened_by: la === laId ? by : world.users.otherLaSw.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;

  // childA1: the whole way from contact to a child protection plan.
  await contact(p.childA1, "2025-06-01", "2A");
  await contact(p.childA1, "2025-10-01", "2A");
  const a1 = await referral(p.childA1, "2025-10-02", "2A", "N1");
  await db
    .insertInto("assessment")
    .values({
      la_id: laId,
      referral_id: a1,
      person_id: p.childA1,
      started_on: "2025-10-03",
      due_on: "2025-12-05",
      submitted_on: "2025-11-07",
      authorised_on: "2025-11-10",
      authorised_by: world.users.tmA.id,
      outcome: "strategy_discussion",
      recorded_by: by,
    })
    .execute();
  const sd = await db
    .insertInto("strategy_discussion")
    .values({
      la_id: laId,
      referral_id: a1,
      person_id: p.childA1,
      held_on: "2025-11-12",
      concerns: "Bruising seen at school.",
      outcome: "s47",
      recorded_by: by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const s47 = await db
    .insertInto("s47_enquiry")
    .values({
      la_id: laId,
      referral_id: a1,
      person_id: p.childA1,
      strategy_discussion_id: sd.id,
      started_on: "2025-11-12",
      icpc_due_on: "2025-12-03",
      completed_on: "2025-11-20",
      outcome: "icpc",
      recorded_by: by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const icpcOn = "2025-11-28";
  const icpc = await db
    .insertInto("cp_conference")
    .values({
      la_id: laId,
      referral_id: a1,
      person_id: p.childA1,
      kind: "initial",
      s47_enquiry_id: s47.id,
      held_on: icpcOn,
      due_on: "2025-12-03",
      decision: "plan",
      category: "NEG",
      recorded_by: by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("cp_plan")
    .values({
      la_id: laId,
      referral_id: a1,
      person_id: p.childA1,
      icpc_id: icpc.id,
      start_date: icpcOn,
      initial_category: "NEG",
      latest_category: "EMO",
    })
    .execute();
  const visit = (personId: string, on: string, planType: "cp" | "cla" | null, alone: boolean) =>
    db
      .insertInto("visit")
      .values({
        la_id: laId,
        person_id: personId,
        visited_on: on,
        plan_type: planType,
        seen: true,
        seen_alone: alone,
        visitor_id: by,
      })
      .execute();
  await visit(p.childA1, "2025-10-05", null, false);
  await visit(p.childA1, "2026-01-10", "cp", true);

  // childA2: a referral Ofsted's list has no code for, no primary need, closed with no assessment.
  await referral(p.childA2, "2025-12-01", "5D", null, ["2025-12-15", "RC8"]);

  // childB1: looked after, a move of placement, missing once.
  const b1 = await referral(p.childB1, "2025-07-01", "6", "N1");
  const episode = {
    la_id: laId,
    person_id: p.childB1,
    referral_id: b1,
    legal_status: "C2",
    placement_provider: "PR1",
    placement_postcode: "TS2 2BB",
    recorded_by: by,
  };
  await db
    .insertInto("cla_episode")
    .values([
      {
        ...episode,
        start_date: "2025-08-01",
        reason_new_episode: "S",
        placement_type: "U4",
        end_date: "2025-12-01",
        reason_ceased: "X1",
      },
      { ...episode, start_date: "2025-12-01", reason_new_episode: "P", placement_type: "U6" },
    ])
    .execute();
  await db
    .insertInto("missing_episode")
    .values({
      la_id: laId,
      person_id: p.childB1,
      kind: "M",
      started_at: new Date("2026-01-05T20:00:00Z"),
      ended_at: new Date("2026-01-06T09:00:00Z"),
      interview_offered_at: new Date("2026-01-07T10:00:00Z"),
      interview_accepted: false,
      recorded_by: by,
    })
    .execute();
  await db
    .insertInto("cla_review")
    .values({
      la_id: laId,
      person_id: p.childB1,
      held_on: "2026-01-15",
      due_on: "2026-01-15",
      participation: "PN1",
      recorded_by: by,
    })
    .execute();
  await visit(p.childB1, "2026-02-02", "cla", true);

  // restrictedChildA: placed for adoption once the placement order was made.
  const adoptive = {
    la_id: laId,
    person_id: p.restrictedChildA,
    placement_provider: "PR1",
    recorded_by: by,
  };
  await db
    .insertInto("cla_episode")
    .values([
      {
        ...adoptive,
        start_date: "2024-05-01",
        reason_new_episode: "S",
        legal_status: "C2",
        placement_type: "U4",
        end_date: "2025-09-15",
        reason_ceased: "X1",
      },
      {
        ...adoptive,
        start_date: "2025-09-15",
        reason_new_episode: "B",
        legal_status: "E1",
        placement_type: "A4",
      },
    ])
    .execute();

  // unallocated: early help in period; a referral that closed before it.
  await db
    .insertInto("early_help_episode")
    .values({ la_id: laId, person_id: p.unallocated, start_date: "2025-10-10", recorded_by: by })
    .execute();
  await referral(p.unallocated, "2025-01-10", "1A", "N5", ["2025-03-01", "RC7"]);

  // Another council's child, in period: never in this council's Annex A.
  await referral(p.otherLaChild, "2025-11-01", "2A", "N1", undefined, world.otherLaId);
  await contact(p.otherLaChild, "2025-11-01", "2A", world.otherLaId);
  return { icpcOn };
}
