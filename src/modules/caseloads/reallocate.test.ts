import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { latestAudit } from "../../../test/support/database.ts";
import { signIn } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import {
  childOf as newChild,
  chronologyOf as eventsOf,
  openForm,
  reallocationFixture,
  TODAY,
  today,
  type ReallocationFixture,
} from "./reallocate-fixture.ts";
import { addAllocation, allocationsOf } from "./test-support.ts";

let fixture: ReallocationFixture;
let database: Database;
let world: World;
let app: FastifyInstance;
let swNew: { id: string; email: string };
let swC: { id: string; email: string };
let fsC: string;

beforeAll(async () => {
  fixture = await reallocationFixture();
  ({ database, world, app, swNew, swC, fsC } = fixture);
});

const childOf = (workerId: string, teamId: string, name: string) =>
  newChild(fixture, workerId, teamId, name);
const chronologyOf = (personId: string) => eventsOf(database.db, personId);

describe("the reallocation form", () => {
  it("offers the social workers and team managers of the manager's teams, the reasons and today", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const { form } = await openForm(tm, world.people.childA1);
    const options = [...form.body.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    expect(options.sort()).toEqual(["", world.users.tmA.id, swNew.id, swC.id].sort());
    // Not the current worker, nor members who cannot hold a case, nor other teams.
    for (const id of [
      world.users.swA.id,
      world.users.adultSpecialistA.id,
      world.users.businessSupportA.id,
      world.users.swB.id,
      world.users.police.id,
    ]) {
      expect(options).not.toContain(id);
    }
    for (const code of ["MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC"]) {
      expect(form.body).toContain(`value="${code}"`);
    }
    expect(form.body).toContain("Long absence of the social worker");
    expect(form.body).toMatch(/name="date-day"[^>]*value="02"/);
    expect(form.body).toMatch(/name="date-year"[^>]*value="2026"/);
    expect(form.body).toContain(`href="/people/${world.people.childA1}"`);
    // Opening the form is a view, not the reallocation.
    expect(await latestAudit(database)).toMatchObject({
      action: "allocation.reallocate.form",
      outcome: "allowed",
      person_ids: [world.people.childA1],
    });
  });

  it("warns that reallocating a restricted record does not open it to the new worker", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const { form } = await openForm(tm, world.people.restrictedChildA);
    expect(form.body).toContain("This is a restricted record");
  });
});

