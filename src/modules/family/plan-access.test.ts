import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import { addStaff } from "../caseloads/test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let planUrl: string;
let childGoal: string;
let motherAction: string;

/** What a refused attempt must leave exactly as it was. */
async function everything() {
  const db = database.db;
  return {
    plans: await db.selectFrom("family_plan").selectAll().execute(),
    goals: await db.selectFrom("family_plan_goal").selectAll().orderBy("created_at").execute(),
    actions: await db.selectFrom("family_plan_action").selectAll().orderBy("action").execute(),
    events: await db
      .selectFrom("chronology_entry")
      .select("id")
      .where("kind", "=", "family_plan")
      .execute(),
  };
}

// The test clock says Monday 2 March 2026. swA writes a plan with a goal for Amelia (shared with
// the police) and one for her mother (not shared), each with an action.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  planUrl = `/families/${world.families.hartley}/workbook/plan`;
  const sw = await signIn(app, world.users.swA.email);
  await sw.get(`${planUrl}/views`);
  await sw.post(`${planUrl}/views`, {
    version: "0",
    childViews: "Amelia: I like it when Grandma visits.",
    parentViews: "Joanne: I want the arguments to stop.",
    consent: "not_asked",
  });
  for (const [personId, goal] of [
    [world.people.childA1, "Amelia goes to school every day"],
    [world.people.motherA, "Joanne attends her recovery sessions"],
  ] as const) {
    await sw.post(`${planUrl}/goals`, { personId, goal });
    const { id } = await database.db
      .selectFrom("family_plan_goal")
      .select("id")
      .where("person_id", "=", personId)
      .executeTakeFirstOrThrow();
    await sw.post(`${planUrl}/goals/${id}/actions`, {
      action: `Action for ${goal}`,
      ownerUserId: world.users.swA.id,
      "dueOn-day": "20",
      "dueOn-month": "3",
      "dueOn-year": "2026",
    });
    if (personId === world.people.childA1) childGoal = id;
  }
  const action = await database.db
    .selectFrom("family_plan_action")
    .select("id")
    .where("action", "=", "Action for Joanne attends her recovery sessions")
    .executeTakeFirstOrThrow();
  motherAction = action.id;
});

/** Every way of changing the plan, as a would-be writer would try. */
function attempts(): [string, Record<string, string>][] {
  return [
    [`${planUrl}/views`, { version: "1", childViews: "Not saved", consent: "not_asked" }],
    [`${planUrl}/goals`, { personId: world.people.childA1, goal: "Not saved" }],
    [
      `${planUrl}/goals/${childGoal}/actions`,
      {
        action: "Not saved",
        ownerOrganisationId: world.orgs.police,
        "dueOn-day": "20",
        "dueOn-month": "3",
        "dueOn-year": "2026",
      },
    ],
    [`${planUrl}/actions/${motherAction}`, { version: "1", progress: "done", progressNote: "" }],
  ];
}

describe("who may see the whole-family plan", () => {
  it("shows the team every visible member's goals", async () => {
    for (const user of [world.users.swA, world.users.tmA, world.staff.daA]) {
      const client = await signIn(app, user.email);
      const page = await client.get(planUrl);
      expect(page.statusCode, user.email).toBe(200);
      expect(page.body).toContain("Amelia goes to school every day");
      expect(page.body).toContain("Joanne attends her recovery sessions");
    }
  });

  it("is refused (404) to those who see no member, and they change nothing", async () => {
    const before = await everything();
    for (const user of [
      world.users.swB,
      world.users.health,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get(planUrl)).statusCode, user.email).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        action: "family_plan.view",
        outcome: "denied",
      });
      expect((await client.get(`${planUrl}/views`)).statusCode, user.email).toBe(404);
      for (const [url, form] of attempts()) {
        expect((await client.post(url, form)).statusCode, `${user.email} ${url}`).toBe(404);
      }
    }
    expect(await everything()).toEqual(before);
  });

  it("shows the police only the shared child's goals, with the views and consent", async () => {
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(planUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Amelia goes to school every day");
    expect(page.body).toContain("Action for Amelia goes to school every day");
    expect(page.body).not.toContain("Joanne attends her recovery sessions");
    expect(page.body).not.toContain("Joanne Hartley");
    expect(page.body).toContain("Amelia: I like it when Grandma visits.");
    expect(page.body).toContain("Joanne: I want the arguments to stop.");
    expect(page.body).not.toContain("Change the views and consent");
    expect(page.body).not.toContain("Add a goal");
    expect(page.body).not.toContain("Update progress");
    expect(await latestAudit(database)).toMatchObject({
      action: "family_plan.view",
      outcome: "allowed",
      person_ids: [world.people.childA1],
      summary: { goals: 1 },
    });
  });

  it("does not let the police change the plan", async () => {
    const before = await everything();
    const police = await signIn(app, world.users.police.email);
    expect((await police.get(`${planUrl}/views`)).statusCode).toBe(404);
    for (const [url, form] of attempts()) {
      expect((await police.post(url, form)).statusCode, url).toBe(404);
    }
    expect(await everything()).toEqual(before);
  });

  it("lets business support read the plan but not change it", async () => {
    const before = await everything();
    const support = await signIn(app, world.users.businessSupportA.email);
    const page = await support.get(planUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Joanne attends her recovery sessions");
    expect(page.body).not.toContain("Change the views and consent");
    expect((await support.get(`${planUrl}/views`)).statusCode).toBe(404);
    for (const [url, form] of attempts()) {
      expect((await support.post(url, form)).statusCode, url).toBe(404);
    }
    expect(await everything()).toEqual(before);
  });

  it("lets someone on emergency access read the plan but not change it", async () => {
    const staff = await addStaff(database.db, world, "sw.b2@test.example", "social_worker", [
      world.teams.fsB,
    ]);
    const client = await signIn(app, staff.email);
    await client.get("/break-glass");
    const grant = await client.post("/break-glass", {
      personId: world.people.childA1,
      reason: "Police called out of hours: need to check the family's plan",
    });
    expect(grant.statusCode).toBe(303);
    const page = await client.get(planUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Amelia goes to school every day");
    expect(page.body).not.toContain("Change the views and consent");
    const before = await everything();
    expect((await client.get(`${planUrl}/views`)).statusCode).toBe(403);
    for (const [url, form] of attempts()) {
      expect((await client.post(url, form)).statusCode, url).toBe(403);
    }
    expect(await everything()).toEqual(before);
  });
});
