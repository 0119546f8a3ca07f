import { beforeAll, describe, expect, it } from "vitest";
import type { KyselyPlugin } from "kysely";
import { freshDatabase } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { planTypeOn, visitsDue } from "./due.ts";
import { insertClaEpisode, insertCinPlan, insertCpPlan, insertVisit } from "./test-plans.ts";

let database: Database;
let world: World;
const TODAY = "2026-03-02";

const who = (person: keyof World["people"], laId = world.laId) => ({
  laId,
  personId: world.people[person],
  userId: laId === world.laId ? world.users.swA.id : world.users.otherLaSw.id,
});

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  // childA1: a CIN plan stepped up to a CP plan on Monday 2 February 2026; seen only before.
  await insertCinPlan(db, who("childA1"), "2025-10-01", "2026-02-02");
  await insertVisit(db, who("childA1"), "2026-01-20", true);
  await insertCpPlan(db, who("childA1"), "2026-02-02");
  // childA2: on a CIN plan, seen on 23 February, visited but not seen on 27 February.
  await insertCinPlan(db, who("childA2"), "2026-02-16");
  await insertVisit(db, who("childA2"), "2026-02-23", true);
  await insertVisit(db, who("childA2"), "2026-02-27", false);
  // childB1: looked after since 1 December 2025, seen on 10 December, moved to new foster
  // carers on 5 January, after an earlier period of care in 2024 when they were seen; a CIN
  // plan was left open.
  await insertClaEpisode(db, who("childB1"), "2024-01-01", "2024-05-01");
  await insertVisit(db, who("childB1"), "2024-03-01", true);
  await insertClaEpisode(db, who("childB1"), "2025-12-01", "2026-01-05", { reasonCeased: "X1" });
  await insertVisit(db, who("childB1"), "2025-12-10", true);
  await insertClaEpisode(db, who("childB1"), "2026-01-05", null, {
    reasonNewEpisode: "P",
    placementType: "U4",
    placementProvider: "PR1",
  });
  await insertCinPlan(db, who("childB1"), "2025-11-03");
  // unallocated: a CP plan ended on 10 January 2026 and a CIN plan began that day.
  await insertCpPlan(db, who("unallocated"), "2025-06-02", "2026-01-10");
  await insertCinPlan(db, who("unallocated"), "2026-01-10");
  // otherLaChild: on a CP plan in the other LA.
  await insertCpPlan(db, who("otherLaChild", world.otherLaId), "2026-02-20");
});

describe("when statutory visits are due", () => {
  it("works out each child's plan, due date and whether it is overdue", async () => {
    const due = await visitsDue(
      database.db,
      world.laId,
      [
        world.people.childA1,
        world.people.childA2,
        world.people.childB1,
        world.people.unallocated,
        world.people.motherA,
      ],
      TODAY,
    );
    expect(due).toEqual([
      // CP plan start + 10 working days; the visit under the earlier CIN plan does not count.
      { personId: world.people.childA1, planType: "cp", dueOn: "2026-02-16", overdue: true },
      // Last seen visit + 20; the visit at which the child was not seen does not count.
      { personId: world.people.childA2, planType: "cin", dueOn: "2026-03-23", overdue: false },
      // Within a week of the change of placement (reg. 28(2)(a)): the visit before the move
      // does not count; looked after comes before the CIN plan left open.
      { personId: world.people.childB1, planType: "cla", dueOn: "2026-01-12", overdue: true },
      // The CIN plan that followed the ended CP plan + 20.
      { personId: world.people.unallocated, planType: "cin", dueOn: "2026-02-06", overdue: true },
      // motherA is on no plan, so is left out.
    ]);
  });

  it("is not overdue on the due date itself", async () => {
    const [onTheDay] = await visitsDue(
      database.db,
      world.laId,
      [world.people.childA2],
      "2026-03-23",
    );
    const [dayAfter] = await visitsDue(
      database.db,
      world.laId,
      [world.people.childA2],
      "2026-03-24",
    );
    expect(onTheDay?.overdue).toBe(false);
    expect(dayAfter?.overdue).toBe(true);
  });

  it("uses only the LA's own records and its own frequencies", async () => {
    expect(await visitsDue(database.db, world.laId, [world.people.otherLaChild], TODAY)).toEqual(
      [],
    );
    await database.db
      .insertInto("visit_frequency")
      .values({ la_id: world.otherLaId, plan_type: "cp", working_days: 5 })
      .execute();
    expect(
      await visitsDue(database.db, world.otherLaId, [world.people.otherLaChild], TODAY),
    ).toEqual([
      { personId: world.people.otherLaChild, planType: "cp", dueOn: "2026-02-27", overdue: true },
    ]);
    // The other LA's setting does not change this LA's due dates.
    const [childA1] = await visitsDue(database.db, world.laId, [world.people.childA1], TODAY);
    expect(childA1?.dueOn).toBe("2026-02-16");
  });

  it("follows a change to the LA's frequency", async () => {
    await database.db
      .insertInto("visit_frequency")
      .values({ la_id: world.laId, plan_type: "cp", working_days: 5 })
      .execute();
    const [childA1] = await visitsDue(database.db, world.laId, [world.people.childA1], TODAY);
    expect(childA1?.dueOn).toBe("2026-02-09");
    await database.db.deleteFrom("visit_frequency").where("la_id", "=", world.laId).execute();
  });

  it("takes the same few queries for many children as for one", async () => {
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    const db = database.db.withPlugin(counter);
    await visitsDue(db, world.laId, [world.people.childA1], TODAY);
    const forOne = queries;
    queries = 0;
    const many = await visitsDue(db, world.laId, Object.values(world.people), TODAY);
    expect(many.length).toBe(4);
    expect(queries).toBe(forOne);
    expect(forOne).toBeLessThanOrEqual(6);
    queries = 0;
    expect(await visitsDue(db, world.laId, [], TODAY)).toEqual([]);
    expect(queries).toBe(0);
  });
});

describe("the plan a visit was made under", () => {
  it("is the plan open on the visit date, the governing one when several were", async () => {
    const db = database.db;
    expect(await planTypeOn(db, world.people.childA1, "2025-09-30")).toBeNull();
    expect(await planTypeOn(db, world.people.childA1, "2025-12-01")).toBe("cin");
    // The CIN plan ended the day the CP plan began: both were open that day.
    expect(await planTypeOn(db, world.people.childA1, "2026-02-02")).toBe("cp");
    expect(await planTypeOn(db, world.people.childB1, "2024-02-01")).toBe("cla");
    expect(await planTypeOn(db, world.people.childB1, "2025-11-10")).toBe("cin");
    expect(await planTypeOn(db, world.people.childB1, "2026-01-05")).toBe("cla");
    expect(await planTypeOn(db, world.people.motherA, TODAY)).toBeNull();
  });
});
