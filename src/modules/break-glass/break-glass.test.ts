import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp, type TestClock } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let clock: TestClock;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app, clock } = await testApp(database));
});

const grantOf = (personId: string) =>
  database.db
    .selectFrom("break_glass")
    .select("id")
    .where("person_id", "=", personId)
    .executeTakeFirstOrThrow();

const reason = "Police called out of hours: child found at an address, need to check history";

describe("emergency (break-glass) access", () => {
  it("needs a reason, then opens the record for a limited time and flags it for the manager", async () => {
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get(`/people/${world.people.childB1}`)).statusCode).toBe(404);

    await sw.get("/break-glass");
    const noReason = await sw.post("/break-glass/search", { name: "Kai Brennan", reason: "" });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain("Give the reason you need emergency access");

    const search = await sw.post("/break-glass/search", { name: "Kai Brenan", reason });
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain(world.people.childB1);

    const grant = await sw.post("/break-glass", { personId: world.people.childB1, reason });
    expect(grant.statusCode).toBe(303);
    const page = await sw.get(`/people/${world.people.childB1}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("emergency access");
    const audit = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      action: "person.view",
      outcome: "allowed",
      summary: { breakGlass: true },
    });

    // The team manager sees it for review; nobody else's manager does.
    const tm = await signIn(app, world.users.tmA.email);
    const reviews = await tm.get("/break-glass/reviews");
    expect(reviews.body).toContain(reason);
    expect(reviews.body).toContain(`/break-glass/${(await grantOf(world.people.childB1)).id}"`);
    const grantRow = await database.db
      .selectFrom("break_glass")
      .select("id")
      .where("person_id", "=", world.people.childB1)
      .executeTakeFirstOrThrow();
    const reviewed = await tm.post(`/break-glass/${grantRow.id}/review`, {
      outcome: "justified",
      note: "Appropriate",
    });
    expect(reviewed.statusCode).toBe(303);
    expect((await tm.get("/break-glass/reviews")).body).not.toContain(
      `/break-glass/${grantRow.id}"`,
    );

    // Access lapses after 8 hours.
    clock.advance(8 * 3_600_000 + 1000);
    const again = await signIn(app, world.users.swA.email);
    expect((await again.get(`/people/${world.people.childB1}`)).statusCode).toBe(404);
  });

  it("cannot open a restricted record, nor another LA's", async () => {
    const sw = await signIn(app, world.users.swB.email);
    await sw.get("/break-glass");
    for (const personId of [world.people.restrictedChildA, world.people.otherLaChild]) {
      const response = await sw.post("/break-glass", { personId, reason });
      expect(response.statusCode).toBe(404);
    }
    const search = await sw.post("/break-glass/search", { name: "Rosa Quinlan", reason });
    expect(search.body).not.toContain(world.people.restrictedChildA);
    const count = await database.db
      .selectFrom("break_glass")
      .select(({ fn }) => fn.countAll<number>().as("n"))
      .where("user_id", "=", world.users.swB.id)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(0);
  });

  it("is not available to partners, business support, analysts or administrators", async () => {
    for (const user of [
      world.users.police,
      world.users.businessSupportA,
      world.users.analyst,
      world.users.admin,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get("/break-glass")).statusCode, user.email).toBe(404);
      expect(
        (await client.post("/break-glass", { personId: world.people.childB1, reason })).statusCode,
        user.email,
      ).toBe(404);
    }
  });

  it("lets only managers review, and never their own use", async () => {
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get("/break-glass/reviews")).statusCode).toBe(404);
  });
});
