/**
 * The work a decision creates (decision 0020): a `work_item` for the child's worker or, with
 * none, on the team's unallocated queue; done when the record it asks for is made. Plain
 * functions `(db, actor, input)` in the caller's transaction, ready for the JSON API.
 */
import { sql } from "kysely";
import { z } from "zod";
import type { Actor } from "../../access/actor.ts";
import { allocatableToTeam, allocationOpen, managedTeam } from "../../access/caseloads.ts";
import { isCalendarDate } from "../../domain/dates.ts";
import { caseholderRoles } from "../../domain/social-worker-change.ts";
import {
  doneByNote,
  endsWithCase,
  workKinds,
  workLabels,
  type WorkKind,
} from "../../domain/work.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { allocateWorker } from "../caseloads/allocate.ts";
import { recordEvent } from "../chronology/record.ts";

export interface Subject {
  type: string;
  id: string;
}

export interface Holder {
  teamId: string;
  workerId: string | null;
}

const calendarDate = z.string().refine(isCalendarDate, "a date as YYYY-MM-DD");

export const NewWork = z.object({
  personId: z.uuid(),
  kind: z.enum(workKinds),
  dueOn: calendarDate,
  createdOn: calendarDate,
  source: z.object({ type: z.string().min(1), id: z.uuid() }),
  /** Omitted: the child's social worker, else the actor's team's unallocated queue. */
  holder: z.object({ teamId: z.uuid(), workerId: z.uuid().nullable() }).optional(),
});
export type NewWork = z.infer<typeof NewWork>;

const openItem = sql<boolean>`(w.done_on is null and w.cancelled_reason is null)`;

/**
 * Who holds new work about the child: the social worker of their open allocation (the latest),
 * else the queue of the actor's first team (by name). An actor in no team cannot create work
 * that nobody would see, so that is refused.
 */
export async function holderFor(db: Db, actor: Actor, personId: string, today: string) {
  const allocation = await db
    .selectFrom("allocation as a")
    .innerJoin("app_user as u", "u.id", "a.worker_id")
    .select(["a.team_id", "a.worker_id"])
    .where("a.person_id", "=", personId)
    .where("a.la_id", "=", actor.laId)
    .where(allocationOpen("a", today))
    .where("u.role", "in", caseholderRoles)
    .orderBy("a.start_date", "desc")
    .executeTakeFirst();
  if (allocation) return { teamId: allocation.team_id, workerId: allocation.worker_id };
  return { teamId: await queueTeamOf(db, actor), workerId: null };
}

/** The team whose unallocated queue takes the actor's unallocated work. */
export async function queueTeamOf(db: Db, actor: Actor): Promise<string> {
  const team = await db
    .selectFrom("team as t")
    .select("t.id")
    .where("t.la_id", "=", actor.laId)
    .where(sql<boolean>`t.id = any(${actor.teamIds}::uuid[])`)
    .orderBy("t.name")
    .executeTakeFirst();
  if (!team) {
    throw new AppError(
      "validation",
      "You are not in a team, so the work this decision creates would have nowhere to go. Nothing has been saved: ask an administrator to add you to a team.",
    );
  }
  return team.id;
}

/**
 * Creates the work, unless the same kind of work is already open for the child (a second
 * decision asking for the same step adds nothing). Returns the item's id.
 */
