import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let planUrl: string;

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  planUrl = `/families/${world.families.hartley}/workbook/plan`;
});

function dated(name: string, date: string): Record<string, string> {
  const [year = "", month = "", day = ""] = date.split("-");
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

function viewsForm(version: number, more: Record<string, string> = {}): Record<string, string> {
  return {
    version: String(version),
    childViews: "Amelia: I want the shouting to stop.",
    parentViews: "Joanne: I want help to keep the children at home.",
    consent: "given",
    consentGivenBy: "Joanne Hartley",
    ...dated("consentOn", "2026-02-28"),
    ...more,
  };
}

function actionForm(more: Record<string, string>): Record<string, string> {
  return {
    action: "Attend the parenting course",
    ownerUserId: "",
    ownerOrganisationId: "",
    ...dated("dueOn", "2026-03-20"),
    ...more,
  };
}

async function plan() {
  return database.db
    .selectFrom("family_plan")
    .selectAll()
    .where("workbook_id", "=", world.workbooks.hartley)
    .executeTakeFirst();
}

async function goals() {
  return database.db.selectFrom("family_plan_goal").selectAll().orderBy("created_at").execute();
}

async function actions() {
  return database.db
    .selectFrom("family_plan_action")
    .selectAll()
    .orderBy("updated_at")
    .orderBy("action")
    .execute();
}

async function planEvents() {
  return database.db
    .selectFrom("chronology_entry")
    .select(["person_id", "summary", "occurred_on"])
    .where("kind", "=", "family_plan")
    .orderBy("recorded_at")
    .execute();
}

describe("the whole-family plan's views and consent", () => {
  it("shows an empty plan with every visible member", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(planUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Not yet asked");
    for (const name of ["Amelia Hartley", "Oliver Hartley", "Joanne Hartley", "Mark Hartley"]) {
      expect(page.body).toContain(`No goals yet for ${name}`);
    }
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "family_plan.view", outcome: "allowed" });
    expect(audit.person_ids).toEqual(
      expect.arrayContaining([world.people.childA1, world.people.motherA, world.fatherA]),
    );
  });

  it("makes the plan on the first save, with a chronology entry on each child", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const form = await sw.get(`${planUrl}/views`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="version" value="0"');
    const saved = await sw.post(`${planUrl}/views`, viewsForm(0));
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(planUrl);
    const row = await plan();
    expect(row).toMatchObject({
      child_views: "Amelia: I want the shouting to stop.",
      parent_views: "Joanne: I want help to keep the children at home.",
      consent: "given",
      consent_given_by: "Joanne Hartley",
      consent_recorded_on: "2026-02-28",
      version: 1,
      updated_by: world.users.swA.id,
    });
    const events = await planEvents();
    expect(events.map((e) => e.person_id).sort()).toEqual(
      [world.people.childA1, world.people.childA2].sort(),
    );
    expect(events[0]).toMatchObject({
      summary: "Whole-family plan: views and consent recorded (consent given)",
      occurred_on: "2026-03-02",
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "family_plan.write",
      outcome: "allowed",
      subject_type: "family_plan",
      subject_id: row?.id,
    });
    const page = await sw.get(planUrl);
    expect(page.body).toContain("Amelia: I want the shouting to stop.");
    expect(page.body).toContain("Given by Joanne Hartley on 28 February 2026");
  });

  const refusals: [string, Record<string, string>, string, string][] = [
    [
      "consent given without saying by whom",
      viewsForm(1, { consentGivenBy: "" }),
      "consentGivenBy",
      "Enter who gave or declined consent",
    ],
    [
      "consent declined without a date",
      viewsForm(1, { consent: "declined", ...dated("consentOn", "--") }),
      "consentOn-day",
      "Enter the date of consent",
    ],
    [
      "a consent date in the future",
      viewsForm(1, dated("consentOn", "2026-03-03")),
      "consentOn-day",
      "today or in the past",
    ],
    [
      "a consent date when consent was not asked",
      viewsForm(1, { consent: "not_asked", consentGivenBy: "" }),
      "consentOn-day",
      "Leave the date blank: consent was not asked",
    ],
    ["no consent answer", viewsForm(1, { consent: "" }), "consent", "Select whether the family"],
  ];

  it.each(refusals)("refuses %s, saving nothing", async (_, form, field, text) => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`${planUrl}/views`);
    const before = await plan();
    const response = await sw.post(`${planUrl}/views`, form);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#${field}"`);
    expect(response.body).toContain(text);
    expect(await plan()).toEqual(before);
  });

  it("refuses a stale change of views (409), saving nothing", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const tm = await signIn(app, world.users.tmA.email);
    expect((await sw.get(`${planUrl}/views`)).body).toContain('name="version" value="1"');
    expect((await tm.get(`${planUrl}/views`)).body).toContain('name="version" value="1"');
    const first = await sw.post(`${planUrl}/views`, viewsForm(1, { consent: "declined" }));
    expect(first.statusCode).toBe(303);
    const before = await plan();
    const events = await planEvents();
    const stale = await tm.post(`${planUrl}/views`, viewsForm(1, { childViews: "Not saved" }));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone else changed the views or consent");
    expect(await plan()).toEqual(before);
    expect(before).toMatchObject({ consent: "declined", version: 2 });
    expect(await planEvents()).toEqual(events);
  });
});

