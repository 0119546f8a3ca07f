/**
 * A looked-after child's adoption (AD1), decisions that they should be placed for adoption
 * (PlacedAdoption), previous permanence (PrevPerm) and OC2 outcomes (decision 0042). Plain
 * functions `(db, actor, input)` in the caller's transaction: each asks src/access/ whether the
 * actor may record on the child (deny by default), locks the child's row, checks the rules of
 * src/domain/permanence.ts against what is stored, names every problem at once, and adds to the
 * chronology what happened (a decision, a placement, an adoption order). Every save adds a row;
 * the latest is the one in force (a decision is changed in place: it is one decision).
 */
import type { Actor } from "../../access/actor.ts";
import { permanenceVerdict } from "../../access/permanence.ts";
import { formatDate } from "../../domain/dates.ts";
import {
  checkAdoption,
  checkAdoptionDecision,
  checkOutcomes,
  checkPreviousPermanence,
  type Adoption,
  type AdoptionDecision,
  type Outcomes,
  type PreviousPermanence,
  type Problem,
} from "../../domain/permanence.ts";
import { collectionPeriod, type Ssda903Year } from "../../domain/ssda903/model.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { recordEvent } from "../chronology/record.ts";
import { lockChild } from "./queries.ts";

interface Input {
  personId: string;
  now: Date;
  today: string;
}

const refuseIf = (problems: readonly Problem[]): void => {
  if (problems.length > 0)
    throw new AppError("validation", "Check the details you entered", [...problems]);
};

/** May the actor record on the child? Then lock the child and read the date of birth. */
async function childToRecordOn(db: Db, actor: Actor, { personId, now }: Input) {
  const verdict = await permanenceVerdict(db, actor, personId, now);
  if (verdict === "not_visible") throw new AppError("not_found", "Page not found");
  if (verdict === "read_only") {
    throw new AppError(
      "forbidden",
      "You may read this record but not record on it. Ask the allocated team to record this.",
    );
  }
  await lockChild(db, personId);
  const row = await db
    .selectFrom("person")
    .select(["date_of_birth"])
    .where("id", "=", personId)
    .executeTakeFirstOrThrow();
  return { dateOfBirth: row.date_of_birth };
}

export async function recordOutcomes(
  db: Db,
  actor: Actor,
  input: Input & { year: Ssda903Year; outcomes: Outcomes },
): Promise<void> {
  const child = await childToRecordOn(db, actor, input);
  const o = input.outcomes;
  refuseIf(checkOutcomes(o, child.dateOfBirth, collectionPeriod(input.year).end));
  await db
    .insertInto("cla_outcomes")
    .values({
      la_id: actor.laId,
      person_id: input.personId,
      collection_year: input.year,
      sdq_score: o.sdqScore,
      sdq_reason: o.sdqReason,
      convicted: o.convicted,
      health_check: o.healthCheck,
      immunisations: o.immunisations,
      teeth_check: o.teethCheck,
      health_assessment: o.healthAssessment,
      substance_misuse: o.substanceMisuse,
      intervention_received: o.interventionReceived,
      intervention_offered: o.interventionOffered,
      recorded_by: actor.userId,
      recorded_at: input.now,
    })
    .execute();
}

