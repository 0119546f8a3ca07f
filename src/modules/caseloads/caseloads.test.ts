import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { addAllocation, addPerson, addStaff } from "./test-support.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let tmA2: { id: string; email: string };
let leaver: { id: string; email: string };
let leaverChild: string;
let historyChild: string;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const db = database.db;
  // A second manager of fsA, not named on the restricted record.
  tmA2 = await addStaff(db, world, "tm.a2@test.example", "team_manager", [world.teams.fsA]);
  // The world allocates the mother to the adult specialist: counted in the total, not among
  // the children.
  // A worker who has left (no team, account closed) but still holds a child in fsA.
  leaver = await addStaff(db, world, "sw.left@test.example", "social_worker", [], {
    active: false,
  });
  leaverChild = await addPerson(db, world, "Lily", "Ashdown", "2019-04-12");
  await addAllocation(db, world, {
    personId: leaverChild,
    workerId: leaver.id,
    teamId: world.teams.fsA,
  });
  // A child with a history: two earlier social workers and an adult specialist.
  historyChild = await addPerson(db, world, "Noah", "Pembury", "2013-08-21");
  await addAllocation(db, world, {
    personId: historyChild,
    workerId: world.users.swB.id,
    teamId: world.teams.fsB,
    startDate: "2024-01-08",
    endDate: "2024-06-03",
    endReason: "LEFTRL",
    allocatedBy: world.users.tmA.id,
  });
  await addAllocation(db, world, {
    personId: historyChild,
    workerId: world.users.tmA.id,
    teamId: world.teams.fsA,
    startDate: "2024-06-03",
    endDate: "2025-02-10",
    endReason: "ORGRST",
  });
  await addAllocation(db, world, {
    personId: historyChild,
    workerId: world.users.adultSpecialistA.id,
    teamId: world.teams.fsA,
    startDate: "2024-07-01",
  });
  await addAllocation(db, world, {
    personId: historyChild,
    workerId: world.users.swA.id,
    teamId: world.teams.fsA,
    startDate: "2025-02-10",
    allocatedBy: world.users.tmA.id,
  });
});

/** The text of one worker's row and the list of their people, from the caseloads page. */
function workerSection(body: string, userId: string): string {
  const start = body.indexOf(`data-testid="worker-${userId}"`);
  expect(start, `row for ${userId}`).toBeGreaterThan(-1);
  const next = body.indexOf('data-testid="worker-', start + 10);
  return body.slice(start, next < 0 ? undefined : next);
}

const count = (section: string, which: "children" | "total") =>
  new RegExp(`data-testid="${which}">(\\d+)<`).exec(section)?.[1];

