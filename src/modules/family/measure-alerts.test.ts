import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { loadActor, type Actor } from "../../access/actor.ts";
import { phq9 } from "../../domain/instruments/library.ts";
import type { Database } from "../../platform/database.ts";
import { openMeasureAlerts } from "./measure-alerts.ts";
import { alertRows, answersOf, measureRows, scoringForm } from "./measure-test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

/** PHQ-9 item 9 (thoughts of self-harm): the alert, where it shows, and acknowledging it. */
let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let mh: Client;
let sw: Client;
let resultUrl = "";
let alertId = "";

const base = () => `/families/${world.families.hartley}/workbook/measures`;
const TODAY = "2026-03-02";

async function actor(userId: string): Promise<Actor> {
  const loaded = await loadActor(database.db, userId);
  if (!loaded) throw new Error("no actor");
  return loaded;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  mh = await signIn(app, world.users.adultSpecialistA.email);
  sw = await signIn(app, world.users.swA.email);
});

describe("an alert raised by an answer", () => {
  it("is shown on a refused form but not saved until the scoring is complete", async () => {
    const refused = await mh.post(
      base(),
      scoringForm(world.people.motherA, phq9, answersOf(phq9, 0, { q9: 2, q3: undefined })),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('data-testid="form-alert"');
    expect(refused.body).toContain("Thoughts of death or self-harm reported");
    expect(await measureRows(database.db, world.people.motherA)).toEqual([]);
    expect(await alertRows(database.db, world.people.motherA)).toEqual([]);
  });

  it("is saved with the scoring and shown prominently on the result", async () => {
    const saved = await mh.post(
      base(),
      scoringForm(world.people.motherA, phq9, answersOf(phq9, 0, { q9: 1 })),
    );
    expect(saved.statusCode).toBe(303);
    resultUrl = String(saved.headers.location);
    const [result] = await measureRows(database.db, world.people.motherA);
    const alerts = await alertRows(database.db, world.people.motherA);
    expect(alerts).toMatchObject([
      {
        measure_result_id: result?.id,
        workbook_id: world.workbooks.hartley,
        code: "self_harm_thoughts",
        message: phq9.alerts?.[0]?.message,
        acknowledged_by: null,
        acknowledged_at: null,
      },
    ]);
    alertId = alerts[0]?.id ?? "";
    expect(await latestAudit(database)).toMatchObject({
      action: "measure.record",
      summary: { instrument: "phq9", alerts: 1 },
    });
    const page = await sw.get(resultUrl);
    expect(page.body).toContain(`id="alert-${alertId}"`);
    expect(page.body).toContain('class="govuk-warning-text"');
    expect(page.body).toContain("Thoughts of death or self-harm reported");
    expect(page.body).toContain("Acknowledge alert");
    const list = await sw.get(base());
    expect(list.body).toContain('data-testid="open-alerts"');
    expect(list.body).toContain(`#alert-${alertId}`);
  });

  it("is on the work trays of the family's workers and their team, not another team's", async () => {
    const expected = {
      personId: world.people.motherA,
      personName: "Joanne Hartley",
      familyId: world.families.hartley,
      raisedOn: TODAY,
      href: `${resultUrl}#alert-${alertId}`,
    };
    expect(
      await openMeasureAlerts(database.db, await actor(world.users.swA.id), "mine", TODAY),
    ).toEqual([{ ...expected, workerName: "sw.a" }]);
    expect(
      await openMeasureAlerts(
        database.db,
        await actor(world.users.adultSpecialistA.id),
        "mine",
        TODAY,
      ),
    ).toEqual([{ ...expected, workerName: "as.a" }]);
    // The team view names the family's social worker ahead of the adult specialists.
    expect(
      await openMeasureAlerts(database.db, await actor(world.users.tmA.id), "team", TODAY),
    ).toEqual([{ ...expected, workerName: "sw.a" }]);
    expect(
      await openMeasureAlerts(database.db, await actor(world.users.tmA.id), "mine", TODAY),
    ).toEqual([]);
    for (const scope of ["mine", "team"] as const) {
      expect(
        await openMeasureAlerts(database.db, await actor(world.users.swB.id), scope, TODAY),
      ).toEqual([]);
      expect(
        await openMeasureAlerts(database.db, await actor(world.users.otherLaSw.id), scope, TODAY),
      ).toEqual([]);
    }
  });

  it("shows on the social worker's My work page as overdue, linking to the result", async () => {
    const page = await sw.get("/my-work");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Measure alert: respond now");
    expect(page.body).toContain(`${resultUrl}#alert-${alertId}`);
    const swB = await signIn(app, world.users.swB.email);
    expect((await swB.get("/my-work")).body).not.toContain("Measure alert");
  });

  it("needs a note to be acknowledged", async () => {
    const response = await sw.post(
      `/families/${world.families.hartley}/workbook/alerts/${alertId}/acknowledge`,
      { note: "  " },
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#note-${alertId}"`);
    expect(response.body).toContain("Enter what has been done about the alert");
    const [alert] = await alertRows(database.db, world.people.motherA);
    expect(alert?.acknowledged_at).toBeNull();
  });

  it("is acknowledged once by the family's social worker, then leaves the trays", async () => {
    const url = `/families/${world.families.hartley}/workbook/alerts/${alertId}/acknowledge`;
    const note = "Spoke to Joanne the same day; safety plan agreed with her GP";
    const done = await sw.post(url, { note });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${resultUrl}#alert-${alertId}`);
    const [alert] = await alertRows(database.db, world.people.motherA);
    expect(alert).toMatchObject({ acknowledged_by: world.users.swA.id, acknowledgement: note });
    expect(alert?.acknowledged_at).toEqual(new Date("2026-03-02T10:00:00Z"));
    expect(await latestAudit(database)).toMatchObject({
      action: "measure.acknowledge",
      outcome: "allowed",
      person_ids: [world.people.motherA],
      subject_type: "measure_alert",
      subject_id: alertId,
    });

    const page = await mh.get(resultUrl);
    expect(page.body).toContain("Alert acknowledged");
    expect(page.body).toContain("by sw.a");
    expect(page.body).not.toContain("Acknowledge alert");
    expect((await mh.get(base())).body).not.toContain('data-testid="open-alerts"');

    // Someone acknowledging from a page loaded before: a conflict, and the first note stands.
    const again = await mh.post(url, { note: "Also checked" });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("already been acknowledged");
    const [after] = await alertRows(database.db, world.people.motherA);
    expect(after).toMatchObject({ acknowledged_by: world.users.swA.id, acknowledgement: note });

    expect(
      await openMeasureAlerts(database.db, await actor(world.users.swA.id), "mine", TODAY),
    ).toEqual([]);
  });

  it("answers 404 for an alert that is not this family's", async () => {
    const response = await sw.post(
      `/families/${world.families.brennan}/workbook/alerts/${alertId}/acknowledge`,
      { note: "Wrong family" },
    );
    expect(response.statusCode).toBe(404);
  });
});
