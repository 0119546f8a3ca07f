import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, PASSWORD, type World } from "../../../test/support/world.ts";
import { hashPassword } from "../auth/passwords.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
/** A second team's manager, and a head of service who sits in no team. */
let tmB: { id: string; email: string };
let head: { id: string; email: string };

async function addManager(email: string, teamId: string | null, headOfService: boolean) {
  const user = await database.db
    .insertInto("app_user")
    .values({
      la_id: world.laId,
      organisation_id: world.orgs.la,
      email,
      display_name: email.split("@")[0] ?? email,
      role: "team_manager",
      head_of_service: headOfService,
      password_hash: await hashPassword(PASSWORD),
    })
    .returning(["id", "email"])
    .executeTakeFirstOrThrow();
  if (teamId)
    await database.db
      .insertInto("team_member")
      .values({ team_id: teamId, user_id: user.id })
      .execute();
  return user;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  tmB = await addManager("tm.b@test.example", world.teams.fsB, false);
  head = await addManager("head@test.example", null, true);
});

async function openWithEmergencyAccess(client: Client, personId: string, reason: string) {
  await client.get("/break-glass");
  expect((await client.post("/break-glass", { personId, reason })).statusCode).toBe(303);
  expect((await client.get(`/people/${personId}`)).statusCode).toBe(200);
  const grant = await database.db
    .selectFrom("break_glass")
    .select("id")
    .where("reason", "=", reason)
    .executeTakeFirstOrThrow();
  return grant.id;
}

