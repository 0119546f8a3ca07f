import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import {
  chronologyOf,
  dateFields,
  discussion,
  expectStatusFor,
  scheduleSession,
  sessionRow,
  supervisionUrl,
} from "./supervision-test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

// The test clock says Monday 2 March 2026; the Hartley Workbook was opened on 2 February.
let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let support: Client;
let manager: Client;
let sessionId: string;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  support = await signIn(app, world.users.businessSupportA.email);
  manager = await signIn(app, world.users.tmA.email);
});

const sessions = () => database.db.selectFrom("group_supervision").selectAll().execute();
const decisions = () => database.db.selectFrom("supervision_decision").selectAll().execute();

describe("the family's group supervision page", () => {
  it("shows the social worker when supervision is next due, from the Workbook's opening", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(supervisionUrl(world));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Hartley family");
    expect(page.body).toMatch(/data-testid="next-due">2 March 2026</);
    expect(page.body).not.toContain("Overdue");
    expect(page.body).toContain("Every 4 weeks");
    expect(page.body).toContain("No sessions scheduled yet.");
    // Scheduling and the interval are for business support and the manager.
    expect(page.body).not.toContain("Schedule the session");
    expect(page.body).not.toContain("Change how often");
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "supervision.view", outcome: "allowed" });
    expect(audit.person_ids).toContain(world.people.childA1);
  });

  it("is not found for the other team, partners (even with a share), analysts, admins and another LA", async () => {
    await expectStatusFor(
      app,
      [
        world.users.swB,
        world.users.police,
        world.users.analyst,
        world.users.admin,
        world.users.otherLaSw,
      ],
      [{ url: supervisionUrl(world) }],
      404,
    );
    expect(await latestAudit(database)).toMatchObject({
      action: "supervision.view",
      outcome: "denied",
    });
  });
});

