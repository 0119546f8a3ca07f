import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import {
  dateFields,
  discussion,
  expectStatusFor,
  scheduleSession,
  supervisionUrl,
} from "./supervision-test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

// The test clock says Monday 2 March 2026; the Hartley Workbook was opened on 2 February.
let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let support: Client;
let manager: Client;
let first: string;
let second: string;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  support = await signIn(app, world.users.businessSupportA.email);
  manager = await signIn(app, world.users.tmA.email);
  first = await scheduleSession(support, world, "2026-03-02");
  const held = await support.post(
    `${supervisionUrl(world, first)}/discussion`,
    discussion("2026-03-02", [world.users.swA.id, world.users.tmA.id], 1),
  );
  expect(held.statusCode).toBe(303);
});

function action(text: string, ownerId: string, dueOn: string) {
  return { action: text, ownerId, ...dateFields("actionDue", dueOn) };
}

const actions = () =>
  database.db.selectFrom("supervision_action").selectAll().orderBy("recorded_at").execute();

async function actionId(text: string): Promise<string> {
  const row = (await actions()).find((a) => a.action === text);
  if (!row) throw new Error(`no action "${text}"`);
  return row.id;
}

describe("adding actions at a session", () => {
  it("lets business support and the manager add actions owned by the family's practitioners", async () => {
    const url = `${supervisionUrl(world, first)}/actions`;
    await support.get(supervisionUrl(world, first));
    expect(
      (await support.post(url, action("Book a home visit", world.users.swA.id, "2026-03-06")))
        .statusCode,
    ).toBe(303);
    await manager.get(supervisionUrl(world, first));
    expect(
      (
        await manager.post(
          url,
          action("Offer mother a recovery assessment", world.staff.recoveryA.id, "2026-03-20"),
        )
      ).statusCode,
    ).toBe(303);
    expect(await actions()).toMatchObject([
      {
        supervision_id: first,
        action: "Book a home visit",
        owner_user_id: world.users.swA.id,
        due_on: "2026-03-06",
        completed_on: null,
        recorded_by: world.users.businessSupportA.id,
      },
      { owner_user_id: world.staff.recoveryA.id, recorded_by: world.users.tmA.id },
    ]);
    const page = await support.get(supervisionUrl(world, first));
    const here = page.body.slice(page.body.indexOf('data-testid="session-actions"'));
    expect(here).toContain("Book a home visit");
    expect(here).toContain("recovery.a");
  });

  it.each([
    ["no action", () => action("", world.users.swA.id, "2026-03-06"), "action", "Enter the action"],
    [
      "an owner not on the family",
      () => action("Visit", world.users.swB.id, "2026-03-06"),
      "ownerId",
      "Select who owns the action from the list",
    ],
    [
      "a due date before the session",
      () => action("Visit", world.users.swA.id, "2026-02-27"),
      "actionDue-day",
      "on or after the date of the session (2 March 2026)",
    ],
  ] as const)("refuses %s, naming the field and saving nothing", async (_, form, field, text) => {
    await support.get(supervisionUrl(world, first));
    const response = await support.post(`${supervisionUrl(world, first)}/actions`, form());
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#${field}"`);
    expect(response.body).toContain(text);
    expect(await actions()).toHaveLength(2);
  });

  it("is refused to the social worker, adult specialists and the other team", async () => {
    await expectStatusFor(
      app,
      [world.users.swA, world.users.adultSpecialistA, world.users.swB, world.users.police],
      [
        {
          url: `${supervisionUrl(world, first)}/actions`,
          form: action("Not saved", world.users.swA.id, "2026-03-06"),
        },
      ],
      404,
    );
    expect(await actions()).toHaveLength(2);
  });
});