describe("a team manager's own emergency access", () => {
  const reason = "Out of hours call from the police about Kai, his worker is away";
  let grantId: string;

  beforeAll(async () => {
    grantId = await openWithEmergencyAccess(
      await signIn(app, world.users.tmA.email),
      world.people.childB1,
      reason,
    );
  });

  it("is in the head of service's My work and review list, with what was opened", async () => {
    const client = await signIn(app, head.email);
    const myWork = await client.get("/my-work");
    expect(myWork.body).toContain("1 use of emergency access waiting for your review");
    expect((await client.get("/break-glass/reviews")).body).toContain(reason);
    const page = await client.get(`/break-glass/${grantId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(reason);
    expect(page.body).toContain("Opened with emergency access");
    expect(page.body).toContain("Viewed the record");
    expect(page.body).toContain("born 2012");
  });

  it("cannot be seen or reviewed by the manager themself, another team's manager or a social worker", async () => {
    for (const user of [world.users.tmA, tmB, world.users.swA]) {
      const client = await signIn(app, user.email);
      expect((await client.get("/break-glass/reviews")).body, user.email).not.toContain(reason);
      expect((await client.get(`/break-glass/${grantId}`)).statusCode, user.email).toBe(404);
      await client.get("/");
      const attempt = await client.post(`/break-glass/${grantId}/review`, {
        outcome: "justified",
        note: "Fine",
      });
      expect(attempt.statusCode, user.email).toBe(404);
    }
    const grant = await database.db
      .selectFrom("break_glass")
      .select(["reviewed_at", "review_outcome"])
      .where("id", "=", grantId)
      .executeTakeFirstOrThrow();
    expect(grant).toEqual({ reviewed_at: null, review_outcome: null });
  });

  it("goes to another team manager when the LA has no other head of service", async () => {
    await database.db
      .updateTable("app_user")
      .set({ head_of_service: false })
      .where("id", "=", head.id)
      .execute();
    try {
      const client = await signIn(app, tmB.email);
      expect((await client.get("/break-glass/reviews")).body).toContain(reason);
    } finally {
      await database.db
        .updateTable("app_user")
        .set({ head_of_service: true })
        .where("id", "=", head.id)
        .execute();
    }
  });

  it("is reviewed with an outcome and a note, which the page then shows", async () => {
    const client = await signIn(app, head.email);
    await client.get(`/break-glass/${grantId}`);
    const noOutcome = await client.post(`/break-glass/${grantId}/review`, { note: "Checked" });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.body).toContain("Select whether the emergency access was justified");
    expect(noOutcome.body).toContain("Checked");
    const reviewed = await client.post(`/break-glass/${grantId}/review`, {
      outcome: "referred_to_ig",
      note: "Kai's own worker was on duty; referred for advice",
    });
    expect(reviewed.statusCode).toBe(303);
    const grant = await database.db
      .selectFrom("break_glass")
      .select(["reviewed_by", "review_outcome", "review_note"])
      .where("id", "=", grantId)
      .executeTakeFirstOrThrow();
    expect(grant).toEqual({
      reviewed_by: head.id,
      review_outcome: "referred_to_ig",
      review_note: "Kai's own worker was on duty; referred for advice",
    });
    expect((await client.get("/break-glass/reviews")).body).not.toContain(reason);
    const page = await client.get(`/break-glass/${grantId}`);
    expect(page.body).toContain("Referred to information governance, by head");
  });
});

describe("the review page", () => {
  it("links the record only for a reviewer who may open it", async () => {
    const own = "Checking Kai's record for a duty call, allocated worker off sick";
    const ownGrant = await openWithEmergencyAccess(
      await signIn(app, world.users.swB.email),
      world.people.childB1,
      own,
    );
    const other = "Checking Theo's history for a police call about a sibling";
    const otherGrant = await openWithEmergencyAccess(
      await signIn(app, world.users.swA.email),
      world.people.unallocated,
      other,
    );
    const tmBPage = await (await signIn(app, tmB.email)).get(`/break-glass/${ownGrant}`);
    expect(tmBPage.body).toContain(`href="/people/${world.people.childB1}"`);
    const tmA = await signIn(app, world.users.tmA.email);
    const tmAPage = await tmA.get(`/break-glass/${otherGrant}`);
    expect(tmAPage.statusCode).toBe(200);
    expect(tmAPage.body).toContain("Theo Marsden");
    expect(tmAPage.body).not.toContain(`href="/people/${world.people.unallocated}"`);
    expect(tmAPage.body).toContain("you cannot open this record");
  });
});

describe("emergency-access searches", () => {
  const reason = "Child found at an address out of hours, checking for any history";

  it("show only a name and year of birth, and keep the reason for review", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get("/break-glass");
    const search = await sw.post("/break-glass/search", { name: "Kai Brennan", reason });
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain("Kai Brennan, born 2012");
    expect(search.body).not.toContain("2012-01-09");
    expect(search.body).not.toContain("9 January 2012");
    const kept = await database.db
      .selectFrom("break_glass_search")
      .select(["reason", "results"])
      .where("user_id", "=", world.users.swA.id)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ reason, results: 1 });
  });

  it("are listed for the holder's manager with who was listed, and reviewed with an outcome", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const list = await tm.get("/break-glass/reviews");
    expect(list.body).toContain(reason);
    expect(list.body).toContain("1 listed:</strong> Kai Brennan");
    const search = await database.db
      .selectFrom("break_glass_search")
      .select("id")
      .where("reason", "=", reason)
      .executeTakeFirstOrThrow();
    const bad = await tm.post(`/break-glass/searches/${search.id}/review`, { note: "" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(`href="#outcome-${search.id}"`);
    const done = await tm.post(`/break-glass/searches/${search.id}/review`, {
      outcome: "not_justified",
      note: "Should have called the duty team",
    });
    expect(done.statusCode).toBe(303);
    expect((await tm.get("/break-glass/reviews")).body).not.toContain(reason);
  });

  it("are not shown to another team's manager, nor reviewable by the searcher", async () => {
    const sw = await signIn(app, world.users.swB.email);
    await sw.get("/break-glass");
    const swBReason = "Duty call about a child at a party, need history";
    await sw.post("/break-glass/search", { name: "Hartley", reason: swBReason });
    const search = await database.db
      .selectFrom("break_glass_search")
      .select("id")
      .where("reason", "=", swBReason)
      .executeTakeFirstOrThrow();
    const tmA = await signIn(app, world.users.tmA.email);
    expect((await tmA.get("/break-glass/reviews")).body).not.toContain(swBReason);
    const attempt = await tmA.post(`/break-glass/searches/${search.id}/review`, {
      outcome: "justified",
    });
    expect(attempt.statusCode).toBe(404);
    expect(
      (await sw.post(`/break-glass/searches/${search.id}/review`, { outcome: "justified" }))
        .statusCode,
    ).toBe(404);
    expect((await (await signIn(app, tmB.email)).get("/break-glass/reviews")).body).toContain(
      swBReason,
    );
  });
});

describe("grants of case roles", () => {
  const newUser = (overrides: Record<string, string>) => ({
    displayName: "Sam Okafor",
    email: "sam.okafor@test.example",
    role: "social_worker",
    organisationId: world.orgs.la,
    teamId: "",
    practiceRole: "",
    jobTitle: "",
    password: "Plover-Marsh-Quartz-91-Tundra",
    ...overrides,
  });

  it("refuse an administrator's own account a case role, and save nothing", async () => {
    const admin = await signIn(app, world.users.admin.email);
    await admin.get("/admin/users/new");
    const attempts: Record<string, string>[] = [
      { email: "admin+casework@test.example" },
      { displayName: "admin", email: "another.address@test.example" },
    ];
    for (const own of attempts) {
      const attempt = await admin.post("/admin/users", newUser(own));
      expect(attempt.statusCode).toBe(400);
      expect(attempt.body).toContain("You cannot give your own account a case role");
    }
    const created = await database.db
      .selectFrom("app_user")
      .select("id")
      .where((eb) =>
        eb.or([
          eb("email", "=", "admin+casework@test.example"),
          eb("email", "=", "another.address@test.example"),
        ]),
      )
      .execute();
    expect(created).toEqual([]);
  });

  it("are listed for the head of service, and for nobody else", async () => {
    const admin = await signIn(app, world.users.admin.email);
    await admin.get("/admin/users/new");
    expect((await admin.post("/admin/users", newUser({}))).statusCode).toBe(303);
    const page = await (await signIn(app, head.email)).get("/oversight/case-roles");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Sam Okafor");
    expect(page.body).toContain("Social worker");
    for (const user of [world.users.tmA, world.users.admin, world.users.swA, world.users.analyst]) {
      const client = await signIn(app, user.email);
      expect((await client.get("/oversight/case-roles")).statusCode, user.email).toBe(404);
    }
  });
});
