/**
 * Allocations that end (decision 0021): closing a case ends every open allocation of the
 * child, and a worker (their own) or a manager (within their teams) ends one with a note.
 * Visibility follows open allocations, so the worker's sight ends with it; their open work
 * about the child goes back to the team's unallocated queue.
 */
import { sql } from "kysely";
import { z } from "zod";
import type { Actor } from "../../access/actor.ts";
import { allocationOpen, mayEndAllocation } from "../../access/caseloads.ts";
import { isCalendarDate } from "../../domain/dates.ts";
import { socialWorkerChangeReasons } from "../../domain/social-worker-change.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { recordEvent } from "../chronology/record.ts";
import { handOverWork } from "../work/service.ts";

export const EndAllocation = z.object({
  personId: z.uuid(),
  allocationId: z.uuid(),
  endDate: z.string().refine(isCalendarDate, "a date as YYYY-MM-DD"),
  note: z.string().trim().min(1).max(2000),
  /** Why the social worker is changing (the SSDA903's SW_REASON), where the ender says. */
  reason: z
    .string()
    .refine((code) => socialWorkerChangeReasons.some((r) => r.code === code))
    .nullish(),
});
export type EndAllocation = z.infer<typeof EndAllocation>;

const staleMessage =
  "This allocation has already ended, perhaps by someone else. Nothing was saved: check who is allocated now.";

/** The person's open allocations the actor may end, with the worker and team. */
export async function endableAllocations(db: Db, actor: Actor, personId: string, today: string) {
  return db
    .selectFrom("allocation as a")
    .innerJoin("app_user as w", "w.id", "a.worker_id")
    .innerJoin("team as t", "t.id", "a.team_id")
    .select([
      "a.id",
      "a.worker_id",
      "a.team_id",
      "a.start_date",
      "w.display_name as worker_name",
      "t.name as team_name",
    ])
    .where("a.person_id", "=", personId)
    .where(mayEndAllocation(actor, "a"))
    .where(allocationOpen("a", today))
    .orderBy("a.start_date")
    .execute();
}

/**
 * Ends one allocation on `endDate` with the note, in the caller's transaction. Refuses an
 * allocation the actor may not end as not found (the route audits the refusal), and one
 * already ended as a conflict.
 */
export async function endAllocation(db: Db, actor: Actor, input: EndAllocation, today: string) {
  const end = EndAllocation.parse(input);
  const allocation = await db
    .selectFrom("allocation as a")
    .innerJoin("app_user as w", "w.id", "a.worker_id")
    .select(["a.id", "a.start_date", "a.end_date", "a.worker_id", "a.team_id", "w.display_name"])
    .where("a.id", "=", end.allocationId)
    .where("a.person_id", "=", end.personId)
    .where(mayEndAllocation(actor, "a"))
    .executeTakeFirst();
  if (!allocation) throw new AppError("not_found", "Allocation not found");
  if (allocation.end_date !== null && allocation.end_date <= today) {
    throw new AppError("conflict", staleMessage);
  }
  if (end.endDate < allocation.start_date || end.endDate > today) {
    const message = "The end date must be between the day the allocation started and today";
    throw new AppError("validation", message, [{ field: "endDate-day", message }]);
  }
  const ended = await db
    .updateTable("allocation as a")
    .set({
      end_date: end.endDate,
      end_kind: "ended",
      end_note: end.note,
      end_reason: end.reason ?? null,
      ended_by: actor.userId,
    })
    .where("a.id", "=", allocation.id)
    .where(allocationOpen("a", today))
    .executeTakeFirst();
  if (ended.numUpdatedRows === 0n) throw new AppError("conflict", staleMessage);
  await handOverWork(db, {
    personId: end.personId,
    fromWorkerId: allocation.worker_id,
    toWorkerId: null,
  });
  await recordEvent(db, actor, {
    personId: end.personId,
    occurredOn: end.endDate,
    kind: "allocation_ended",
    summary: `Allocation to ${allocation.display_name} ended`,
    subject: { type: "allocation", id: allocation.id },
  });
  return { workerId: allocation.worker_id, teamId: allocation.team_id };
}

/**
 * Closing the case ends each of the child's allocations open today (decision 0021), in the
 * closure's transaction: on the closure date, or on its start if it began after that day.
 * Their open work is cancelled with the case by the caller. Returns how many ended.
 */
export async function endAllocationsOfClosedCase(
  db: Db,
  actor: Actor,
  input: { personId: string; closedOn: string },
  today: string,
): Promise<number> {
  const ended = await db
    .updateTable("allocation as a")
    .set({
      end_date: sql<string>`greatest(a.start_date, ${input.closedOn}::date)`,
      end_kind: "case_closed",
      ended_by: actor.userId,
    })
    .where("a.person_id", "=", input.personId)
    .where("a.la_id", "=", actor.laId)
    .where(allocationOpen("a", today))
    .returning("a.id")
    .execute();
  return ended.length;
}
