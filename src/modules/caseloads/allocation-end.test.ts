/**
 * Allocations end (decision 0021): closing a case ends the child's allocations, so the worker
 * loses sight of the child while the team manager and the front door still find them; caseloads
 * count only open allocations; a worker ends their own allocation and a manager their team's,
 * and anyone else is refused and audited.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { dateFields } from "../../../test/support/forms.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { openEpisode } from "../protection/test-support.ts";
import { teamCaseloads } from "./queries.ts";
import { addStaff } from "./test-support.ts";

const TODAY = "2026-03-02";
let database: Database;
let world: World;
let app: FastifyInstance;
let sw: Client;
let tm: Client;
let swB: Client;
let frontDoorWorker: Client;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const frontDoor = await database.db
    .insertInto("team")
    .values({
      la_id: world.laId,
      organisation_id: world.orgs.la,
      name: "Front Door",
      kind: "front_door",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const fd = await addStaff(database.db, world, "fd@test.example", "social_worker", [frontDoor.id]);
  sw = await signIn(app, world.users.swA.email);
  tm = await signIn(app, world.users.tmA.email);
  swB = await signIn(app, world.users.swB.email);
  frontDoorWorker = await signIn(app, fd.email);
});

let childCount = 0;
/** A child added by swA (so allocated to swA in team A), with an open case since February. */
async function childWithCase(): Promise<string> {
  childCount++;
  await sw.get("/people/new");
  const added = await sw.post("/people", {
    givenName: `Ending${String(childCount)}`,
    familyName: "Allocation",
    ...dateFields("dateOfBirth", "2014-09-09"),
    nhsNumberException: "unknown_delay",
    nhsNumberExceptionNote: "Not known yet",
  });
  const id = String(added.headers.location).split("/").pop() ?? "";
  await openEpisode(database.db, world, id, "2026-02-02");
  return id;
}

async function swACaseload(): Promise<number> {
  const actor = await loadActor(database.db, world.users.tmA.id);
  if (!actor) throw new Error("no actor");
  const teams = await teamCaseloads(database.db, actor, new Date(`${TODAY}T12:00:00Z`), TODAY);
  const worker = teams.flatMap((t) => t.workers).find((w) => w.id === world.users.swA.id);
  return worker?.total ?? 0;
}

async function close(id: string, client = sw) {
  await client.get(`/people/${id}/close`);
  return client.post(`/people/${id}/close`, {
    version: "1",
    ...dateFields("closedOn", TODAY),
    closureReason: "RC8",
    primaryNeed: "N1",
    stepDown: "no",
  });
}

describe("closing a case", () => {
  it("ends the child's allocations, the worker's sight and their caseload count", async () => {
    const id = await childWithCase();
    const before = await swACaseload();
    expect((await sw.get(`/people/${id}`)).statusCode).toBe(200);
    expect((await close(id)).statusCode).toBe(303);
    const allocations = await database.db
      .selectFrom("allocation")
      .select(["end_date", "end_kind", "ended_by"])
      .where("person_id", "=", id)
      .execute();
    expect(allocations).toEqual([
      { end_date: TODAY, end_kind: "case_closed", ended_by: world.users.swA.id },
    ]);
    expect(await swACaseload()).toBe(before - 1);
    // The ex-worker can no longer open the record; the team manager and the front door can.
    expect((await sw.get(`/people/${id}`)).statusCode).toBe(404);
    expect((await sw.get(`/people/${id}/journey`)).statusCode).toBe(404);
    expect((await tm.get(`/people/${id}`)).statusCode).toBe(200);
    expect((await frontDoorWorker.get(`/people/${id}`)).statusCode).toBe(200);
    const found = await frontDoorWorker.get(`/people?name=Allocation`);
    expect(found.body).toContain("Allocation");
    // Another team's worker never could, and still cannot.
    expect((await swB.get(`/people/${id}`)).statusCode).toBe(404);
    const history = await tm.get(`/people/${id}/allocations`);
    expect(history.body).toContain("The case closed");
    expect((await sw.get("/")).body).not.toContain(`/people/${id}"`);
  });
});

describe("ending an allocation", () => {
  async function openAllocationOf(id: string) {
    return database.db
      .selectFrom("allocation")
      .select(["id", "end_date"])
      .where("person_id", "=", id)
      .executeTakeFirstOrThrow();
  }

  it("lets the worker end their own, with a note, and checks the form", async () => {
    const id = await childWithCase();
    const allocation = await openAllocationOf(id);
    const history = await sw.get(`/people/${id}/allocations`);
    expect(history.body).toContain(`/people/${id}/allocations/${allocation.id}/end`);
    const form = await sw.get(`/people/${id}/allocations/${allocation.id}/end`);
    expect(form.statusCode).toBe(200);
    expect(await latestAudit(database)).toMatchObject({ action: "allocation.end.form" });
    const blank = await sw.post(`/people/${id}/allocations/${allocation.id}/end`, {
      ...dateFields("endDate", "2026-03-09"),
      note: "",
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('href="#note"');
    expect(blank.body).toContain('href="#endDate-day"');
    expect((await openAllocationOf(id)).end_date).toBeNull();
    const ended = await sw.post(`/people/${id}/allocations/${allocation.id}/end`, {
      ...dateFields("endDate", TODAY),
      note: "Moving to the court team",
    });
    expect(ended.statusCode, ended.body).toBe(303);
    const row = await database.db
      .selectFrom("allocation")
      .select(["end_date", "end_kind", "end_note"])
      .where("id", "=", allocation.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      end_date: TODAY,
      end_kind: "ended",
      end_note: "Moving to the court team",
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "allocation.end",
      outcome: "allowed",
    });
    expect((await sw.get(`/people/${id}`)).statusCode).toBe(404);
  });

  it("lets the manager end one in their team", async () => {
    const id = await childWithCase();
    const allocation = await openAllocationOf(id);
    await tm.get(`/people/${id}/allocations/${allocation.id}/end`);
    const ended = await tm.post(`/people/${id}/allocations/${allocation.id}/end`, {
      ...dateFields("endDate", TODAY),
      note: "Case transferred to another council",
    });
    expect(ended.statusCode, ended.body).toBe(303);
    expect((await openAllocationOf(id)).end_date).toBe(TODAY);
  });

  it("refuses anyone else, audits the refusal and changes nothing", async () => {
    const id = await childWithCase();
    const allocation = await openAllocationOf(id);
    // A second social worker of the same team sees the child but may not end swA's allocation.
    const colleague = await addStaff(database.db, world, "sw.a3@test.example", "social_worker", [
      world.teams.fsA,
    ]);
    const other = await signIn(app, colleague.email);
    expect((await other.get(`/people/${id}`)).statusCode).toBe(200);
    const url = `/people/${id}/allocations/${allocation.id}/end`;
    for (const client of [other, swB]) {
      expect((await client.get(url)).statusCode).toBe(404);
      const refused = await client.post(url, {
        ...dateFields("endDate", TODAY),
        note: "Not mine to end",
      });
      expect(refused.statusCode).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        action: "allocation.end",
        outcome: "denied",
      });
    }
    const police = await signIn(app, world.users.police.email);
    expect(
      (await police.post(url, { ...dateFields("endDate", TODAY), note: "No" })).statusCode,
    ).toBe(404);
    expect((await openAllocationOf(id)).end_date).toBeNull();
  });
});