describe("team caseloads", () => {
  it("shows the manager each member of their team with counts and the people allocated", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const page = await tm.get("/caseloads");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Family Safeguarding A");
    expect(page.body).not.toContain("Family Safeguarding B");

    const swA = workerSection(page.body, world.users.swA.id);
    expect(swA).toContain("sw.a");
    expect(swA).toContain("Social worker");
    // childA1, childA2, the restricted child tmA is named on, and the child with a history.
    expect(count(swA, "children")).toBe("4");
    expect(count(swA, "total")).toBe("4");
    for (const name of ["Amelia Hartley", "Oliver Hartley", "Rosa Quinlan", "Noah Pembury"]) {
      expect(swA).toContain(name);
    }
    expect(swA).toContain(`href="/people/${world.people.childA1}"`);
    expect(swA).toContain(`href="/people/${world.people.childA1}/allocations/reallocate"`);
    expect(swA).toContain("27 March 2015");
    expect(swA).toContain("6 January 2025");
    expect(swA).toContain('class="govuk-details');

    // Members are shown with their role in the team, and the team's make-up is summed up.
    expect(page.body).toContain("Team composition:");
    expect(page.body).toContain("1 × mental health practitioner");
    // Joanne (an adult) and Noah: one child among two people.
    const adultSpecialist = workerSection(page.body, world.users.adultSpecialistA.id);
    expect(count(adultSpecialist, "children")).toBe("1");
    expect(count(adultSpecialist, "total")).toBe("2");
    expect(adultSpecialist).toContain("Joanne Hartley");

    // Members without allocations are listed too; people of other teams are not.
    expect(workerSection(page.body, world.users.businessSupportA.id)).toContain(
      'data-testid="total">0<',
    );
    expect(page.body).not.toContain("Kai Brennan");
    expect(page.body).not.toContain(`worker-${world.users.swB.id}`);

    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "caseload.view", outcome: "allowed" });
    expect(audit.person_ids).toEqual(
      expect.arrayContaining([
        world.people.childA1,
        world.people.childA2,
        world.people.restrictedChildA,
        world.people.motherA,
        leaverChild,
      ]),
    );
    expect(audit.person_ids).not.toContain(world.people.childB1);
    expect(JSON.stringify(audit.summary)).not.toMatch(/Hartley|Amelia/);
  });

  it("flags a worker who left the team but still holds its children", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const section = workerSection((await tm.get("/caseloads")).body, leaver.id);
    expect(section).toContain("No longer in this team");
    expect(section).toContain("Account closed");
    expect(section).toContain("Lily Ashdown");
  });

  it("counts a restricted record the manager is not named on, but never names it", async () => {
    const tm = await signIn(app, tmA2.email);
    const page = await tm.get("/caseloads");
    const swA = workerSection(page.body, world.users.swA.id);
    expect(count(swA, "total")).toBe("4");
    expect(swA).toContain("And 1 restricted record you are not named on");
    expect(page.body).not.toContain("Rosa Quinlan");
    expect(page.body).not.toContain(world.people.restrictedChildA);
    const audit = await latestAudit(database);
    expect(audit.action).toBe("caseload.view");
    expect(audit.person_ids).not.toContain(world.people.restrictedChildA);
    expect(audit.person_ids).toContain(world.people.childA1);
  });

  it("is not open to anyone but team managers", async () => {
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
      const response = await client.get("/caseloads");
      expect(response.statusCode, user.email).toBe(404);
      expect(response.body).not.toContain("Amelia");
      expect(await latestAudit(database), user.email).toMatchObject({
        action: "caseload.view",
        outcome: "denied",
      });
    }
  });
});

describe("a child's allocation history", () => {
  it("lists every allocation with dates, reasons and who allocated, and counts changes of social worker", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const page = await tm.get(`/people/${historyChild}/allocations`);
    expect(page.statusCode).toBe(200);
    // swB, then tmA, then swA: two changes; the adult specialist is not a social worker.
    expect(page.body).toMatch(/Changes of social worker: <strong>2<\/strong>/);
    for (const text of [
      "Social worker left the role",
      "Organisational restructure",
      "8 January 2024",
      "3 June 2024",
      "10 February 2025",
      "Family Safeguarding B",
      "sw.b",
      "as.a",
      "Not recorded",
    ]) {
      expect(page.body).toContain(text);
    }
    expect(page.body).toContain(`href="/people/${historyChild}/allocations/reallocate"`);
    expect(page.body).toContain(`href="/people/${historyChild}"`);
    expect(await latestAudit(database)).toMatchObject({
      action: "allocation.view",
      outcome: "allowed",
      person_ids: [historyChild],
      summary: { allocations: 4 },
    });
  });

  it("is shown to those who may see the child, without the reallocation link for a social worker", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${world.people.childA1}/allocations`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Family Safeguarding A");
    expect(page.body).toMatch(/Changes of social worker: <strong>0<\/strong>/);
    expect(page.body).not.toContain("/allocations/reallocate");
    // The police see childA1's record, which is shared with them.
    const police = await signIn(app, world.users.police.email);
    expect((await police.get(`/people/${world.people.childA1}/allocations`)).statusCode).toBe(200);
  });

  it("is not shown to those who may not see the child", async () => {
    for (const user of [
      world.users.swB,
      world.users.health,
      world.users.police,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      const response = await client.get(`/people/${world.people.childA2}/allocations`);
      expect(response.statusCode, user.email).toBe(404);
      expect(response.body).not.toContain("sw.a");
      expect(await latestAudit(database), user.email).toMatchObject({
        action: "allocation.view",
        outcome: "denied",
        person_ids: [world.people.childA2],
      });
    }
  });
});
