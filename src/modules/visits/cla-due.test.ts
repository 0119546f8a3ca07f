import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { visitSchedules } from "./due.ts";
import { insertClaEpisode, insertClaReview, insertCpPlan, insertVisit } from "./test-plans.ts";

// The test clock says Monday 2 March 2026.
const TODAY = "2026-03-02";
let database: Database;
let world: World;
let app: FastifyInstance;

const who = (person: keyof World["people"]) => ({
  laId: world.laId,
  personId: world.people[person],
  userId: world.users.swA.id,
});

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const db = database.db;
  // childA1: on a CP plan since 16 February (a visit due 2 March at 10 working days), then
  // looked after from Friday 20 February, not yet visited: reg. 28(2)(a) makes it 27 February.
  await insertCpPlan(db, who("childA1"), "2026-02-16");
  await insertClaEpisode(db, who("childA1"), "2026-02-20", null, { placementProvider: "PR1" });
  // childA2: placed with parents on an interim care order since 2 February, seen 23 February.
  await insertClaEpisode(db, who("childA2"), "2026-02-02", null, {
    legalStatus: "C1",
    placementType: "P1",
    placementProvider: "PR0",
  });
  await insertVisit(db, who("childA2"), "2026-02-23", true);
});

describe("a looked-after child's visits in the app", () => {
  it("are due by the earlier of the CP standard and reg. 28 when both apply", async () => {
    const [schedule] = await visitSchedules(database.db, world.laId, [world.people.childA1], TODAY);
    expect(schedule).toMatchObject({
      planType: "cla",
      planStart: "2026-02-20",
      dueOn: "2026-02-27",
      overdue: true,
      rule: { regulation: "reg. 28(2)(a)" },
    });
  });

  it("are weekly with parents until the first review, then at most 4 weeks (reg. 28(4))", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${world.people.childA2}/visits`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<span data-testid="next-visit-due">2 March 2026</span>');
    expect(page.body).toContain("At least once a week until the first review (reg. 28(4)(a))");
    expect(page.body).toContain("Looked after (placement since 2 February 2026)");
    // The tray says the same.
    const tray = await sw.get("/my-work");
    expect(tray.body).toContain("Statutory visit (looked after)");

    await insertClaReview(database.db, who("childA2"), "2026-02-25");
    const after = await sw.get(`/people/${world.people.childA2}/visits`);
    expect(after.body).toContain('<span data-testid="next-visit-due">23 March 2026</span>');
    expect(after.body).toContain("At intervals of no more than 4 weeks (reg. 28(4)(b))");
  });

  it("keep the statutory maximum whatever the council sets, and follow a stricter one", async () => {
    await database.db
      .insertInto("visit_frequency")
      .values({ la_id: world.laId, plan_type: "cla", working_days: 130 })
      .execute();
    const [loose] = await visitSchedules(database.db, world.laId, [world.people.childA2], TODAY);
    expect(loose?.dueOn).toBe("2026-03-23");
    await database.db
      .updateTable("visit_frequency")
      .set({ working_days: 5 })
      .where("la_id", "=", world.laId)
      .execute();
    const [strict] = await visitSchedules(database.db, world.laId, [world.people.childA2], TODAY);
    // Monday 23 February + 5 working days.
    expect(strict).toMatchObject({ dueOn: "2026-03-02", rule: { code: "local" } });
    await database.db.deleteFrom("visit_frequency").where("la_id", "=", world.laId).execute();
  });

  it("are not shown to a worker of another team", async () => {
    const swB = await signIn(app, world.users.swB.email);
    expect((await swB.get(`/people/${world.people.childA2}/visits`)).statusCode).toBe(404);
    expect((await swB.get("/my-work")).body).not.toContain("Oliver Hartley");
  });
});
