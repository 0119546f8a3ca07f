import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database, Db } from "../../platform/database.ts";
import { addAllocation, addPerson, addStaff, addTeam, joinTeam } from "./test-support.ts";

/** The test clock reads 2 March 2026, 10:00 (GMT). */
export const TODAY = "2026-03-02";
export const today = { "date-day": "2", "date-month": "3", "date-year": "2026" };

export interface ReallocationFixture {
  database: Database;
  world: World;
  app: FastifyInstance;
  /** A social worker in fsA only. */
  swNew: { id: string; email: string };
  /** A social worker in fsC only. */
  swC: { id: string; email: string };
  /** A third team that tmA also manages. */
  fsC: string;
}

/** The test world, plus a new fsA social worker and a team fsC that tmA also manages. */
export async function reallocationFixture(): Promise<ReallocationFixture> {
  const database = await freshDatabase();
  const world = await buildWorld(database.db);
  const { app } = await testApp(database);
  const swNew = await addStaff(database.db, world, "sw.new@test.example", "social_worker", [
    world.teams.fsA,
  ]);
  const fsC = await addTeam(database.db, world, "Family Safeguarding C");
  await joinTeam(database.db, fsC, world.users.tmA.id);
  const swC = await addStaff(database.db, world, "sw.c@test.example", "social_worker", [fsC]);
  return { database, world, app, swNew, swC, fsC };
}

/** A new child allocated to the worker in the team from 6 January 2025. */
export async function childOf(
  fixture: ReallocationFixture,
  workerId: string,
  teamId: string,
  name: string,
): Promise<string> {
  const { database, world } = fixture;
  const id = await addPerson(database.db, world, name, "Fairweather", "2016-09-14");
  await addAllocation(database.db, world, { personId: id, workerId, teamId });
  return id;
}

/** Opens the reallocation form (expecting it to open) and reads the allocation it ends. */
export async function openForm(client: Client, personId: string) {
  const form = await client.get(`/people/${personId}/allocations/reallocate`);
  expect(form.statusCode).toBe(200);
  const allocationId = /name="allocationId" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
  return { form, allocationId };
}

/** The person's allocation events on the chronology. */
export function chronologyOf(db: Db, personId: string) {
  return db
    .selectFrom("chronology_entry")
    .select(["kind", "summary", "occurred_on", "subject_id"])
    .where("person_id", "=", personId)
    .where("kind", "in", ["reallocated", "allocated"])
    .execute();
}
