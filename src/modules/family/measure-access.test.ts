import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { audit, dashRiskChecklist, phq9 } from "../../domain/instruments/library.ts";
import type { Database } from "../../platform/database.ts";
import {
  alertRows,
  answersOf,
  escaped,
  firstAnswered,
  measureRows,
  scoringForm,
} from "./measure-test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

/**
 * Who may see and score the Hartley mother's measures: a DASH (domestic abuse, not special
 * category), an AUDIT (substance misuse) and a PHQ-9 with a self-harm alert (mental health).
 */
let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
const ids = { dash: "", audit: "", phq9: "", alert: "" };

const base = () => `/families/${world.families.hartley}/workbook/measures`;
const dashName = escaped(dashRiskChecklist.name);
const phqName = escaped(phq9.name);
const auditName = escaped(audit.name);

async function score(email: string, form: Record<string, string>): Promise<string> {
  const client = await signIn(app, email);
  const saved = await client.post(base(), form);
  expect(saved.statusCode).toBe(303);
  return String(saved.headers.location).split("/").at(-1) ?? "";
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  const mother = world.people.motherA;
  ids.dash = await score(
    world.staff.daA.email,
    scoringForm(mother, dashRiskChecklist, firstAnswered(dashRiskChecklist, 11)),
  );
  ids.audit = await score(
    world.staff.recoveryA.email,
    scoringForm(mother, audit, { ...firstAnswered(audit, 0), q1: 3 }),
  );
  ids.phq9 = await score(
    world.users.adultSpecialistA.email,
    scoringForm(mother, phq9, answersOf(phq9, 1)),
  );
  const [alert] = await alertRows(database.db, mother);
  ids.alert = alert?.id ?? "";
});

const acknowledgeUrl = () =>
  `/families/${world.families.hartley}/workbook/alerts/${ids.alert}/acknowledge`;

async function nothingChanged(): Promise<void> {
  expect(await measureRows(database.db, world.people.motherA)).toHaveLength(3);
  const [alert] = await alertRows(database.db, world.people.motherA);
  expect(alert?.acknowledged_at).toBeNull();
}

