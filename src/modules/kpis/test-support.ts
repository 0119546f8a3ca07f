import { buildWorld, type World } from "../../../test/support/world.ts";
import { freshDatabase } from "../../../test/support/database.ts";
import type { Database } from "../../platform/database.ts";

/**
 * A small journey over the test world with hand-counted answers (the test clock reads
 * 2 March 2026). Team A: Amelia (childA1) referred in June and again in December 2025, a
 * re-referral; Oliver (childA2) referred in January 2026 and in care from 20 January. Team B:
 * Kai (childB1, male) referred in December 2025, a strategy discussion with all three
 * partners, an S47, a late initial conference and a plan; two missing episodes in February.
 * The other council's child is referred in December too, and must never be counted.
 */
export async function setUpKpiWorld(): Promise<{ database: Database; world: World }> {
  const database = await freshDatabase();
  const world = await buildWorld(database.db);
  const db = database.db;
  const by = world.users.swA.id;
  const { childA1, childA2, childB1, otherLaChild } = world.people;
  await db.updateTable("person").set({ sex: "1" }).where("id", "=", childB1).execute();
  const referral = async (personId: string, date: string, closed?: string, laId = world.laId) =>
    (
      await db
        .insertInto("referral")
        .values({
          la_id: laId,
          person_id: personId,
          referral_date: date,
          source: "1A",
          primary_need: personId === childB1 ? "N1" : "N2",
          opened_by: laId === world.laId ? by : world.users.otherLaSw.id,
          ...(closed ? { closed_on: closed, closure_reason: "RC1" } : {}),
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const a1First = await referral(childA1, "2025-06-10", "2025-08-20");
  const a1Again = await referral(childA1, "2025-12-01");
  await referral(childA2, "2026-01-15");
  const b1 = await referral(childB1, "2025-12-20");
  await referral(otherLaChild, "2025-12-05", undefined, world.otherLaId);

  await db
    .insertInto("assessment")
    .values([
      {
        la_id: world.laId,
        referral_id: a1First,
        person_id: childA1,
        started_on: "2025-06-11",
        due_on: "2025-08-13",
        submitted_on: "2025-08-01",
        authorised_on: "2025-08-02",
        authorised_by: world.users.tmA.id,
        outcome: "no_further_action",
        factors: ["4B"],
        recorded_by: by,
      },
      {
        la_id: world.laId,
        referral_id: b1,
        person_id: childB1,
        started_on: "2025-12-21",
        due_on: "2026-02-20",
        submitted_on: "2026-02-25",
        authorised_on: "2026-02-26",
        authorised_by: world.users.tmA.id,
        outcome: "cin_plan",
        factors: ["1B", "3B"],
        recorded_by: by,
      },
    ])
    .execute();

  const strategy = async (
    personId: string,
    referralId: string,
    held: string,
    agencies: string[],
  ) => {
    const id = (
      await db
        .insertInto("strategy_discussion")
        .values({
          la_id: world.laId,
          referral_id: referralId,
          person_id: personId,
          held_on: held,
          concerns: "Concerns",
          outcome: "s47",
          recorded_by: by,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto("strategy_attendee")
      .values(
        agencies.map((agency_kind) => ({
          la_id: world.laId,
          strategy_discussion_id: id,
          agency_kind,
          name: "Someone",
        })),
      )
      .execute();
    return id;
  };
  await strategy(childA1, a1Again, "2025-12-02", ["police"]);
  const b1Strategy = await strategy(childB1, b1, "2025-12-22", [
    "la_childrens_services",
    "police",
    "health",
  ]);
  const s47 = (
    await db
      .insertInto("s47_enquiry")
      .values({
        la_id: world.laId,
        referral_id: b1,
        person_id: childB1,
        strategy_discussion_id: b1Strategy,
        started_on: "2025-12-22",
        icpc_due_on: "2026-01-14",
        completed_on: "2026-01-10",
        outcome: "icpc",
        recorded_by: by,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const icpc = (
    await db
      .insertInto("cp_conference")
      .values({
        la_id: world.laId,
        referral_id: b1,
        person_id: childB1,
        kind: "initial",
        s47_enquiry_id: s47,
        held_on: "2026-01-20",
        due_on: "2026-01-14",
        decision: "plan",
        category: "NEG",
        recorded_by: by,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  await db
    .insertInto("cp_plan")
    .values({
      la_id: world.laId,
      referral_id: b1,
      person_id: childB1,
      icpc_id: icpc,
      start_date: "2026-01-20",
      initial_category: "NEG",
      latest_category: "NEG",
    })
    .execute();
  await db
    .insertInto("cla_episode")
    .values({
      la_id: world.laId,
      person_id: childA2,
      start_date: "2026-01-20",
      reason_new_episode: "S",
      legal_status: "C2",
      placement_type: "U1",
      recorded_by: by,
    })
    .execute();
  await db
    .insertInto("missing_episode")
    .values([
      {
        la_id: world.laId,
        person_id: childB1,
        kind: "M",
        started_at: new Date("2026-02-01T18:00:00Z"),
        ended_at: new Date("2026-02-02T09:00:00Z"),
        interview_held_at: new Date("2026-02-04T10:00:00Z"),
        recorded_by: by,
      },
      {
        la_id: world.laId,
        person_id: childB1,
        kind: "M",
        started_at: new Date("2026-02-10T12:00:00Z"),
        ended_at: new Date("2026-02-10T20:00:00Z"),
        interview_held_at: new Date("2026-02-15T10:00:00Z"),
        recorded_by: by,
      },
    ])
    .execute();
  // 4,000 children: 1,000 of each sex in two age bands, all White British, and 500 Black
  // Caribbean boys aged 10 to 15.
  await db
    .insertInto("child_population")
    .values([
      ...(["5_9", "10_15"] as const).flatMap((age_band) =>
        (["1", "2"] as const).map((sex) => ({
          la_id: world.laId,
          age_band,
          sex,
          ethnicity: "WBRI",
          children: 1000,
          source: "Synthetic",
        })),
      ),
      {
        la_id: world.laId,
        age_band: "10_15",
        sex: "1",
        ethnicity: "BCRB",
        children: 500,
        source: "Synthetic",
      },
    ])
    .execute();
  return { database, world };
}
