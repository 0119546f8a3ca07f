/**
 * Reads of a child's child protection records. Every function takes the id of a person the
 * caller has already checked the actor may see (getVisiblePerson / getPersonToRecordOn): the
 * records' visibility is their child's (decision 0010).
 */
import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";

/**
 * The child's open episode of need (at most one: a unique index holds this). `lock` holds it
 * for the transaction, so two saves for the child cannot both start a section 47 enquiry and
 * the episode cannot close under a save.
 */
export async function openReferralOf(db: Db, personId: string, lock = false) {
  return db
    .selectFrom("referral")
    .select(["id", "referral_date"])
    .where("person_id", "=", personId)
    .where("closed_on", "is", null)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();
}

/** Whether an initial conference has been held for the S47 aliased `s`. */
const icpcHeld = sql<boolean>`exists (select 1 from cp_conference c
  where c.s47_enquiry_id = s.id and c.kind = 'initial')`;

/** The start of a section 47 enquiry still in progress for the child (see s47InProgress). */
export async function s47InProgressSince(db: Db, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom("s47_enquiry as s")
    .select("s.started_on")
    .where("s.person_id", "=", personId)
    .where((eb) =>
      eb.or([
        eb("s.outcome", "is", null),
        eb.and([eb("s.outcome", "=", "icpc"), eb.not(icpcHeld)]),
      ]),
    )
    .orderBy("s.started_on", "desc")
    .executeTakeFirst();
  return row?.started_on ?? null;
}

export async function openPlanOf(db: Db, personId: string) {
  return db
    .selectFrom("cp_plan")
    .select(["id", "start_date"])
    .where("person_id", "=", personId)
    .where("end_date", "is", null)
    .executeTakeFirst();
}

/** One of the child's S47s, locked for this transaction so two saves cannot both use it. */
export async function s47ToRecordOn(db: Db, personId: string, s47Id: string) {
  return db
    .selectFrom("s47_enquiry as s")
    .selectAll("s")
    .select(icpcHeld.as("has_icpc"))
    .where("s.id", "=", s47Id)
    .where("s.person_id", "=", personId)
    .forUpdate()
    .executeTakeFirst();
}

/** One of the child's CP plans, locked, with the date of its latest review conference. */
export async function planToRecordOn(db: Db, personId: string, planId: string) {
  return db
    .selectFrom("cp_plan as p")
    .selectAll("p")
    .select(
      sql<string | null>`(select max(c.held_on) from cp_conference c
        where c.cp_plan_id = p.id and c.kind = 'review')`.as("last_review_on"),
    )
    .where("p.id", "=", planId)
    .where("p.person_id", "=", personId)
    .forUpdate()
    .executeTakeFirst();
}

/** Everything on the child's protection page, newest first. */
export async function protectionRecord(db: Db, personId: string) {
  const [discussions, attendees, enquiries, conferences, plans, coreGroups] = await Promise.all([
    db
      .selectFrom("strategy_discussion")
      .select(["id", "held_on", "concerns", "outcome"])
      .where("person_id", "=", personId)
      .orderBy("held_on", "desc")
      .orderBy("recorded_at", "desc")
      .execute(),
    db
      .selectFrom("strategy_attendee as a")
      .innerJoin("strategy_discussion as d", "d.id", "a.strategy_discussion_id")
      .select(["a.strategy_discussion_id", "a.agency_kind", "a.name", "a.role"])
      .where("d.person_id", "=", personId)
      .orderBy("a.strategy_discussion_id")
      .orderBy("a.agency_kind")
      .orderBy("a.name")
      .execute(),
    db
      .selectFrom("s47_enquiry as s")
      .selectAll("s")
      .select(icpcHeld.as("has_icpc"))
      .where("s.person_id", "=", personId)
      .orderBy("s.started_on", "desc")
      .execute(),
    db
      .selectFrom("cp_conference")
      .select(["id", "kind", "held_on", "due_on", "decision", "category", "cp_plan_id"])
      .where("person_id", "=", personId)
      .orderBy("held_on", "desc")
      .orderBy("recorded_at", "desc")
      .execute(),
    db
      .selectFrom("cp_plan")
      .selectAll()
      .where("person_id", "=", personId)
      .orderBy("start_date", "desc")
      .execute(),
    db
      .selectFrom("core_group")
      .select(["id", "cp_plan_id", "held_on"])
      .where("person_id", "=", personId)
      .orderBy("held_on", "desc")
      .execute(),
  ]);
  return { discussions, attendees, enquiries, conferences, plans, coreGroups };
}
