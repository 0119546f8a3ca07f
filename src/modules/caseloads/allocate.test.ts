import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor, type Actor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { findVisiblePerson } from "../people/queries.ts";
import { allocateWorker } from "./allocate.ts";
import { reallocate } from "./reallocate.ts";
import { addAllocation, addPerson, addStaff, allocationsOf } from "./test-support.ts";

const NOW = new Date("2026-03-02T10:00:00Z");

let database: Database;
let world: World;
let tmA: Actor;

async function actor(userId: string): Promise<Actor> {
  const loaded = await loadActor(database.db, userId);
  if (!loaded) throw new Error("no actor");
  return loaded;
}

/** The AppError a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  tmA = await actor(world.users.tmA.id);
});

describe("allocateWorker", () => {
  it("opens an allocation recording who allocated, with an 'allocated' chronology event", async () => {
    const child = await addPerson(database.db, world, "Jago", "Tremayne", "2017-02-11");
    const swA = await actor(world.users.swA.id);
    expect(await findVisiblePerson(database.db, swA, child, NOW)).toBeUndefined();

    const id = await allocateWorker(database.db, tmA, {
      personId: child,
      workerId: world.users.swA.id,
      teamId: world.teams.fsA,
      startDate: "2026-02-27",
    });
    expect(await allocationsOf(database.db, child)).toEqual([
      expect.objectContaining({
        id,
        worker_id: world.users.swA.id,
        team_id: world.teams.fsA,
        start_date: "2026-02-27",
        end_date: null,
        allocated_by: world.users.tmA.id,
        la_id: world.laId,
      }),
    ]);
    const events = await database.db
      .selectFrom("chronology_entry")
      .select(["kind", "summary", "occurred_on", "subject_type", "subject_id", "recorded_by"])
      .where("person_id", "=", child)
      .execute();
    expect(events).toEqual([
      {
        kind: "allocated",
        summary: "Allocated to sw.a",
        occurred_on: "2026-02-27",
        subject_type: "allocation",
        subject_id: id,
        recorded_by: world.users.tmA.id,
      },
    ]);
    // The worker sees the child from now on.
    expect(await findVisiblePerson(database.db, swA, child, NOW)).toBeDefined();
  });

  it("refuses a second open allocation of the same worker, naming the field", async () => {
    const error = await refusal(
      allocateWorker(database.db, tmA, {
        personId: world.people.childA1,
        workerId: world.users.swA.id,
        teamId: world.teams.fsA,
        startDate: "2026-03-02",
      }),
    );
    expect(error.code).toBe("validation");
    expect(error.fieldErrors).toEqual([
      {
        field: "workerId",
        message: "sw.a is already allocated to this child: choose someone else",
      },
    ]);
    expect(await allocationsOf(database.db, world.people.childA1)).toHaveLength(1);
  });

  it("allows the same worker again once their earlier allocation has ended", async () => {
    const child = await addPerson(database.db, world, "Kit", "Tremayne", "2018-05-30");
    await addAllocation(database.db, world, {
      personId: child,
      workerId: world.users.swA.id,
      teamId: world.teams.fsA,
      startDate: "2024-01-08",
      endDate: "2024-09-02",
      endReason: "CHCHAN",
    });
    await allocateWorker(database.db, tmA, {
      personId: child,
      workerId: world.users.swA.id,
      teamId: world.teams.fsA,
      startDate: "2026-03-02",
    });
    expect(await allocationsOf(database.db, child)).toHaveLength(2);
  });

  it("refuses workers who are not social workers or managers of that team", async () => {
    const child = await addPerson(database.db, world, "Lowen", "Tremayne", "2019-10-03");
    const inactive = await addStaff(
      database.db,
      world,
      "sw.off@test.example",
      "social_worker",
      [world.teams.fsA],
      { active: false },
    );
    for (const [workerId, teamId] of [
      [world.users.swB.id, world.teams.fsA],
      [world.users.police.id, world.teams.fsA],
      [world.users.businessSupportA.id, world.teams.fsA],
      [world.users.adultSpecialistA.id, world.teams.fsA],
      [inactive.id, world.teams.fsA],
      [world.users.otherLaSw.id, world.teams.otherLa],
    ] as const) {
      const error = await refusal(
        allocateWorker(database.db, tmA, {
          personId: child,
          workerId,
          teamId,
          startDate: "2026-03-02",
        }),
      );
      expect(error.code, workerId).toBe("validation");
      expect(error.fieldErrors[0]?.field).toBe("workerId");
    }
    expect(await allocationsOf(database.db, child)).toEqual([]);
  });

  it("refuses a person of another local authority", async () => {
    const error = await refusal(
      allocateWorker(database.db, tmA, {
        personId: world.people.otherLaChild,
        workerId: world.users.swA.id,
        teamId: world.teams.fsA,
        startDate: "2026-03-02",
      }),
    );
    expect(error.code).toBe("not_found");
    expect(await allocationsOf(database.db, world.people.otherLaChild)).toHaveLength(1);
  });
});

describe("reallocate", () => {
  it("saves nothing when the allocation was ended between reading and writing", async () => {
    // The form was read while the allocation was open; another manager ends it before the
    // update runs: the conditional update touches no row and the change is refused.
    const child = await addPerson(database.db, world, "Morwenna", "Tremayne", "2015-12-01");
    const allocationId = await addAllocation(database.db, world, {
      personId: child,
      workerId: world.users.swA.id,
      teamId: world.teams.fsA,
      endDate: "2026-03-02",
      endReason: "MANAGE",
    });
    const error = await refusal(
      reallocate(
        database.db,
        tmA,
        child,
        {
          allocationId,
          workerId: world.users.tmA.id,
          teamId: world.teams.fsA,
          reason: "OTHERS",
          date: "2026-03-02",
        },
        "2026-03-02",
      ),
    );
    expect(error.code).toBe("conflict");
    expect(await allocationsOf(database.db, child)).toHaveLength(1);
  });

  it("does not end an allocation in a team the actor does not manage", async () => {
    const [allocation] = await allocationsOf(database.db, world.people.childB1);
    const error = await refusal(
      reallocate(
        database.db,
        tmA,
        world.people.childB1,
        {
          allocationId: allocation?.id ?? "",
          workerId: world.users.tmA.id,
          teamId: world.teams.fsA,
          reason: "OTHERS",
          date: "2026-03-02",
        },
        "2026-03-02",
      ),
    );
    expect(error.code).toBe("conflict");
    expect(await allocationsOf(database.db, world.people.childB1)).toEqual([allocation]);
  });
});