export async function recordAdoption(
  db: Db,
  actor: Actor,
  input: Input & { adoption: Adoption },
): Promise<void> {
  const child = await childToRecordOn(db, actor, input);
  const a = input.adoption;
  refuseIf(checkAdoption(a, child, input.today));
  const before = await latestAdoption(db, input.personId);
  const { id } = await db
    .insertInto("adoption")
    .values({
      la_id: actor.laId,
      person_id: input.personId,
      best_interest_on: a.bestInterestOn,
      placement_order_on: a.placementOrderOn,
      matched_on: a.matchedOn,
      foster_care: a.fosterCare,
      number_of_adopters: a.numberOfAdopters,
      sex_of_adopters: a.sexOfAdopters,
      legal_status_of_adopters: a.legalStatusOfAdopters,
      adopted_on: a.adoptedOn,
      recorded_by: actor.userId,
      recorded_at: input.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (a.adoptedOn && a.adoptedOn !== before?.adopted_on) {
    await recordEvent(db, actor, {
      personId: input.personId,
      occurredOn: a.adoptedOn,
      kind: "adoption_order",
      summary: `Adoption order made on ${formatDate(a.adoptedOn)}`,
      subject: { type: "adoption", id },
    });
  }
}

/** A new decision (no id) or a change to one of the child's decisions. */
export async function recordAdoptionDecision(
  db: Db,
  actor: Actor,
  input: Input & { decision: AdoptionDecision },
): Promise<string> {
  const child = await childToRecordOn(db, actor, input);
  const d = input.decision;
  const others = await adoptionDecisionsOf(db, input.personId);
  const before = d.id ? others.find((o) => o.id === d.id) : undefined;
  if (d.id && !before) throw new AppError("not_found", "Page not found");
  refuseIf(checkAdoptionDecision(d, others, child, input.today));
  const values = {
    decided_on: d.decidedOn,
    placed_on: d.placedOn,
    ceased_on: d.ceasedOn,
    ceased_reason: d.ceasedReason,
    updated_at: input.now,
  };
  const id = before
    ? (
        await db
          .updateTable("adoption_decision")
          .set(values)
          .where("id", "=", before.id)
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id
    : (
        await db
          .insertInto("adoption_decision")
          .values({
            ...values,
            la_id: actor.laId,
            person_id: input.personId,
            recorded_by: actor.userId,
            recorded_at: input.now,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
  const subject = { type: "adoption_decision", id };
  const event = (
    occurredOn: string,
    kind: "adoption_decision" | "placed_for_adoption",
    summary: string,
  ) => recordEvent(db, actor, { personId: input.personId, occurredOn, kind, summary, subject });
  if (d.decidedOn !== before?.decidedOn) {
    await event(
      d.decidedOn,
      "adoption_decision",
      "Decision that the child should be placed for adoption",
    );
  }
  if (d.placedOn && d.placedOn !== before?.placedOn) {
    await event(
      d.placedOn,
      "placed_for_adoption",
      `Placed for adoption on ${formatDate(d.placedOn)}`,
    );
  }
  if (d.ceasedOn && d.ceasedOn !== before?.ceasedOn) {
    await event(
      d.ceasedOn,
      "adoption_decision",
      "Decision that the child should no longer be placed for adoption",
    );
  }
  return id;
}

export async function recordPreviousPermanence(
  db: Db,
  actor: Actor,
  input: Input & { permanence: PreviousPermanence },
): Promise<void> {
  const child = await childToRecordOn(db, actor, input);
  const p = input.permanence;
  refuseIf(checkPreviousPermanence(p, child, input.today));
  await db
    .insertInto("previous_permanence")
    .values({
      la_id: actor.laId,
      person_id: input.personId,
      prev_perm: p.prevPerm,
      la_perm: p.laPerm,
      perm_year: p.year,
      perm_month: p.month,
      perm_day: p.day,
      recorded_by: actor.userId,
      recorded_at: input.now,
    })
    .execute();
}

export function latestAdoption(db: Db, personId: string) {
  return db
    .selectFrom("adoption")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("recorded_at", "desc")
    .orderBy("id")
    .executeTakeFirst();
}

export async function adoptionDecisionsOf(
  db: Db,
  personId: string,
): Promise<(AdoptionDecision & { id: string })[]> {
  const rows = await db
    .selectFrom("adoption_decision")
    .select(["id", "decided_on", "placed_on", "ceased_on", "ceased_reason"])
    .where("person_id", "=", personId)
    .orderBy("decided_on")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    decidedOn: r.decided_on,
    placedOn: r.placed_on,
    ceasedOn: r.ceased_on,
    ceasedReason: r.ceased_reason,
  }));
}

export function latestPreviousPermanence(db: Db, personId: string) {
  return db
    .selectFrom("previous_permanence")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("recorded_at", "desc")
    .orderBy("id")
    .executeTakeFirst();
}

export function latestOutcomes(db: Db, personId: string, year: string) {
  return db
    .selectFrom("cla_outcomes")
    .selectAll()
    .where("person_id", "=", personId)
    .where("collection_year", "=", year)
    .orderBy("recorded_at", "desc")
    .orderBy("id")
    .executeTakeFirst();
}