export async function createWork(db: Db, actor: Actor, input: NewWork): Promise<string> {
  const work = NewWork.parse(input);
  const existing = await db
    .selectFrom("work_item as w")
    .select("w.id")
    .where("w.person_id", "=", work.personId)
    .where("w.kind", "=", work.kind)
    .where(openItem)
    .executeTakeFirst();
  if (existing) return existing.id;
  const holder = work.holder ?? (await holderFor(db, actor, work.personId, work.createdOn));
  const row = await db
    .insertInto("work_item")
    .values({
      la_id: actor.laId,
      person_id: work.personId,
      kind: work.kind,
      team_id: holder.teamId,
      worker_id: holder.workerId,
      due_on: work.dueOn,
      source_type: work.source.type,
      source_id: work.source.id,
      created_on: work.createdOn,
      created_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Marks the child's open work of these kinds done by the record `subject`. Work that was still
 * on a queue goes to whoever did it, as an allocation, when the child has no social worker in
 * that team yet: otherwise the child would leave everyone's view once the queue item is done.
 */
export async function completeWork(
  db: Db,
  actor: Actor,
  input: { personId: string; kinds: readonly WorkKind[]; subject: Subject; doneOn: string },
): Promise<number> {
  if (input.kinds.length === 0) return 0;
  const done = await db
    .updateTable("work_item as w")
    .set({
      done_on: input.doneOn,
      done_by: actor.userId,
      done_subject_type: input.subject.type,
      done_subject_id: input.subject.id,
      version: sql`w.version + 1`,
    })
    .where("w.person_id", "=", input.personId)
    .where("w.kind", "in", input.kinds)
    .where(openItem)
    .returning(["w.team_id", "w.worker_id"])
    .execute();
  for (const teamId of new Set(done.filter((d) => d.worker_id === null).map((d) => d.team_id))) {
    await allocateDoerIfUnheld(db, actor, input.personId, teamId, input.doneOn);
  }
  return done.length;
}

async function allocateDoerIfUnheld(
  db: Db,
  actor: Actor,
  personId: string,
  teamId: string,
  date: string,
): Promise<void> {
  const held = await db
    .selectFrom("allocation as a")
    .select("a.id")
    .where("a.person_id", "=", personId)
    .where("a.team_id", "=", teamId)
    .where(allocationOpen("a", date))
    .executeTakeFirst();
  if (held) return;
  const doer = await db
    .selectFrom("app_user as u")
    .select("u.id")
    .where("u.id", "=", actor.userId)
    .where(allocatableToTeam(actor.laId, "u", teamId))
    .executeTakeFirst();
  if (doer)
    await allocateWorker(db, actor, { personId, workerId: doer.id, teamId, startDate: date });
}

/** Closing the case cancels the open work of its episode; a note to the referrer stays. */
export async function cancelWorkOfClosedCase(db: Db, personId: string): Promise<number> {
  const kinds = workKinds.filter(endsWithCase);
  const cancelled = await db
    .updateTable("work_item as w")
    .set({ cancelled_reason: "case_closed", version: sql`w.version + 1` })
    .where("w.person_id", "=", personId)
    .where("w.kind", "in", kinds)
    .where(openItem)
    .executeTakeFirst();
  return Number(cancelled.numUpdatedRows);
}

/**
 * A worker's allocation ended: their open work about the child goes to `toWorkerId` (a
 * reallocation) or back to the team's unallocated queue.
 */
export async function handOverWork(
  db: Db,
  input: { personId: string; fromWorkerId: string; toWorkerId: string | null; teamId?: string },
): Promise<void> {
  await db
    .updateTable("work_item as w")
    .set({
      worker_id: input.toWorkerId,
      ...(input.teamId ? { team_id: input.teamId } : {}),
      version: sql`w.version + 1`,
    })
    .where("w.person_id", "=", input.personId)
    .where("w.worker_id", "=", input.fromWorkerId)
    .where(openItem)
    .execute();
}

export const AllocateWork = z.object({
  workItemId: z.uuid(),
  personId: z.uuid(),
  workerId: z.uuid(),
  date: calendarDate,
});
export type AllocateWork = z.infer<typeof AllocateWork>;

const staleWork =
  "This work has already been allocated or done, perhaps by someone else. Nothing was saved: check the queue as it is now.";

/**
 * A manager allocates an item from their team's queue: the worker (allocatable to the item's
 * team) takes the item, and the child, unless already theirs. Refuses work outside the
 * manager's teams (not found) and work no longer on the queue (conflict).
 */
export async function allocateWorkItem(db: Db, actor: Actor, input: AllocateWork) {
  const change = AllocateWork.parse(input);
  const item = await db
    .selectFrom("work_item as w")
    .innerJoin("team as t", "t.id", "w.team_id")
    .select(["w.id", "w.team_id", "w.worker_id", "w.kind", sql<boolean>`${openItem}`.as("open")])
    .where("w.id", "=", change.workItemId)
    .where("w.person_id", "=", change.personId)
    .where(managedTeam(actor, "t"))
    .executeTakeFirst();
  if (!item) throw new AppError("not_found", "Work item not found");
  if (!item.open || item.worker_id !== null) throw new AppError("conflict", staleWork);
  const worker = await db
    .selectFrom("app_user as u")
    .select(["u.id", "u.display_name"])
    .where("u.id", "=", change.workerId)
    .where(allocatableToTeam(actor.laId, "u", item.team_id))
    .executeTakeFirst();
  if (!worker) {
    const message = "Choose a social worker or team manager in the team";
    throw new AppError("validation", message, [{ field: "workerId", message }]);
  }
  const updated = await db
    .updateTable("work_item as w")
    .set({ worker_id: worker.id, version: sql`w.version + 1` })
    .where("w.id", "=", item.id)
    .where("w.worker_id", "is", null)
    .where(openItem)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw new AppError("conflict", staleWork);
  const held = await db
    .selectFrom("allocation as a")
    .select("a.id")
    .where("a.person_id", "=", change.personId)
    .where("a.worker_id", "=", worker.id)
    .where(allocationOpen("a", change.date))
    .executeTakeFirst();
  const allocationId = held
    ? null
    : await allocateWorker(db, actor, {
        personId: change.personId,
        workerId: worker.id,
        teamId: item.team_id,
        startDate: change.date,
      });
  return { kind: item.kind, workerId: worker.id, allocationId };
}

export const WorkDone = z.object({
  workItemId: z.uuid(),
  personId: z.uuid(),
  doneOn: calendarDate,
  note: z.string().trim().min(1).max(5000),
});
export type WorkDone = z.infer<typeof WorkDone>;

/**
 * Work no other record asks for (telling the referrer, first contact in early help) is done by
 * a case note saying what was done, which stays on the child's record.
 */
export async function recordWorkDone(db: Db, actor: Actor, input: WorkDone) {
  const done = WorkDone.parse(input);
  const item = await openNoteWork(db, done.personId, done.workItemId);
  if (!item) throw new AppError("conflict", staleWork);
  const note = await db
    .insertInto("case_note")
    .values({
      la_id: actor.laId,
      person_id: done.personId,
      occurred_on: done.doneOn,
      note: `${workLabels[item.kind]}: ${done.note}`,
      author_id: actor.userId,
      organisation_id: actor.organisationId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const updated = await db
    .updateTable("work_item as w")
    .set({
      done_on: done.doneOn,
      done_by: actor.userId,
      done_subject_type: "case_note",
      done_subject_id: note.id,
      version: sql`w.version + 1`,
    })
    .where("w.id", "=", item.id)
    .where(openItem)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw new AppError("conflict", staleWork);
  await recordEvent(db, actor, {
    personId: done.personId,
    occurredOn: done.doneOn,
    kind: "case_note",
    summary: workLabels[item.kind],
    subject: { type: "case_note", id: note.id },
  });
  return { noteId: note.id, kind: item.kind };
}

/** An open item of the child's that a note completes, or undefined. */
export async function openNoteWork(db: Db, personId: string, workItemId: string) {
  return db
    .selectFrom("work_item as w")
    .select(["w.id", "w.kind", "w.due_on", "w.version"])
    .where("w.id", "=", workItemId)
    .where("w.person_id", "=", personId)
    .where("w.kind", "in", doneByNote)
    .where(openItem)
    .executeTakeFirst();
}
