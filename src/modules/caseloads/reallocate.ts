import type { Actor } from "../../access/actor.ts";
import { allocationOpen, managedAllocation } from "../../access/caseloads.ts";
import {
  socialWorkerChangeReasons,
  type SocialWorkerChangeReason,
} from "../../domain/social-worker-change.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { isUuid } from "../../platform/routes.ts";
import { recordEvent } from "../chronology/record.ts";
import { handOverWork } from "../work/service.ts";
import { openAllocation } from "./allocate.ts";
import {
  managedAllocationOf,
  type ReallocatableAllocation,
  type ReallocationCandidate,
} from "./queries.ts";

export interface Reallocation {
  allocationId: string;
  workerId: string;
  teamId: string;
  reason: SocialWorkerChangeReason;
  date: string;
}

const staleMessage =
  "This allocation has already been ended, perhaps by someone else. Nothing was saved: check who is allocated now and try again.";

/**
 * Reads the reallocation form against what the actor may choose: an open allocation in their
 * teams (a stale one is a conflict), a worker offered on the form, a reason, and a date that
 * is not in the future nor before the current allocation started. Collects every problem.
 */
export async function readReallocation(
  db: Db,
  actor: Actor,
  personId: string,
  form: Record<string, unknown>,
  context: {
    today: string;
    allocations: readonly ReallocatableAllocation[];
    candidates: readonly ReallocationCandidate[];
  },
): Promise<Reallocation> {
  const reader = new FormReader(form);
  const allocationId = reader.raw("allocationId");
  const current = context.allocations.find((a) => a.id === allocationId);
  if (!current) {
    const known = isUuid(allocationId)
      ? await managedAllocationOf(db, actor, personId, allocationId)
      : undefined;
    if (known) throw new AppError("conflict", staleMessage);
    reader.fail("allocationId", "Select the allocation to end");
  }
  const workerId = reader.raw("workerId");
  const worker = workerChoice(context.candidates, workerId, current?.team_id);
  if (!workerId) reader.fail("workerId", "Select the new worker");
  else if (!worker || worker.id === current?.worker_id) {
    reader.fail("workerId", "Select a social worker or team manager from your teams");
  }
  const reason = reader.code("reason", socialWorkerChangeReasons, "the reason for the change", {
    required: true,
  });
  const date = reader.date("date", "the date of the change", {
    required: true,
    notAfter: context.today,
    ...(current
      ? { notBefore: { date: current.start_date, what: "the day the current allocation started" } }
      : {}),
  });
  reader.done();
  if (!current || !worker || !reason || !date) throw new Error("unreachable: form was checked");
  return { allocationId: current.id, workerId: worker.id, teamId: worker.team_id, reason, date };
}

/**
 * The new worker's row for the form's choice, in the team of the current allocation if they
 * belong to it, otherwise in the first of the manager's teams they belong to.
 */
export function workerChoice(
  candidates: readonly ReallocationCandidate[],
  workerId: string,
  preferredTeamId: string | undefined,
): ReallocationCandidate | undefined {
  const rows = candidates.filter((c) => c.id === workerId);
  return rows.find((c) => c.team_id === preferredTeamId) ?? rows[0];
}

/**
 * Ends the current allocation on the date with the reason, and opens the new one from the same
 * date, with an entry on the child's chronology, in the caller's transaction. The end is a
 * conditional update: if the allocation was ended meanwhile, nothing is saved (409).
 *
 * Visibility (src/access/visibility.ts) treats an allocation as open while `end_date > today`,
 * so ending it today takes the old worker's sight through it away at once, and the new
 * allocation gives the new worker sight at once (visibility does not look at start dates).
 */
export async function reallocate(
  tx: Db,
  actor: Actor,
  personId: string,
  change: Reallocation,
  today: string,
): Promise<{ id: string; endedWorkerId: string }> {
  const ended = await tx
    .updateTable("allocation as a")
    .set({
      end_date: change.date,
      end_reason: change.reason,
      end_kind: "reallocated",
      ended_by: actor.userId,
    })
    .where("a.id", "=", change.allocationId)
    .where("a.person_id", "=", personId)
    .where(managedAllocation(actor, "a"))
    .where(allocationOpen("a", today))
    .returning("a.worker_id")
    .executeTakeFirst();
  if (!ended) throw new AppError("conflict", staleMessage);
  const previous = await tx
    .selectFrom("app_user")
    .select("display_name")
    .where("id", "=", ended.worker_id)
    .executeTakeFirstOrThrow();
  const { id, workerName } = await openAllocation(tx, actor, {
    personId,
    workerId: change.workerId,
    teamId: change.teamId,
    startDate: change.date,
  });
  // The old worker's open work about the child goes with the child to the new worker.
  await handOverWork(tx, {
    personId,
    fromWorkerId: ended.worker_id,
    toWorkerId: change.workerId,
    teamId: change.teamId,
  });
  // Staff names only: the reason stays on the allocation history, since some reasons (a long
  // absence, a death) are about the worker, and partners read the chronology too.
  await recordEvent(tx, actor, {
    personId,
    occurredOn: change.date,
    kind: "reallocated",
    summary: `Reallocated from ${previous.display_name} to ${workerName}`,
    subject: { type: "allocation", id },
  });
  return { id, endedWorkerId: ended.worker_id };
}