describe("goals and actions", () => {
  it("adds a goal for a visible member, and refuses one for anyone else", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const form = await sw.get(`${planUrl}/goals/new?personId=${world.people.childA1}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(new RegExp(`value="${world.people.childA1}" checked`));
    for (const [personId, goal] of [
      [world.people.childA1, "Amelia feels safe at home"],
      [world.people.motherA, "Joanne manages arguments without shouting"],
    ] as const) {
      const saved = await sw.post(`${planUrl}/goals`, { personId, goal });
      expect(saved.statusCode).toBe(303);
    }
    expect(await goals()).toMatchObject([
      { person_id: world.people.childA1, goal: "Amelia feels safe at home" },
      { person_id: world.people.motherA, goal: "Joanne manages arguments without shouting" },
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "family_plan.write",
      outcome: "allowed",
      subject_type: "family_plan_goal",
    });

    const noMember = await sw.post(`${planUrl}/goals`, { personId: "", goal: "Something" });
    expect(noMember.statusCode).toBe(400);
    expect(noMember.body).toContain("Select who the goal is for");
    const noGoal = await sw.post(`${planUrl}/goals`, { personId: world.people.childA2, goal: "" });
    expect(noGoal.statusCode).toBe(400);
    expect(noGoal.body).toContain("Enter the goal");
    // Kai is in another family and not visible to swA: not revealed.
    const other = await sw.post(`${planUrl}/goals`, {
      personId: world.people.childB1,
      goal: "Not saved",
    });
    expect(other.statusCode).toBe(404);
    expect(await goals()).toHaveLength(2);
  });

  it("offers the family's allocated practitioners and the LA's agencies as owners", async () => {
    const [goal] = await goals();
    const sw = await signIn(app, world.users.swA.email);
    const form = await sw.get(`${planUrl}/goals/${goal?.id ?? ""}/actions/new`);
    expect(form.statusCode).toBe(200);
    for (const id of [
      world.users.swA.id,
      world.users.adultSpecialistA.id,
      world.staff.daA.id,
      world.staff.recoveryA.id,
      world.orgs.police,
      world.orgs.health,
      world.orgs.school,
      world.orgs.la,
    ]) {
      expect(form.body).toContain(`value="${id}"`);
    }
    for (const id of [world.users.swB.id, world.users.tmA.id, world.orgs.otherLa]) {
      expect(form.body).not.toContain(`value="${id}"`);
    }
  });

  it("adds actions owned by a practitioner and by an agency", async () => {
    const [goal] = await goals();
    const url = `${planUrl}/goals/${goal?.id ?? ""}/actions`;
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`${url}/new`);
    const byUser = await sw.post(url, actionForm({ ownerUserId: world.users.swA.id }));
    expect(byUser.statusCode).toBe(303);
    const byAgency = await sw.post(
      url,
      actionForm({
        action: "School nurse checks in weekly",
        ownerOrganisationId: world.orgs.school,
      }),
    );
    expect(byAgency.statusCode).toBe(303);
    expect(await actions()).toMatchObject([
      {
        goal_id: goal?.id,
        action: "Attend the parenting course",
        owner_user_id: world.users.swA.id,
        owner_organisation_id: null,
        due_on: "2026-03-20",
        progress: "not_started",
        version: 1,
      },
      {
        action: "School nurse checks in weekly",
        owner_user_id: null,
        owner_organisation_id: world.orgs.school,
      },
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "family_plan.write",
      subject_type: "family_plan_action",
      summary: { person: world.people.childA1 },
    });
    const page = await sw.get(planUrl);
    expect(page.body).toContain("Amelia feels safe at home");
    expect(page.body).toMatch(/Attend the parenting course[\s\S]*?sw\.a[\s\S]*?20 March 2026/);
    expect(page.body).toContain("Testshire Academy");
  });

  const refusals: [string, Record<string, string>, string, string][] = [
    ["no owner", actionForm({}), "ownerUserId", "Select who owns the action"],
    [
      "both owners",
      actionForm({ ownerUserId: "USER", ownerOrganisationId: "ORG" }),
      "ownerUserId",
      "not both",
    ],
    [
      "a practitioner not working with the family",
      actionForm({ ownerUserId: "SWB" }),
      "ownerUserId",
      "Select a practitioner from the list",
    ],
    [
      "a due date in the past",
      actionForm({ ownerUserId: "USER", ...dated("dueOn", "2026-03-01") }),
      "dueOn-day",
      "on or after today (2 March 2026)",
    ],
    ["no action", actionForm({ action: "", ownerUserId: "USER" }), "action", "Enter the action"],
  ];

  it.each(refusals)("refuses an action with %s, saving nothing", async (_, form, field, text) => {
    const ids: Record<string, string> = {
      USER: world.users.swA.id,
      ORG: world.orgs.police,
      SWB: world.users.swB.id,
    };
    const resolved = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, ids[v] ?? v]));
    const [goal] = await goals();
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`${planUrl}/goals/${goal?.id ?? ""}/actions/new`);
    const before = await actions();
    const response = await sw.post(`${planUrl}/goals/${goal?.id ?? ""}/actions`, resolved);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#${field}"`);
    expect(response.body).toContain(text);
    expect(await actions()).toEqual(before);
  });

  it("updates an action's progress, refusing a stale update (409)", async () => {
    const [action] = await actions();
    const url = `${planUrl}/actions/${action?.id ?? ""}`;
    const sw = await signIn(app, world.users.swA.email);
    const tm = await signIn(app, world.users.tmA.email);
    expect((await sw.get(url)).body).toContain('name="version" value="1"');
    expect((await tm.get(url)).body).toContain('name="version" value="1"');
    const saved = await sw.post(url, {
      version: "1",
      progress: "in_progress",
      progressNote: "Booked on the April course",
    });
    expect(saved.statusCode).toBe(303);
    const after = await actions();
    expect(after[0]).toMatchObject({
      progress: "in_progress",
      progress_note: "Booked on the April course",
      version: 2,
      updated_by: world.users.swA.id,
    });
    const stale = await tm.post(url, { version: "1", progress: "done", progressNote: "" });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone else updated this action");
    expect(await actions()).toEqual(after);
    const noReason = await sw.post(url, { version: "2", progress: "stopped", progressNote: "" });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain("Enter why the action stopped");
    expect(await actions()).toEqual(after);
    const page = await sw.get(planUrl);
    expect(page.body).toContain("In progress");
    expect(page.body).toContain("Booked on the April course");
  });

  it("marks actions past their due date that are not done or stopped as overdue", async () => {
    const [goal] = await goals();
    await database.db
      .insertInto("family_plan_action")
      .values({
        la_id: world.laId,
        goal_id: goal?.id ?? "",
        action: "Referral to the housing team",
        owner_organisation_id: world.orgs.la,
        due_on: "2026-02-20",
        updated_by: world.users.swA.id,
      })
      .execute();
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(planUrl);
    expect(page.body).toContain("1 action is overdue");
    expect(page.body).toMatch(/Referral to the housing team[\s\S]*?Overdue/);
    expect(page.body.match(/>\s*Overdue\s*</g)).toHaveLength(1);
  });
});