describe("who must not see the measures", () => {
  it("answers 404 to the other team, the analyst, the administrator and another LA", async () => {
    for (const user of [
      world.users.swB,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const c = await signIn(app, user.email);
      expect((await c.get(base())).statusCode, user.email).toBe(404);
      expect(await latestAudit(database), user.email).toMatchObject({
        action: "measure.view",
        outcome: "denied",
      });
      for (const id of [ids.dash, ids.audit, ids.phq9]) {
        expect((await c.get(`${base()}/${id}`)).statusCode, user.email).toBe(404);
      }
      expect((await c.get(`${base()}/new`)).statusCode, user.email).toBe(404);
      const attempt = await c.post(
        base(),
        scoringForm(world.people.motherA, dashRiskChecklist, firstAnswered(dashRiskChecklist, 3)),
      );
      expect(attempt.statusCode, user.email).toBe(404);
      expect((await c.post(acknowledgeUrl(), { note: "Done" })).statusCode, user.email).toBe(404);
    }
    await nothingChanged();
  });

  it("shows the police, who have a share of a child only, none of the mother's measures", async () => {
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(base());
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("Joanne");
    expect(page.body).not.toContain(dashName);
    expect(page.body).toContain("No measures you may see have been scored");
    expect(page.body).not.toContain("Score a measure");
    expect((await police.get(`${base()}/${ids.dash}`)).statusCode).toBe(404);
    expect((await police.get(`${base()}/new`)).statusCode).toBe(404);
    expect((await police.post(acknowledgeUrl(), { note: "Done" })).statusCode).toBe(404);
    await nothingChanged();
  });
});

describe("a partner with a share of the mother", () => {
  it("sees the DASH but not mental health or substance misuse without health in the share, then with it", async () => {
    await database.db
      .insertInto("record_share")
      .values({
        la_id: world.laId,
        person_id: world.people.motherA,
        organisation_id: world.orgs.health,
        lawful_basis: "ca1989_s47",
        purpose: "Health visitor support for the family",
        shared_by: world.users.swA.id,
        includes_health: false,
      })
      .execute();
    const health = await signIn(app, world.users.health.email);
    const withoutHealth = await health.get(base());
    expect(withoutHealth.statusCode).toBe(200);
    expect(withoutHealth.body).toContain(dashName);
    expect(withoutHealth.body).not.toContain(phqName);
    expect(withoutHealth.body).not.toContain(auditName);
    expect(withoutHealth.body).not.toContain("Thoughts of death or self-harm");
    expect((await health.get(`${base()}/${ids.dash}`)).statusCode).toBe(200);
    expect((await health.get(`${base()}/${ids.phq9}`)).statusCode).toBe(404);
    expect((await health.get(`${base()}/${ids.audit}`)).statusCode).toBe(404);

    await database.db
      .updateTable("record_share")
      .set({ includes_health: true })
      .where("person_id", "=", world.people.motherA)
      .where("organisation_id", "=", world.orgs.health)
      .execute();
    const withHealth = await health.get(base());
    expect(withHealth.body).toContain(phqName);
    expect(withHealth.body).toContain(auditName);
    const result = await health.get(`${base()}/${ids.phq9}`);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain("Thoughts of death or self-harm");
    // A partner reads the alert but the family's team acknowledges it.
    expect(result.body).not.toContain("Acknowledge alert");
    expect((await health.post(acknowledgeUrl(), { note: "Seen" })).statusCode).toBe(404);
    expect((await health.get(`${base()}/new`)).statusCode).toBe(404);
    await nothingChanged();
  });
});

describe("business support", () => {
  it("sees every measure but cannot score or acknowledge, and nothing is saved", async () => {
    const support = await signIn(app, world.users.businessSupportA.email);
    const page = await support.get(base());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(phqName);
    expect(page.body).not.toContain("Score a measure");
    const result = await support.get(`${base()}/${ids.phq9}`);
    expect(result.statusCode).toBe(200);
    expect(result.body).not.toContain("Acknowledge alert");
    expect((await support.get(`${base()}/new`)).statusCode).toBe(404);
    const attempt = await support.post(
      base(),
      scoringForm(world.people.motherA, phq9, answersOf(phq9, 0)),
    );
    expect(attempt.statusCode).toBe(404);
    expect(await latestAudit(database)).toMatchObject({
      action: "measure.record",
      outcome: "denied",
    });
    expect((await support.post(acknowledgeUrl(), { note: "Done" })).statusCode).toBe(404);
    await nothingChanged();
  });
});

describe("emergency access", () => {
  it("shows the DASH but not health measures, and refuses scoring (403), saving nothing", async () => {
    const swB = await signIn(app, world.users.swB.email);
    await swB.get("/break-glass");
    const grant = await swB.post("/break-glass", {
      personId: world.people.motherA,
      reason: "Police called out of hours about the mother: need to check risk",
    });
    expect(grant.statusCode).toBe(303);
    const page = await swB.get(base());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(dashName);
    expect(page.body).not.toContain(phqName);
    expect(page.body).not.toContain(auditName);
    expect(page.body).not.toContain("Score a measure");
    expect((await swB.get(`${base()}/${ids.phq9}`)).statusCode).toBe(404);
    expect((await swB.get(`${base()}/new`)).statusCode).toBe(403);
    const attempt = await swB.post(
      base(),
      scoringForm(world.people.motherA, dashRiskChecklist, firstAnswered(dashRiskChecklist, 2)),
    );
    expect(attempt.statusCode).toBe(403);
    expect(await latestAudit(database)).toMatchObject({
      action: "measure.record",
      outcome: "denied",
      person_ids: [world.people.motherA],
    });
    await nothingChanged();
  });
});
