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
  today,
  type ReallocationFixture,
} from "./reallocate-fixture.ts";
import { addPerson, allocationsOf } from "./test-support.ts";

let fixture: ReallocationFixture;
let database: Database;
let world: World;
let app: FastifyInstance;
let swNew: { id: string; email: string };

beforeAll(async () => {
  fixture = await reallocationFixture();
  ({ database, world, app, swNew } = fixture);
});

const childOf = (workerId: string, teamId: string, name: string) =>
  newChild(fixture, workerId, teamId, name);
const chronologyOf = (personId: string) => eventsOf(database.db, personId);

describe("who may reallocate", () => {
  it("is not open to anyone but team managers", async () => {
    const child = await childOf(world.users.swA.id, world.teams.fsA, "Ada");
    const tm = await signIn(app, world.users.tmA.email);
    const { allocationId } = await openForm(tm, child);
    for (const user of [
      world.users.swA,
      world.users.swB,
      world.users.adultSpecialistA,
      world.users.businessSupportA,
      world.users.police,
      world.users.health,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get(`/people/${child}/allocations/reallocate`)).statusCode).toBe(404);
      const attempt = await client.post(`/people/${child}/allocations/reallocate`, {
        allocationId,
        workerId: swNew.id,
        reason: "MANAGE",
        ...today,
      });
      expect(attempt.statusCode, user.email).toBe(404);
      expect(await latestAudit(database), user.email).toMatchObject({
        action: "allocation.reallocate",
        outcome: "denied",
        person_ids: [child],
      });
    }
    expect(await allocationsOf(database.db, child)).toHaveLength(1);
  });

  it("does not let a manager reallocate a child of another team", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const [allocation] = await allocationsOf(database.db, world.people.childB1);
    expect(
      (await tm.get(`/people/${world.people.childB1}/allocations/reallocate`)).statusCode,
    ).toBe(404);
    const attempt = await tm.post(`/people/${world.people.childB1}/allocations/reallocate`, {
      allocationId: allocation?.id ?? "",
      workerId: swNew.id,
      reason: "MANAGE",
      ...today,
    });
    expect(attempt.statusCode).toBe(404);
    expect(await allocationsOf(database.db, world.people.childB1)).toEqual([allocation]);
  });

  it("does not let a manager on emergency access alone reallocate", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    await database.db
      .insertInto("break_glass")
      .values({
        la_id: world.laId,
        user_id: world.users.tmA.id,
        person_id: world.people.childB1,
        reason: "Police called out of hours about Kai",
        started_at: new Date("2026-03-02T09:00:00Z"),
        expires_at: new Date("2026-03-02T17:00:00Z"),
      })
      .execute();
    expect((await tm.get(`/people/${world.people.childB1}`)).statusCode).toBe(200);
    const form = await tm.get(`/people/${world.people.childB1}/allocations/reallocate`);
    expect(form.statusCode).toBe(403);
    expect(await allocationsOf(database.db, world.people.childB1)).toHaveLength(1);
  });

  it("answers 404 for a person the manager sees but who has no allocation in their teams", async () => {
    // A father in the Hartley family: seen through the family, allocated to nobody.
    const father = await addPerson(database.db, world, "Mark", "Hartley", "1986-02-11");
    const family = await database.db
      .selectFrom("family_member")
      .select("family_id")
      .where("person_id", "=", world.people.motherA)
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("family_member")
      .values({ family_id: family.family_id, person_id: father, la_id: world.laId })
      .execute();
    const tm = await signIn(app, world.users.tmA.email);
    expect((await tm.get(`/people/${father}`)).statusCode).toBe(200);
    const form = await tm.get(`/people/${father}/allocations/reallocate`);
    expect(form.statusCode).toBe(404);
  });
});

describe("refused reallocations save nothing", () => {
  it("refuses a worker outside the manager's teams, a partner, business support and the current worker", async () => {
    const child = await childOf(world.users.swA.id, world.teams.fsA, "Ben");
    const tm = await signIn(app, world.users.tmA.email);
    const { allocationId } = await openForm(tm, child);
    for (const workerId of [
      world.users.swB.id,
      world.users.police.id,
      world.users.businessSupportA.id,
      world.users.adultSpecialistA.id,
      world.users.swA.id,
      "not-a-worker",
    ]) {
      const response = await tm.post(`/people/${child}/allocations/reallocate`, {
        allocationId,
        workerId,
        reason: "MANAGE",
        ...today,
      });
      expect(response.statusCode, workerId).toBe(400);
      expect(response.body).toContain('href="#workerId"');
      expect(response.body).toContain("Select a social worker or team manager from your teams");
    }
    const [allocation] = await allocationsOf(database.db, child);
    expect(allocation).toMatchObject({ worker_id: world.users.swA.id, end_date: null });
    expect(await allocationsOf(database.db, child)).toHaveLength(1);
    expect(await chronologyOf(child)).toEqual([]);
    expect(await latestAudit(database)).toMatchObject({
      action: "allocation.reallocate",
      outcome: "failed",
      summary: { reason: "validation", fields: ["workerId"] },
    });
  });

  it("requires a reason from the list and a date neither in the future nor before the allocation", async () => {
    const child = await childOf(world.users.swA.id, world.teams.fsA, "Cara");
    const tm = await signIn(app, world.users.tmA.email);
    const { allocationId } = await openForm(tm, child);
    const post = (form: Record<string, string>) =>
      tm.post(`/people/${child}/allocations/reallocate`, {
        allocationId,
        workerId: swNew.id,
        ...form,
      });

    const noReason = await post({ ...today });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#reason"');
    expect(noReason.body).toContain("Select the reason for the change");
    // The worker chosen is kept on the form shown again.
    expect(noReason.body).toContain(`<option value="${swNew.id}" selected`);

    const badReason = await post({ reason: "BORED", ...today });
    expect(badReason.statusCode).toBe(400);
    expect(badReason.body).toContain("Select the reason for the change from the list");

    const future = await post({
      reason: "MANAGE",
      "date-day": "3",
      "date-month": "3",
      "date-year": "2026",
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('href="#date-day"');
    expect(future.body).toContain("must be today or in the past");

    const early = await post({
      reason: "MANAGE",
      "date-day": "5",
      "date-month": "1",
      "date-year": "2025",
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain(
      "on or after the day the current allocation started (6 January 2025)",
    );

    const missing = await post({ reason: "MANAGE" });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain("Enter the date of the change");

    expect(await allocationsOf(database.db, child)).toHaveLength(1);
    expect(await chronologyOf(child)).toEqual([]);
  });
});
