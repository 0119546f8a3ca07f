import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let admin: Client;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  admin = await signIn(app, world.users.admin.email);
});

describe("user administration", () => {
  it("lists the LA's users and adds a new one who can then sign in", async () => {
    const list = await admin.get("/admin/users");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("sw.a@test.example");
    expect(list.body).not.toContain("sw@elsewhere.example");
    await admin.get("/admin/users/new");
    const created = await admin.post("/admin/users", {
      displayName: "Priya Natarajan",
      email: "Priya.N@test.example",
      role: "social_worker",
      organisationId: world.orgs.la,
      teamId: world.teams.fsA,
      jobTitle: "Social worker",
      password: "a long enough password",
    });
    expect(created.statusCode).toBe(303);
    const priya = await signIn(app, "priya.n@test.example", "a long enough password");
    expect((await priya.get(`/people/${world.people.childA1}`)).statusCode).toBe(200);
  });

  it("names each problem and adds nobody when the form is wrong", async () => {
    await admin.get("/admin/users/new");
    const response = await admin.post("/admin/users", {
      displayName: "",
      email: "sw.a@test.example",
      role: "wizard",
      organisationId: world.orgs.otherLa,
      teamId: "",
      jobTitle: "",
      password: "short",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#displayName"');
    expect(response.body).toContain('href="#role"');
    expect(response.body).toContain('href="#password"');
    const count = await database.db
      .selectFrom("app_user")
      .select(({ fn }) => fn.countAll<number>().as("n"))
      .where("display_name", "=", "")
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(0);
  });

  it("refuses common, breached-pattern and personal passwords, and adds nobody", async () => {
    const refused: Record<string, string> = {
      aaaaaaaaaaaa: "repeated characters",
      abcdefghijkl: "a sequence like abcd",
      password1234: "commonly used password",
      Liverpool2024: "commonly used password",
      qwertyuiop12: "commonly used password",
      "Trellis-spring-2026": "the name of the service",
      "Okonkwo.Adaeze.77": "name or email address",
      "adaeze.o-pass-word": "name or email address",
    };
    for (const [password, reason] of Object.entries(refused)) {
      await admin.get("/admin/users/new");
      const response = await admin.post("/admin/users", {
        displayName: "Adaeze Okonkwo",
        email: "adaeze.o@test.example",
        role: "social_worker",
        organisationId: world.orgs.la,
        teamId: "",
        jobTitle: "",
        password,
      });
      expect(response.statusCode, password).toBe(400);
      expect(response.body, password).toContain('href="#password"');
      expect(response.body, password).toContain(reason);
      expect(response.body, password).not.toContain(password);
    }
    const added = await database.db
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", "adaeze.o@test.example")
      .execute();
    expect(added).toEqual([]);
  });

  it("records a role in a multi-disciplinary team only when it fits the account role", async () => {
    await admin.get("/admin/users/new");
    const account = {
      displayName: "Sam Okafor",
      email: "sam.okafor@test.example",
      organisationId: world.orgs.la,
      teamId: world.teams.fsA,
      jobTitle: "",
      password: "a long enough password",
    };
    const mismatch = await admin.post("/admin/users", {
      ...account,
      role: "social_worker",
      practiceRole: "recovery_worker",
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('href="#practiceRole"');
    const noTeam = await admin.post("/admin/users", {
      ...account,
      teamId: "",
      role: "adult_specialist",
      practiceRole: "recovery_worker",
    });
    expect(noTeam.statusCode).toBe(400);
    expect(noTeam.body).toContain('href="#practiceRole"');
    const created = await admin.post("/admin/users", {
      ...account,
      role: "adult_specialist",
      practiceRole: "recovery_worker",
    });
    expect(created.statusCode).toBe(303);
    const member = await database.db
      .selectFrom("team_member as tm")
      .innerJoin("app_user as u", "u.id", "tm.user_id")
      .select(["tm.team_id", "tm.practice_role"])
      .where("u.email", "=", "sam.okafor@test.example")
      .execute();
    expect(member).toEqual([{ team_id: world.teams.fsA, practice_role: "recovery_worker" }]);
  });

  it("refuses an organisation from another LA", async () => {
    await admin.get("/admin/users/new");
    const response = await admin.post("/admin/users", {
      displayName: "Intruder",
      email: "intruder@test.example",
      role: "social_worker",
      organisationId: world.orgs.otherLa,
      teamId: "",
      jobTitle: "",
      password: "a long enough password",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Select an organisation");
  });

  it("deactivating a user ends their sessions", async () => {
    const swB = await signIn(app, world.users.swB.email);
    await admin.get("/admin/users");
    expect((await admin.post(`/admin/users/${world.users.swB.id}/deactivate`, {})).statusCode).toBe(
      303,
    );
    expect((await swB.get("/")).statusCode).toBe(302);
  });

  it("makes an active team manager head of service, and stops it, but nobody else", async () => {
    const tmA = await signIn(app, world.users.tmA.email);
    expect((await tmA.get("/oversight/case-roles")).statusCode).toBe(404);
    // A team manager cannot make themselves head of service.
    const own = await tmA.post(`/admin/users/${world.users.tmA.id}/head-of-service`, {
      headOfService: "yes",
    });
    expect(own.statusCode).toBe(404);
    expect((await tmA.get("/oversight/case-roles")).statusCode).toBe(404);

    await admin.get("/admin/users");
    const made = await admin.post(`/admin/users/${world.users.tmA.id}/head-of-service`, {
      headOfService: "yes",
    });
    expect(made.statusCode).toBe(303);
    expect((await admin.get("/admin/users")).body).toContain("Head of service");
    expect((await tmA.get("/oversight/case-roles")).statusCode).toBe(200);

    const refused = await admin.post(`/admin/users/${world.users.swA.id}/head-of-service`, {
      headOfService: "yes",
    });
    expect(refused.statusCode).toBe(400);
    const heads = await database.db
      .selectFrom("app_user")
      .select("id")
      .where("head_of_service", "=", true)
      .execute();
    expect(heads.map((h) => h.id)).toEqual([world.users.tmA.id]);

    await admin.post(`/admin/users/${world.users.tmA.id}/head-of-service`, { headOfService: "no" });
    expect((await tmA.get("/oversight/case-roles")).statusCode).toBe(404);
  });

  it("does not let the administrator see case records", async () => {
    expect((await admin.get(`/people/${world.people.childA1}`)).statusCode).toBe(404);
    expect((await admin.get("/people?name=Hartley")).statusCode).toBe(404);
    const home = await admin.get("/");
    expect(home.body).not.toContain("Hartley");
  });

  it("is closed to everyone but administrators", async () => {
    for (const user of [
      world.users.tmA,
      world.users.swA,
      world.users.police,
      world.users.analyst,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get("/admin/users")).statusCode, user.email).toBe(404);
      expect(
        (await client.post(`/admin/users/${world.users.swA.id}/deactivate`, {})).statusCode,
        user.email,
      ).toBe(404);
    }
    const still = await database.db
      .selectFrom("app_user")
      .select("active")
      .where("id", "=", world.users.swA.id)
      .executeTakeFirstOrThrow();
    expect(still.active).toBe(true);
  });
});
