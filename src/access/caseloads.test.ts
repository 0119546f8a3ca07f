import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { freshDatabase } from "../../test/support/database.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import {
  addAllocation,
  addPerson,
  addStaff,
  addTeam,
  joinTeam,
} from "../modules/caseloads/test-support.ts";
import type { Database } from "../platform/database.ts";
import { loadActor, type Actor } from "./actor.ts";
import {
  allocatableToTeam,
  allocationOpen,
  managedAllocation,
  managedTeam,
  managesCaseloads,
  mayTakeReallocation,
} from "./caseloads.ts";

let database: Database;
let world: World;
let tmA: Actor;
const extra: Record<string, string> = {};

async function actor(userId: string): Promise<Actor> {
  const loaded = await loadActor(database.db, userId);
  if (!loaded) throw new Error("no actor");
  return loaded;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  extra.swNew = (
    await addStaff(db, world, "sw.new@test.example", "social_worker", [world.teams.fsA])
  ).id;
  extra.swGone = (
    await addStaff(db, world, "sw.gone@test.example", "social_worker", [world.teams.fsA], {
      active: false,
    })
  ).id;
  // A police officer wrongly added to an LA team is still not an LA social worker.
  extra.policeInTeam = (
    await addStaff(db, world, "sw.police@test.example", "social_worker", [world.teams.fsA], {
      organisationId: world.orgs.police,
    })
  ).id;
  extra.lonelyTm = (await addStaff(db, world, "tm.none@test.example", "team_manager", [])).id;
  tmA = await actor(world.users.tmA.id);
});

describe("managesCaseloads", () => {
  it("is true for a team manager in a team, and false otherwise", async () => {
    expect(managesCaseloads(tmA)).toBe(true);
    expect(managesCaseloads(await actor(world.users.swA.id))).toBe(false);
    expect(managesCaseloads(await actor(world.users.businessSupportA.id))).toBe(false);
    expect(managesCaseloads(await actor(extra.lonelyTm ?? ""))).toBe(false);
  });
});

describe("managedAllocation and managedTeam", () => {
  const managedPeople = (who: Actor) =>
    database.db
      .selectFrom("allocation as a")
      .select("a.person_id")
      .where(managedAllocation(who, "a"))
      .execute()
      .then((rows) => rows.map((r) => r.person_id).sort());

  it("covers the allocations within the manager's teams only", async () => {
    expect(await managedPeople(tmA)).toEqual(
      [
        world.people.childA1,
        world.people.childA2,
        world.people.motherA,
        world.people.restrictedChildA,
      ].sort(),
    );
  });

  it("covers nothing for a social worker, even in the same team", async () => {
    expect(await managedPeople(await actor(world.users.swA.id))).toEqual([]);
  });

  it("never reaches another LA's team, whatever the actor's team list says", async () => {
    const forged = { ...tmA, teamIds: [...tmA.teamIds, world.teams.otherLa] };
    expect(await managedPeople(forged)).not.toContain(world.people.otherLaChild);
    const teams = await database.db
      .selectFrom("team as t")
      .select("t.id")
      .where(managedTeam(forged, "t"))
      .execute();
    expect(teams.map((t) => t.id)).toEqual([world.teams.fsA]);
  });
});

describe("allocationOpen", () => {
  it("is open with no end date or one still to come, and ended on its end date", async () => {
    const person = await addPerson(database.db, world, "Open", "Test", "2015-01-01");
    const ends = ["2026-03-01", "2026-03-02", "2026-03-03", null];
    for (const endDate of ends) {
      await addAllocation(database.db, world, {
        personId: person,
        workerId: world.users.swB.id,
        teamId: world.teams.fsB,
        endDate,
      });
    }
    const open = await database.db
      .selectFrom("allocation as a")
      .select("a.end_date")
      .where("a.person_id", "=", person)
      .where(allocationOpen("a", "2026-03-02"))
      .execute();
    expect(open.map((r) => r.end_date).sort()).toEqual(["2026-03-03", null].sort());
  });
});

describe("mayTakeReallocation", () => {
  it("offers the manager's teams' active LA social workers and team managers, nobody else", async () => {
    const rows = await database.db
      .selectFrom("app_user as u")
      .select("u.id")
      .where(mayTakeReallocation(tmA, "u"))
      .execute();
    expect(rows.map((r) => r.id).sort()).toEqual(
      [world.users.swA.id, world.users.tmA.id, extra.swNew].sort(),
    );
  });

  it("offers nobody to someone who does not manage caseloads", async () => {
    const rows = await database.db
      .selectFrom("app_user as u")
      .select("u.id")
      .where(mayTakeReallocation(await actor(world.users.swA.id), "u"))
      .execute();
    expect(rows).toEqual([]);
  });

  it("follows team membership as it changes", async () => {
    const fsC = await addTeam(database.db, world, "Family Safeguarding C");
    await joinTeam(database.db, fsC, world.users.tmA.id);
    await joinTeam(database.db, fsC, world.users.swB.id);
    const rows = await database.db
      .selectFrom("app_user as u")
      .select("u.id")
      .where(mayTakeReallocation(await actor(world.users.tmA.id), "u"))
      .execute();
    expect(rows.map((r) => r.id)).toContain(world.users.swB.id);
  });
});

describe("allocatableToTeam", () => {
  it("admits only social workers and team managers who are members of that team", async () => {
    const rows = await database.db
      .selectFrom("app_user as u")
      .select("u.id")
      .where(allocatableToTeam(world.laId, "u", world.teams.fsB))
      .execute();
    expect(rows.map((r) => r.id)).toEqual([world.users.swB.id]);
    const otherLa = await database.db
      .selectFrom("app_user as u")
      .select("u.id")
      .where(allocatableToTeam(world.laId, "u", sql`${world.teams.otherLa}::uuid`))
      .execute();
    expect(otherLa).toEqual([]);
  });
});