describe("actions carried forward", () => {
  it("shows open actions from earlier sessions on the next session", async () => {
    second = await scheduleSession(support, world, "2026-03-30");
    const page = await support.get(supervisionUrl(world, second));
    expect(page.statusCode).toBe(200);
    const carried = page.body.slice(page.body.indexOf('data-testid="carried-actions"'));
    expect(carried).toContain("Book a home visit");
    expect(carried).toContain("Offer mother a recovery assessment");
    expect(carried).toContain("Session of 2 March 2026");
    // Not on the earlier session's own page as carried in.
    const earlier = await support.get(supervisionUrl(world, first));
    expect(earlier.body).not.toContain('data-testid="carried-actions"');
    const overview = await support.get(supervisionUrl(world));
    const open = overview.body.slice(overview.body.indexOf('data-testid="open-actions"'));
    expect(open).toContain("Book a home visit");
    expect(open).toContain("sw.a");
  });

  it("refuses adding actions to a session not yet held", async () => {
    const response = await support.post(
      `${supervisionUrl(world, second)}/actions`,
      action("Too early", world.users.swA.id, "2026-04-06"),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Record the session as held before adding the actions agreed");
    expect(await actions()).toHaveLength(2);
  });
});

describe("marking an action done", () => {
  const doneUrl = (id: string) => `${supervisionUrl(world)}/actions/${id}/done`;

  it("lets the owner mark their action done, back on the session they were on", async () => {
    const id = await actionId("Book a home visit");
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(supervisionUrl(world, second));
    expect(page.body).toContain(`action="${doneUrl(id)}"`);
    const response = await sw.post(doneUrl(id), { version: "1", from: second });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(supervisionUrl(world, second));
    expect((await actions()).find((a) => a.id === id)).toMatchObject({
      completed_on: "2026-03-02",
      completed_by: world.users.swA.id,
      version: 2,
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "supervision.record",
      subject_type: "supervision_action",
      subject_id: id,
    });
    const after = await sw.get(supervisionUrl(world, second));
    const carried = after.body.slice(after.body.indexOf('data-testid="carried-actions"'));
    expect(carried).not.toContain("Book a home visit");
  });

  it("refuses marking it done again from a stale page with 409", async () => {
    const id = await actionId("Book a home visit");
    const response = await support.post(doneUrl(id), { version: "1", from: second });
    expect(response.statusCode).toBe(409);
    expect((await actions()).find((a) => a.id === id)).toMatchObject({
      completed_by: world.users.swA.id,
      version: 2,
    });
  });

  it("refuses someone who neither owns it nor arranges supervision, saving nothing", async () => {
    const id = await actionId("Offer mother a recovery assessment");
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(supervisionUrl(world, second));
    expect(page.body).not.toContain(`action="${doneUrl(id)}"`);
    expect((await sw.post(doneUrl(id), { version: "1" })).statusCode).toBe(403);
    await expectStatusFor(
      app,
      [world.users.swB, world.users.police, world.users.otherLaSw],
      [{ url: doneUrl(id), form: { version: "1" } }],
      404,
    );
    expect((await actions()).find((a) => a.id === id)).toMatchObject({ completed_on: null });
  });

  it("lets the team manager mark any action done", async () => {
    const id = await actionId("Offer mother a recovery assessment");
    await manager.get(supervisionUrl(world));
    const response = await manager.post(doneUrl(id), { version: "1" });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(supervisionUrl(world));
    expect((await actions()).find((a) => a.id === id)).toMatchObject({
      completed_by: world.users.tmA.id,
    });
  });
});

describe("how often supervision is due", () => {
  const intervalUrl = () => `${supervisionUrl(world)}/interval`;
  const workbook = () =>
    database.db
      .selectFrom("workbook")
      .select(["supervision_interval_weeks", "version"])
      .where("id", "=", world.workbooks.hartley)
      .executeTakeFirstOrThrow();

  it("moves the next due date when business support change the interval", async () => {
    const before = await support.get(supervisionUrl(world));
    expect(before.body).toMatch(/data-testid="next-due">30 March 2026</);
    const response = await support.post(intervalUrl(), { intervalWeeks: "2", version: "1" });
    expect(response.statusCode).toBe(303);
    expect(await workbook()).toEqual({ supervision_interval_weeks: 2, version: 2 });
    const after = await support.get(supervisionUrl(world));
    expect(after.body).toMatch(/data-testid="next-due">16 March 2026</);
    expect(after.body).toContain("Every 2 weeks");
  });

  it("refuses a stale change with 409", async () => {
    const response = await manager.post(intervalUrl(), { intervalWeeks: "6", version: "1" });
    expect(response.statusCode).toBe(409);
    expect(await workbook()).toEqual({ supervision_interval_weeks: 2, version: 2 });
  });

  it.each(["0", "27", "three", "2.5"])("refuses %s weeks", async (weeks) => {
    const response = await manager.post(intervalUrl(), { intervalWeeks: weeks, version: "2" });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#intervalWeeks"');
    expect(response.body).toContain("whole number of weeks from 1 to 26");
    expect(await workbook()).toEqual({ supervision_interval_weeks: 2, version: 2 });
  });

  it("is refused to the social worker, the adult specialist and the other team", async () => {
    await expectStatusFor(
      app,
      [world.users.swA, world.users.adultSpecialistA, world.users.swB, world.users.analyst],
      [{ url: intervalUrl(), form: { intervalWeeks: "8", version: "2" } }],
      404,
    );
    expect(await workbook()).toEqual({ supervision_interval_weeks: 2, version: 2 });
  });
});
