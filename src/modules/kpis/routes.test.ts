import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { setUpKpiWorld } from "./test-support.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
beforeAll(async () => {
  ({ database, world } = await setUpKpiWorld());
  ({ app } = await testApp(database));
});

const as = (user: keyof World["users"]) => signIn(app, world.users[user].email);
const drillDown =
  "/performance/measures/re_referrals/children?from=2025-04&to=2026-03&month=2025-12";

describe("who sees performance figures", () => {
  it("refuses social workers, partners, administrators, the performance officer and another council", async () => {
    for (const user of ["swA", "police", "admin", "performanceOfficer", "otherLaSw"] as const) {
      const client = await as(user);
      expect((await client.get("/performance")).statusCode, user).toBe(404);
      expect((await client.get("/performance/measures/re_referrals")).statusCode, user).toBe(404);
      expect((await client.get(drillDown)).statusCode, user).toBe(404);
    }
  });

  it("shows the analyst every measure for the whole council, with small numbers hidden and no children", async () => {
    const analyst = await as("analyst");
    const home = await analyst.get("/");
    expect(home.body).not.toContain("coming in a later release");
    expect(home.body).toContain('href="/performance"');
    const page = await analyst.get("/performance");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("The whole council");
    expect(page.body).toContain("Children looked after per 10,000 children");
    expect(page.body).toContain("<svg");
    expect(page.body).toContain("Lower is better");
    // 1 of 4 referrals in the period was a re-referral: both counts are small, so hidden.
    expect(page.body).toMatch(/data-testid="period-re_referrals">Fewer than 5/);
    expect(page.body).toContain("Trellis does not record this yet");
    expect(page.body).not.toContain("/children?");
    expect(page.body).not.toContain("Amelia");
    const audit = await latestAudit(database);
    expect(audit.action).toBe("kpi.view");
    expect(audit.person_ids).toEqual([]);
    expect((await analyst.get(drillDown)).statusCode).toBe(404);
  });

  it("keeps a team manager to their teams, with no council-wide rates", async () => {
    const manager = await as("tmA");
    const page = await manager.get("/performance");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Your teams");
    expect(page.body).toContain('data-testid="caseloads-by-worker"');
    expect(page.body).not.toContain("per 10,000 children");
    expect((await manager.get("/performance/measures/looked_after_rate")).statusCode).toBe(404);
    expect((await manager.get("/performance/disproportionality")).statusCode).toBe(404);
  });

  it("names only the children the team manager may see behind a figure, counting the rest", async () => {
    await database.db
      .updateTable("app_user")
      .set({ head_of_service: true })
      .where("id", "=", world.users.tmA.id)
      .execute();
    try {
      const head = await as("tmA");
      const dashboard = await head.get("/performance");
      expect(dashboard.body).toContain("The whole council");
      const list = await head.get(drillDown);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain("Amelia Hartley");
      // Kai is in team B, whom this manager may not see: counted, never named.
      expect(list.body).not.toContain("Kai");
      expect(list.body).toContain("And fewer than 5 other children you may not see");
      const audit = await latestAudit(database);
      expect(audit.action).toBe("kpi.children");
      expect(audit.person_ids).toEqual([world.people.childA1]);
    } finally {
      await database.db
        .updateTable("app_user")
        .set({ head_of_service: false })
        .where("id", "=", world.users.tmA.id)
        .execute();
    }
  });
});

describe("a measure's page", () => {
  it("shows its definition, breakdown and a CSV without the hidden counts", async () => {
    const analyst = await as("analyst");
    const page = await analyst.get("/performance/measures/re_referrals?by=sex");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Referrals with an earlier referral of the same child");
    expect(page.body).toContain('data-testid="breakdown"');
    expect(page.body).toContain("Female");
    const csv = await analyst.get("/performance/measures/re_referrals?by=sex&format=csv");
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body.split("\r\n")[0]).toBe(
      "Sex,Numerator,Denominator,Re-referrals within 12 months,Suppressed",
    );
    expect(csv.body).toContain("Female,,,,yes");
    const audit = await latestAudit(database);
    expect(audit.action).toBe("kpi.view");
    expect(audit.summary).toMatchObject({ measure: "re_referrals", export: true });
  });

  it("refuses a period that ends before it starts, and an unknown or unfit breakdown, clearly", async () => {
    const analyst = await as("analyst");
    const backwards = await analyst.get("/performance?from=2026-02&to=2025-12");
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain("The period must not end before it starts");
    const unknown = await analyst.get("/performance/measures/re_referrals?by=shoe_size");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain("There is no breakdown called");
    const unfit = await analyst.get("/performance/measures/looked_after_rate?by=team");
    expect(unfit.statusCode).toBe(400);
    expect((await analyst.get("/performance/measures/no_such_measure")).statusCode).toBe(404);
  });
});

describe("disproportionality", () => {
  it("shows rates and relative rate indices, hiding a small group", async () => {
    const analyst = await as("analyst");
    const page = await analyst.get(
      "/performance/disproportionality?cohort=cp_plans_repeat&by=ethnicity",
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Relative rate index");
    expect(page.body).toContain("White British (comparison)");
    // One child on a plan: hidden, and its index with it.
    expect(page.body).not.toMatch(
      /<td class="govuk-table__cell govuk-table__cell--numeric">1<\/td>/,
    );
    const bad = await analyst.get("/performance/disproportionality?by=team");
    expect(bad.statusCode).toBe(400);
  });
});
