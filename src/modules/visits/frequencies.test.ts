import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { insertCpPlan } from "./test-plans.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  await insertCpPlan(
    database.db,
    { laId: world.laId, personId: world.people.childA1, userId: world.users.swA.id },
    "2026-02-02",
  );
});

async function stored() {
  const rows = await database.db
    .selectFrom("visit_frequency")
    .select(["la_id", "plan_type", "working_days"])
    .orderBy("la_id")
    .orderBy("plan_type")
    .execute();
  return rows;
}

/** The form's hidden "values loaded" field, as the browser would send it back. */
function loadedFrom(page: string): string {
  return /name="loaded" value="([^"]*)"/.exec(page)?.[1] ?? "";
}

/** The value shown in the form's input for a plan type. */
function shown(page: string, planType: string): string | undefined {
  return new RegExp(`<input[^>]*\\bid="${planType}"[^>]*\\bvalue="([^"]*)"`).exec(page)?.[1];
}

async function openForm(admin: Client): Promise<string> {
  const page = await admin.get("/admin/visit-frequencies");
  expect(page.statusCode).toBe(200);
  return loadedFrom(page.body);
}

describe("visit frequency settings", () => {
  it("shows the defaults where the LA has set none", async () => {
    const admin = await signIn(app, world.users.admin.email);
    const page = await admin.get("/admin/visit-frequencies");
    expect(page.statusCode).toBe(200);
    expect(shown(page.body, "cp")).toBe("10");
    // Looked after: empty, the regulations alone (reg. 28).
    expect(shown(page.body, "cla")).toBe("");
    expect(shown(page.body, "cin")).toBe("20");
    expect(loadedFrom(page.body)).toBe("cp:10,cla:,cin:20");
  });

  it("saves the LA's frequencies, audits the change, and due dates follow", async () => {
    const admin = await signIn(app, world.users.admin.email);
    const loaded = await openForm(admin);
    const saved = await admin.post("/admin/visit-frequencies", {
      cp: "5",
      cla: "30",
      cin: "25",
      loaded,
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe("/admin/visit-frequencies?saved=1");
    expect(await stored()).toEqual([
      { la_id: world.laId, plan_type: "cin", working_days: 25 },
      { la_id: world.laId, plan_type: "cla", working_days: 30 },
      { la_id: world.laId, plan_type: "cp", working_days: 5 },
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "settings.update",
      outcome: "allowed",
      subject_type: "visit_frequency",
      summary: { before: { cp: 10, cla: null, cin: 20 }, after: { cp: 5, cla: 30, cin: 25 } },
    });
    const page = await admin.get("/admin/visit-frequencies?saved=1");
    expect(page.body).toContain("Visit frequencies saved");
    expect(shown(page.body, "cp")).toBe("5");

    // Monday 2 February 2026 + 5 working days.
    const sw = await signIn(app, world.users.swA.email);
    const visits = await sw.get(`/people/${world.people.childA1}/visits`);
    expect(visits.body).toContain('<span data-testid="next-visit-due">9 February 2026</span>');
    expect(visits.body).toContain("5 working days");
  });

  it("changes a saved value in place", async () => {
    const admin = await signIn(app, world.users.admin.email);
    const loaded = await openForm(admin);
    expect(loaded).toBe("cp:5,cla:30,cin:25");
    const saved = await admin.post("/admin/visit-frequencies", {
      cp: "10",
      cla: "30",
      cin: "25",
      loaded,
    });
    expect(saved.statusCode).toBe(303);
    expect((await stored()).map((r) => r.working_days)).toEqual([25, 30, 10]);
  });

  it("goes back to the regulations alone for looked-after children when left empty", async () => {
    const admin = await signIn(app, world.users.admin.email);
    const cleared = await admin.post("/admin/visit-frequencies", {
      cp: "10",
      cla: "",
      cin: "25",
      loaded: await openForm(admin),
    });
    expect(cleared.statusCode).toBe(303);
    expect((await stored()).map((r) => r.plan_type)).toEqual(["cin", "cp"]);
    expect(await latestAudit(database)).toMatchObject({
      summary: { before: { cla: 30 }, after: { cla: null } },
    });
    const restored = await admin.post("/admin/visit-frequencies", {
      cp: "10",
      cla: "30",
      cin: "25",
      loaded: await openForm(admin),
    });
    expect(restored.statusCode).toBe(303);
    expect((await stored()).map((r) => r.working_days)).toEqual([25, 30, 10]);
  });

  it("refuses anything but whole numbers from 1 to 130, naming each field and saving nothing", async () => {
    const admin = await signIn(app, world.users.admin.email);
    const loaded = await openForm(admin);
    const before = await stored();
    const response = await admin.post("/admin/visit-frequencies", {
      cp: "0",
      cla: "6 weeks",
      cin: "131",
      loaded,
    });
    expect(response.statusCode).toBe(400);
    for (const field of ["cp", "cla", "cin"]) expect(response.body).toContain(`href="#${field}"`);
    expect(response.body).toContain("must be between 1 and 130");
    expect(response.body).toContain("must be a whole number");
    // The form comes back with what was typed.
    expect(shown(response.body, "cla")).toBe("6 weeks");
    expect(await stored()).toEqual(before);
    expect(await latestAudit(database)).toMatchObject({
      action: "settings.update",
      outcome: "failed",
      summary: { reason: "invalid_input", fields: ["cp", "cla", "cin"] },
    });

    const empty = await admin.post("/admin/visit-frequencies", {
      cp: "",
      cla: "30",
      cin: "20",
      loaded,
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain("Enter the number of working days");
    expect(await stored()).toEqual(before);
  });

  it("refuses a stale edit (409) when someone else saved meanwhile, and saves nothing", async () => {
    const admin = await signIn(app, world.users.admin.email);
    const stale = await openForm(admin);
    const other = await signIn(app, world.users.admin.email);
    const fresh = await openForm(other);
    expect(
      (
        await other.post("/admin/visit-frequencies", {
          cp: "8",
          cla: "30",
          cin: "25",
          loaded: fresh,
        })
      ).statusCode,
    ).toBe(303);
    const response = await admin.post("/admin/visit-frequencies", {
      cp: "12",
      cla: "30",
      cin: "25",
      loaded: stale,
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain("Someone else changed these settings");
    // The form shows the settings now in force, not the refused edit.
    expect(shown(response.body, "cp")).toBe("8");
    expect((await stored()).find((r) => r.plan_type === "cp")?.working_days).toBe(8);
    expect(await latestAudit(database)).toMatchObject({
      action: "settings.update",
      outcome: "failed",
      summary: { reason: "conflict" },
    });
  });

  it("is only for the system administrator: practitioners get 404 and nothing is saved", async () => {
    const before = await stored();
    for (const user of [
      world.users.swA,
      world.users.tmA,
      world.users.adultSpecialistA,
      world.users.businessSupportA,
      world.users.police,
      world.users.analyst,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get("/admin/visit-frequencies")).statusCode, user.email).toBe(404);
      const attempt = await client.post("/admin/visit-frequencies", {
        cp: "1",
        cla: "1",
        cin: "1",
        loaded: "cp:8,cla:30,cin:25",
      });
      expect(attempt.statusCode, user.email).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        action: "settings.update",
        outcome: "denied",
      });
    }
    expect(await stored()).toEqual(before);
  });
});
