/**
 * Test helpers (used by the visits, worktray and looked-after tests): put a child on a plan by inserting the
 * fewest valid rows the foreign keys need, without going through the other modules' forms.
 */
import type { Db } from "../../platform/database.ts";

interface Who {
  laId: string;
  personId: string;
  /** The user named as having recorded the rows. */
  userId: string;
}

/** The child's open referral (episode of need), opening one on `date` if there is none. */
export async function referralFor(db: Db, who: Who, date: string): Promise<string> {
  const open = await db
    .selectFrom("referral")
    .select("id")
    .where("person_id", "=", who.personId)
    .where("closed_on", "is", null)
    .executeTakeFirst();
  if (open) return open.id;
  const row = await db
    .insertInto("referral")
    .values({
      la_id: who.laId,
      person_id: who.personId,
      referral_date: date,
      source: "1A",
      opened_by: who.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A child protection plan, with the strategy discussion, S47 and ICPC that lead to it. */
export async function insertCpPlan(
  db: Db,
  who: Who,
  startDate: string,
  endDate: string | null = null,
): Promise<string> {
  const referralId = await referralFor(db, who, startDate);
  const common = { la_id: who.laId, referral_id: referralId, person_id: who.personId };
  const strategy = await db
    .insertInto("strategy_discussion")
    .values({
      ...common,
      held_on: startDate,
      concerns: "Synthetic test concerns",
      outcome: "s47",
      recorded_by: who.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const s47 = await db
    .insertInto("s47_enquiry")
    .values({
      ...common,
      strategy_discussion_id: strategy.id,
      started_on: startDate,
      icpc_due_on: startDate,
      completed_on: startDate,
      outcome: "icpc",
      recorded_by: who.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const icpc = await db
    .insertInto("cp_conference")
    .values({
      ...common,
      kind: "initial",
      s47_enquiry_id: s47.id,
      held_on: startDate,
      due_on: startDate,
      decision: "plan",
      category: "NEG",
      recorded_by: who.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const plan = await db
    .insertInto("cp_plan")
    .values({
      ...common,
      icpc_id: icpc.id,
      start_date: startDate,
      initial_category: "NEG",
      latest_category: "NEG",
      end_date: endDate,
      end_reason: endDate ? "RC1" : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return plan.id;
}

export async function insertCinPlan(
  db: Db,
  who: Who,
  startDate: string,
  endDate: string | null = null,
): Promise<string> {
  const referralId = await referralFor(db, who, startDate);
  const plan = await db
    .insertInto("cin_plan")
    .values({
      la_id: who.laId,
      referral_id: referralId,
      person_id: who.personId,
      start_date: startDate,
      end_date: endDate,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return plan.id;
}

/**
 * One looked-after episode (SSDA903); a period of care is a chain of them. By default each
 * episode starts a period and ends it (E11); end one with reasonCeased X1 and start the next
 * with a change (P, L...) for a change within the period.
 */
export async function insertClaEpisode(
  db: Db,
  who: Who,
  startDate: string,
  endDate: string | null = null,
  more: {
    reasonNewEpisode?: string;
    reasonCeased?: string;
    legalStatus?: string;
    placementType?: string;
    placementProvider?: string;
  } = {},
): Promise<string> {
  const episode = await db
    .insertInto("cla_episode")
    .values({
      la_id: who.laId,
      person_id: who.personId,
      start_date: startDate,
      reason_new_episode: more.reasonNewEpisode ?? "S",
      legal_status: more.legalStatus ?? "C2",
      placement_type: more.placementType ?? "U1",
      placement_provider: more.placementProvider ?? null,
      end_date: endDate,
      reason_ceased: endDate ? (more.reasonCeased ?? "E11") : null,
      recorded_by: who.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return episode.id;
}

/** A looked-after review, inserted directly. */
export async function insertClaReview(db: Db, who: Who, heldOn: string): Promise<void> {
  await db
    .insertInto("cla_review")
    .values({
      la_id: who.laId,
      person_id: who.personId,
      held_on: heldOn,
      due_on: heldOn,
      participation: "PN1",
      recorded_by: who.userId,
    })
    .execute();
}

/** A visit inserted directly, for due-date set-ups. */
export async function insertVisit(
  db: Db,
  who: Who,
  visitedOn: string,
  seen: boolean,
): Promise<void> {
  await db
    .insertInto("visit")
    .values({
      la_id: who.laId,
      person_id: who.personId,
      visited_on: visitedOn,
      seen,
      seen_alone: false,
      visitor_id: who.userId,
    })
    .execute();
}