describe("reallocating", () => {
  it("ends the old allocation and opens the new one, with the chronology and audit", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const { allocationId } = await openForm(tm, world.people.childA2);
    const done = await tm.post(`/people/${world.people.childA2}/allocations/reallocate`, {
      allocationId,
      workerId: swNew.id,
      reason: "LEFTRL",
      ...today,
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/people/${world.people.childA2}/allocations`);

    const [old, current] = await allocationsOf(database.db, world.people.childA2);
    expect(old).toMatchObject({
      id: allocationId,
      worker_id: world.users.swA.id,
      end_date: TODAY,
      end_reason: "LEFTRL",
    });
    expect(current).toMatchObject({
      worker_id: swNew.id,
      team_id: world.teams.fsA,
      start_date: TODAY,
      end_date: null,
      allocated_by: world.users.tmA.id,
    });
    expect(await chronologyOf(world.people.childA2)).toEqual([
      {
        kind: "reallocated",
        summary: "Reallocated from sw.a to sw.new",
        occurred_on: TODAY,
        subject_id: current?.id,
      },
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "allocation.reallocate",
      outcome: "allowed",
      person_ids: [world.people.childA2],
      subject_type: "allocation",
      subject_id: current?.id,
      summary: {
        ended: allocationId,
        reason: "LEFTRL",
        fromWorker: world.users.swA.id,
        toWorker: swNew.id,
      },
    });

    const history = await tm.get(`/people/${world.people.childA2}/allocations`);
    expect(history.body).toMatch(/Changes of social worker: <strong>1<\/strong>/);
    expect(history.body).toContain("Social worker left the role");

    // The child moves from swA's caseload to swNew's at once.
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get("/")).body).not.toContain("Oliver Hartley");
    const newSw = await signIn(app, swNew.email);
    expect((await newSw.get("/")).body).toContain("Oliver Hartley");
    // swA still sees Oliver, exactly as the visibility rules say: the new allocation is in
    // fsA, a team swA belongs to (and Oliver's sister Amelia is still allocated to swA, which
    // opens the family's records). Losing sight needs a move out of the old worker's teams;
    // the next test shows it.
    expect((await sw.get(`/people/${world.people.childA2}`)).statusCode).toBe(200);
  });

  it("takes sight away from the old worker and gives it to the new one at once", async () => {
    const child = await childOf(swC.id, fsC, "Dan");
    const oldWorker = await signIn(app, swC.email);
    const newWorker = await signIn(app, swNew.email);
    expect((await oldWorker.get(`/people/${child}`)).statusCode).toBe(200);
    expect((await newWorker.get(`/people/${child}`)).statusCode).toBe(404);

    const tm = await signIn(app, world.users.tmA.email);
    const { allocationId } = await openForm(tm, child);
    const done = await tm.post(`/people/${child}/allocations/reallocate`, {
      allocationId,
      workerId: swNew.id,
      reason: "TSPROC",
      ...today,
    });
    expect(done.statusCode).toBe(303);
    // swNew is only in fsA, so the child moves to fsA, which swC is not in.
    expect((await allocationsOf(database.db, child))[1]).toMatchObject({
      worker_id: swNew.id,
      team_id: world.teams.fsA,
    });
    expect((await oldWorker.get(`/people/${child}`)).statusCode).toBe(404);
    expect((await newWorker.get(`/people/${child}`)).statusCode).toBe(200);
  });

  it("keeps the child in the current team when the new worker belongs to it", async () => {
    const child = await childOf(swC.id, fsC, "Eve");
    const tm = await signIn(app, world.users.tmA.email);
    const { allocationId } = await openForm(tm, child);
    const done = await tm.post(`/people/${child}/allocations/reallocate`, {
      allocationId,
      workerId: world.users.tmA.id,
      reason: "ABSENC",
      "date-day": "16",
      "date-month": "2",
      "date-year": "2026",
    });
    expect(done.statusCode).toBe(303);
    const [old, current] = await allocationsOf(database.db, child);
    expect(old).toMatchObject({ end_date: "2026-02-16", end_reason: "ABSENC" });
    // tmA is in fsA and fsC: the child stays in fsC.
    expect(current).toMatchObject({
      worker_id: world.users.tmA.id,
      team_id: fsC,
      start_date: "2026-02-16",
    });
  });

  it("asks which allocation ends when the child has two in the manager's teams", async () => {
    const child = await childOf(world.users.swA.id, world.teams.fsA, "Finn");
    const second = await addAllocation(database.db, world, {
      personId: child,
      workerId: swC.id,
      teamId: fsC,
      startDate: "2025-06-02",
    });
    const tm = await signIn(app, world.users.tmA.email);
    const form = await tm.get(`/people/${child}/allocations/reallocate`);
    expect(form.body).toContain("Which allocation ends?");
    expect(form.body).toContain("sw.c, Family Safeguarding C");
    // Neither current worker can be chosen again.
    expect(form.body).not.toContain(`<option value="${swC.id}"`);
    expect(form.body).not.toContain(`<option value="${world.users.swA.id}"`);

    const none = await tm.post(`/people/${child}/allocations/reallocate`, {
      workerId: swNew.id,
      reason: "CHCHAN",
      ...today,
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#allocationId"');

    const done = await tm.post(`/people/${child}/allocations/reallocate`, {
      allocationId: second,
      workerId: swNew.id,
      reason: "CHCHAN",
      ...today,
    });
    expect(done.statusCode).toBe(303);
    const rows = await allocationsOf(database.db, child);
    expect(rows.find((r) => r.worker_id === world.users.swA.id)?.end_date).toBeNull();
    expect(rows.find((r) => r.id === second)).toMatchObject({
      end_date: TODAY,
      end_reason: "CHCHAN",
    });
    expect(rows.find((r) => r.worker_id === swNew.id)?.team_id).toBe(world.teams.fsA);
  });

  it("refuses a stale form: the allocation was ended meanwhile, and nothing is saved", async () => {
    const child = await childOf(world.users.swA.id, world.teams.fsA, "Gus");
    const tm = await signIn(app, world.users.tmA.email);
    const { allocationId } = await openForm(tm, child);
    // Another manager reallocates first, from a form loaded at the same time.
    const other = await signIn(app, world.users.tmA.email);
    await openForm(other, child);
    const first = await other.post(`/people/${child}/allocations/reallocate`, {
      allocationId,
      workerId: world.users.tmA.id,
      reason: "MANAGE",
      ...today,
    });
    expect(first.statusCode).toBe(303);
    const before = await allocationsOf(database.db, child);

    const stale = await tm.post(`/people/${child}/allocations/reallocate`, {
      allocationId,
      workerId: swNew.id,
      reason: "OTHERS",
      ...today,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("already been ended");
    expect(await allocationsOf(database.db, child)).toEqual(before);
    expect((await chronologyOf(child)).map((c) => c.summary)).toEqual([
      "Reallocated from sw.a to tm.a",
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "allocation.reallocate",
      outcome: "failed",
      summary: { reason: "conflict" },
    });
  });

  it("refuses a stale form when no allocation of the child is left in the manager's teams", async () => {
    // Hal is in the Hartley family, so tmA still sees him through Amelia's allocation.
    const child = await childOf(world.users.swA.id, world.teams.fsA, "Hal");
    const family = await database.db
      .selectFrom("family_member")
      .select("family_id")
      .where("person_id", "=", world.people.childA1)
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("family_member")
      .values({ family_id: family.family_id, person_id: child, la_id: world.laId })
      .execute();
    const outOfSight = await childOf(world.users.swA.id, world.teams.fsA, "Ivy");
    const tm = await signIn(app, world.users.tmA.email);
    const forms = [await openForm(tm, child), await openForm(tm, outOfSight)];
    for (const { allocationId } of forms) {
      await database.db
        .updateTable("allocation")
        .set({ end_date: TODAY, end_reason: "OTHERS" })
        .where("id", "=", allocationId)
        .execute();
    }
    const post = (personId: string, allocationId: string) =>
      tm.post(`/people/${personId}/allocations/reallocate`, {
        allocationId,
        workerId: swNew.id,
        reason: "MANAGE",
        ...today,
      });
    const stale = await post(child, forms[0]?.allocationId ?? "");
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("has no open allocation in your teams now");
    expect(await allocationsOf(database.db, child)).toHaveLength(1);
    // A child nobody in the manager's teams holds any more is out of their sight: 404.
    expect((await post(outOfSight, forms[1]?.allocationId ?? "")).statusCode).toBe(404);
    expect(await allocationsOf(database.db, outOfSight)).toHaveLength(1);
  });
});
