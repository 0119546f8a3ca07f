import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { allocatableToTeam, allocationOpen, managedTeam } from "../../access/caseloads.ts";
import type { Db } from "../../platform/database.ts";
import { allocateWorker } from "../caseloads/allocate.ts";

export interface Worker {
  id: string;
  display_name: string;
  job_title: string;
  team_id: string;
  team_name: string;
}

/** The practitioners the actor may allocate a child to, each with the team it would be in. */
export async function allocatableWorkers(db: Db, actor: Actor): Promise<Worker[]> {
  return db
    .selectFrom("app_user as u")
    .innerJoin("team_member as tm", "tm.user_id", "u.id")
    .innerJoin("team as t", "t.id", "tm.team_id")
    .select(["u.id", "u.display_name", "u.job_title", "t.id as team_id", "t.name as team_name"])
    .distinctOn("u.id")
    .where(managedTeam(actor, "t"))
    .where(allocatableToTeam(actor.laId, "u", sql.ref("t.id")))
    .orderBy("u.id")
    .orderBy("t.name")
    .execute()
    .then((rows) => rows.sort((a, b) => a.display_name.localeCompare(b.display_name)));
}

/**
 * Allocates the worker to the child from `startDate` unless they already hold an open
 * allocation (a contact about a child the worker already holds changes nothing).
 */
export async function allocateIfNeeded(
  db: Db,
  actor: Actor,
  personId: string,
  worker: Worker,
  startDate: string,
): Promise<void> {
  const existing = await db
    .selectFrom("allocation as a")
    .select("a.id")
    .where("a.person_id", "=", personId)
    .where("a.worker_id", "=", worker.id)
    .where(allocationOpen("a", startDate))
    .executeTakeFirst();
  if (existing) return;
  await allocateWorker(db, actor, {
    personId,
    workerId: worker.id,
    teamId: worker.team_id,
    startDate,
  });
}
