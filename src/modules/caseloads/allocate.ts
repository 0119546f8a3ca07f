import type { Actor } from "../../access/actor.ts";
import { allocatableToTeam, allocationOpen } from "../../access/caseloads.ts";
import { isCalendarDate } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { recordEvent } from "../chronology/record.ts";

export interface NewAllocation {
  personId: string;
  workerId: string;
  teamId: string;
  /** 'YYYY-MM-DD'; the caller has checked it against today and the child's journey. */
  startDate: string;
}

/**
 * Opens an allocation without a chronology event (the caller records the one that fits:
 * "allocated" or "reallocated"). Refuses a worker who may not hold the child in that team and
 * a second open allocation of the same worker. Returns the new id and the worker's name.
 */
export async function openAllocation(
  tx: Db,
  actor: Actor,
  allocation: NewAllocation,
): Promise<{ id: string; workerName: string }> {
  const { personId, workerId, teamId, startDate } = allocation;
  if (!isCalendarDate(startDate)) throw new RangeError(`Not a date: "${startDate}"`);
  const person = await tx
    .selectFrom("person")
    .select("id")
    .where("id", "=", personId)
    .where("la_id", "=", actor.laId)
    .executeTakeFirst();
  if (!person) throw new AppError("not_found", "Person not found");
  const worker = await tx
    .selectFrom("app_user as u")
    .select("u.display_name")
    .where("u.id", "=", workerId)
    .where(allocatableToTeam(actor.laId, "u", teamId))
    .executeTakeFirst();
  if (!worker) {
    throw new AppError("validation", "Choose a social worker or team manager in the team", [
      { field: "workerId", message: "Choose a social worker or team manager in the team" },
    ]);
  }
  const duplicate = await tx
    .selectFrom("allocation as a")
    .select("a.id")
    .where("a.person_id", "=", personId)
    .where("a.worker_id", "=", workerId)
    .where(allocationOpen("a", startDate))
    .executeTakeFirst();
  if (duplicate) {
    const message = `${worker.display_name} is already allocated to this child: choose someone else`;
    throw new AppError("validation", message, [{ field: "workerId", message }]);
  }
  const row = await tx
    .insertInto("allocation")
    .values({
      la_id: actor.laId,
      person_id: personId,
      worker_id: workerId,
      team_id: teamId,
      start_date: startDate,
      allocated_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, workerName: worker.display_name };
}

/**
 * Allocates a worker to a child (e.g. when a manager decides a contact), recording who
 * allocated and an "allocated" chronology event, in the caller's transaction. The worker must
 * be an active social worker or team manager of the actor's LA and a member of the team; a
 * second open allocation of the same worker is refused with a validation error on "workerId".
 * The caller has already checked that the actor may see and record on the child.
 */
export async function allocateWorker(
  tx: Db,
  actor: Actor,
  allocation: NewAllocation,
): Promise<string> {
  const { id, workerName } = await openAllocation(tx, actor, allocation);
  await recordEvent(tx, actor, {
    personId: allocation.personId,
    occurredOn: allocation.startDate,
    kind: "allocated",
    summary: `Allocated to ${workerName}`,
    subject: { type: "allocation", id },
  });
  return id;
}
