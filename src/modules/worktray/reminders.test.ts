import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

// The test clock reads Monday 2 March 2026. Safety plan and context reviews, due or overdue,
// in My work (the allocated worker, or the context's worker) and the team manager's tray.
let database: Database;
let world: World;
let app: FastifyInstance;

const plan = (personId: string, versionNo: number, reviewOn: string, userId: string) => ({
  la_id: world.laId,
  person_id: personId,
  version_no: versionNo,
  in_their_words: "Synthetic words",
  trusted_adults: "Synthetic adults",
  safe_places: "Synthetic places",
  what_to_do_if: "Synthetic plan",
  agreed_with_young_person: true,
  review_on: reviewOn,
  recorded_by: userId,
});

async function placeContext(name: string, userId: string, nextReviewOn: string, closed = false) {
  const db = database.db;
  const place = await db
    .insertInto("location")
    .values({ la_id: world.laId, name, kind: "park", recorded_by: userId })
    .returning("id")
    .executeTakeFirstOrThrow();
  const context = await db
    .insertInto("context_case")
    .values({
      la_id: world.laId,
      kind: "location",
      location_id: place.id,
      referred_on: "2026-01-05",
      referral_reason: "Synthetic reason",
      referred_by: userId,
      closed_on: closed ? "2026-02-27" : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("context_review")
    .values({
      la_id: world.laId,
      context_id: context.id,
      reviewed_on: "2026-01-26",
      summary: "Synthetic review",
      next_review_on: nextReviewOn,
      reviewed_by: userId,
    })
    .execute();
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const { swA, swB } = world.users;
  await database.db
    .insertInto("safety_plan")
    .values([
      // Amelia (swA): the first version's review date is superseded by the second's, overdue.
      plan(world.people.childA1, 1, "2026-01-12", swA.id),
      plan(world.people.childA1, 2, "2026-02-23", swA.id),
      // Kai (swB, team B): a review due on 4 March.
      plan(world.people.childB1, 1, "2026-03-04", swB.id),
    ])
    .execute();
  await placeContext("Canal towpath", swA.id, "2026-02-25");
  await placeContext("Closed arcade", swA.id, "2026-02-10", true);
  await placeContext("Market car park", swB.id, "2026-03-03");
});

const tray = (body: string) => body.slice(body.indexOf('data-testid="tray"'));

describe("safety plan and context reviews in the trays", () => {
  it("shows the allocated worker their children's safety plan reviews and their contexts'", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = tray((await sw.get("/my-work")).body);
    expect(page).toContain(`href="/people/${world.people.childA1}/safety-plan">Safety plan review`);
    expect(page).toMatch(/23 February 2026 <strong class="govuk-tag govuk-tag--red">Overdue/);
    expect(page).not.toContain("12 January 2026");
    expect(page).toContain("Canal towpath");
    expect(page).toContain("Context review");
    // A closed context is not reviewed any more.
    expect(page).not.toContain("Closed arcade");
    // Another team's child and context are not in it.
    expect(page).not.toContain("Kai Brennan");
    expect(page).not.toContain("Market car park");
  });

  it("shows the team manager their team's, not another team's", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const page = tray((await tm.get("/my-team")).body);
    expect(page).toContain("Safety plan review");
    expect(page).toContain("Amelia Hartley");
    expect(page).toContain("Canal towpath");
    expect(page).not.toContain("Kai Brennan");
    expect(page).not.toContain("Market car park");
  });

  it("shows another team's worker only their own", async () => {
    const swB = await signIn(app, world.users.swB.email);
    const page = tray((await swB.get("/my-work")).body);
    expect(page).toContain(`href="/people/${world.people.childB1}/safety-plan">Safety plan review`);
    expect(page).toContain("Market car park");
    expect(page).not.toContain("Amelia Hartley");
    expect(page).not.toContain("Canal towpath");
  });

  it("drops a safety plan review once a new version is saved", async () => {
    await database.db
      .insertInto("safety_plan")
      .values(plan(world.people.childA1, 3, "2026-06-01", world.users.swA.id))
      .execute();
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get("/my-work")).body).not.toContain("Safety plan review");
  });
});