describe("scheduling a session", () => {
  it("refuses a date in the past, naming the field and saving nothing", async () => {
    await support.get(supervisionUrl(world));
    const response = await support.post(
      supervisionUrl(world),
      dateFields("scheduledFor", "2026-03-01"),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#scheduledFor-day"');
    expect(response.body).toContain("must be on or after today (2 March 2026)");
    expect(await sessions()).toEqual([]);
  });

  it("is refused to the social worker and the adult specialist", async () => {
    await expectStatusFor(
      app,
      [world.users.swA, world.users.adultSpecialistA],
      [{ url: supervisionUrl(world), form: dateFields("scheduledFor", "2026-03-09") }],
      404,
    );
    expect(await sessions()).toEqual([]);
  });

  it("lets business support schedule one for today, counted as planned", async () => {
    sessionId = await scheduleSession(support, world, "2026-03-02");
    expect(await sessionRow(database, sessionId)).toMatchObject({
      workbook_id: world.workbooks.hartley,
      scheduled_for: "2026-03-02",
      held_on: null,
      created_by: world.users.businessSupportA.id,
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "supervision.record",
      subject_type: "group_supervision",
      subject_id: sessionId,
    });
    const page = await support.get(supervisionUrl(world));
    expect(page.body).toContain("Planned for 2 March 2026");
    expect(page.body).toContain("Not yet held");
  });
});

describe("recording the session as held", () => {
  const attendees = () => [
    world.users.swA.id,
    world.users.tmA.id,
    world.users.businessSupportA.id,
    world.users.adultSpecialistA.id,
  ];

  it("offers the family's practitioners, their managers and business support as attendees", async () => {
    const page = await support.get(supervisionUrl(world, sessionId));
    expect(page.statusCode).toBe(200);
    const offered = [...page.body.matchAll(/name="attendees" type="checkbox" value="([^"]+)"/g)];
    expect(offered.map((m) => m[1]).sort()).toEqual(
      [...attendees(), world.staff.daA.id, world.staff.recoveryA.id].sort(),
    );
  });

  it.each([
    [
      "a held date in the future",
      () => dateFields("heldOn", "2026-03-03"),
      "heldOn-day",
      "must be today or in the past",
    ],
    [
      "a held date before the Workbook was opened",
      () => dateFields("heldOn", "2026-01-30"),
      "heldOn-day",
      "on or after the date the Workbook was opened (2 February 2026)",
    ],
    [
      "nobody attending",
      () => ({ attendees: [] }),
      "attendees",
      "Select at least one person who attended",
    ],
    [
      "an attendee not on the family",
      () => ({ attendees: [world.users.swB.id] }),
      "attendees",
      "Select who attended from the list",
    ],
    ["no hypothesis", () => ({ hypothesis: " " }), "hypothesis", "Enter the hypothesis"],
  ] as const)(
    "refuses %s, naming the field and saving nothing",
    async (_, change, field, message) => {
      await support.get(supervisionUrl(world, sessionId));
      const form = { ...discussion("2026-03-02", attendees(), 1), ...change() };
      const response = await support.post(`${supervisionUrl(world, sessionId)}/discussion`, form);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(`href="#${field}"`);
      expect(response.body).toContain(message);
      expect(await sessionRow(database, sessionId)).toMatchObject({ held_on: null, version: 1 });
      expect(await chronologyOf(database, "group_supervision")).toEqual([]);
    },
  );

  it("lets business support record attendance and the reflective discussion", async () => {
    await support.get(supervisionUrl(world, sessionId));
    const response = await support.post(
      `${supervisionUrl(world, sessionId)}/discussion`,
      discussion("2026-03-02", attendees(), 1),
    );
    expect(response.statusCode).toBe(303);
    expect(await sessionRow(database, sessionId)).toMatchObject({
      held_on: "2026-03-02",
      hypothesis: "Mother's drinking is the main worry",
      discussion_recorded_by: world.users.businessSupportA.id,
      version: 2,
    });
    const saved = await database.db
      .selectFrom("group_supervision_attendee")
      .select("user_id")
      .where("supervision_id", "=", sessionId)
      .execute();
    expect(saved.map((a) => a.user_id).sort()).toEqual(attendees().sort());
    // On each child's chronology, without the discussion itself.
    expect(await chronologyOf(database, "group_supervision")).toEqual(
      [world.people.childA1, world.people.childA2].sort().map((personId) => ({
        person_id: personId,
        occurred_on: "2026-03-02",
        summary: "Group supervision held",
        subject_id: sessionId,
      })),
    );
    const page = await support.get(supervisionUrl(world, sessionId));
    expect(page.body).toContain("Mother&#39;s drinking is the main worry");
    expect(page.body).toContain("Amelia is attending school every day");
    expect(page.body).toContain("Correct the record of this session");
    const overview = await support.get(supervisionUrl(world));
    expect(overview.body).toMatch(/data-testid="next-due">30 March 2026</);
  });

  it("refuses a stale edit with 409 and keeps what was saved", async () => {
    const response = await support.post(
      `${supervisionUrl(world, sessionId)}/discussion`,
      discussion("2026-03-02", attendees(), 1, "An edit made from an old copy of the page"),
    );
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain("Someone else changed this session");
    expect(await sessionRow(database, sessionId)).toMatchObject({
      hypothesis: "Mother's drinking is the main worry",
      version: 2,
    });
  });

  it("lets the manager correct the discussion without adding to the chronology again", async () => {
    await manager.get(supervisionUrl(world, sessionId));
    const response = await manager.post(
      `${supervisionUrl(world, sessionId)}/discussion`,
      discussion("2026-03-02", attendees(), 2, "Mother's drinking and the home conditions"),
    );
    expect(response.statusCode).toBe(303);
    expect(await sessionRow(database, sessionId)).toMatchObject({
      held_on: "2026-03-02",
      hypothesis: "Mother's drinking and the home conditions",
      version: 3,
    });
    expect(await chronologyOf(database, "group_supervision")).toHaveLength(2);
  });

  it("is refused to the social worker and the adult specialist", async () => {
    await expectStatusFor(
      app,
      [world.users.swA, world.users.adultSpecialistA],
      [
        {
          url: `${supervisionUrl(world, sessionId)}/discussion`,
          form: discussion("2026-03-02", attendees(), 3, "Not saved"),
        },
      ],
      404,
    );
    expect(await sessionRow(database, sessionId)).toMatchObject({ version: 3 });
  });
});

describe("decisions", () => {
  const decisionsUrl = () => `${supervisionUrl(world, sessionId)}/decisions`;

  it("are recorded by the team manager, on each child's chronology without the words", async () => {
    await manager.get(supervisionUrl(world, sessionId));
    const response = await manager.post(decisionsUrl(), {
      decision: "Refer mother to the recovery service this week",
    });
    expect(response.statusCode).toBe(303);
    expect(await decisions()).toMatchObject([
      {
        supervision_id: sessionId,
        decision: "Refer mother to the recovery service this week",
        decided_by: world.users.tmA.id,
      },
    ]);
    const events = await chronologyOf(database, "supervision_decision");
    expect(events.map((e) => e.person_id)).toEqual(
      [world.people.childA1, world.people.childA2].sort(),
    );
    expect(events[0]).toMatchObject({
      occurred_on: "2026-03-02",
      summary: "Decision recorded at group supervision",
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "supervision.decide",
      outcome: "allowed",
    });
    const page = await manager.get(supervisionUrl(world, sessionId));
    expect(page.body).toContain("Refer mother to the recovery service this week");
  });

  it("are refused to business support, the social worker and adult specialists, saving nothing", async () => {
    await expectStatusFor(
      app,
      [
        world.users.businessSupportA,
        world.users.swA,
        world.users.adultSpecialistA,
        world.staff.daA,
        world.users.police,
      ],
      [{ url: decisionsUrl(), form: { decision: "Not a decision of theirs" } }],
      404,
    );
    expect(await decisions()).toHaveLength(1);
    expect(await latestAudit(database)).toMatchObject({
      action: "supervision.decide",
      outcome: "denied",
    });
  });

  it("are not recorded on a session not yet held", async () => {
    const later = await scheduleSession(support, world, "2026-03-30");
    await manager.get(supervisionUrl(world, later));
    const response = await manager.post(`${supervisionUrl(world, later)}/decisions`, {
      decision: "Too early",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Record the session as held before recording its decisions");
    expect(await decisions()).toHaveLength(1);
  });
});

describe("who must not see a session", () => {
  it("is not found for the other team, partners, analysts, admins and another LA", async () => {
    await expectStatusFor(
      app,
      [
        world.users.swB,
        world.users.police,
        world.users.analyst,
        world.users.admin,
        world.users.otherLaSw,
      ],
      [{ url: supervisionUrl(world, sessionId) }],
      404,
    );
  });

  it("is not found through another family's address", async () => {
    const brennan = await database.db
      .insertInto("group_supervision")
      .values({
        la_id: world.laId,
        workbook_id: world.workbooks.brennan,
        scheduled_for: "2026-03-10",
        created_by: world.users.swB.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect((await manager.get(supervisionUrl(world, brennan.id))).statusCode).toBe(404);
    const brennanUrl = `/families/${world.families.brennan}/workbook/supervision`;
    expect((await manager.get(brennanUrl)).statusCode).toBe(404);
    expect((await manager.get(`${brennanUrl}/${brennan.id}`)).statusCode).toBe(404);
  });
});
