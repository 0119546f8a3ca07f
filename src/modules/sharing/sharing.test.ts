import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
});

const share = {
  lawfulBasis: "ca1989_s17",
  purpose: "Health visitor support for the family",
  expiresOn: "",
};

describe("sharing a record with a partner agency", () => {
  it("lets the allocated social worker share, after which that agency (and only it) sees the record", async () => {
    const health = await signIn(app, world.users.health.email);
    expect((await health.get(`/people/${world.people.childA2}`)).statusCode).toBe(404);

    const sw = await signIn(app, world.users.swA.email);
    const form = await sw.get(`/people/${world.people.childA2}/share`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Testshire NHS Trust");
    expect(form.body).not.toContain("Testshire Children&#39;s Services</option>");
    const done = await sw.post(`/people/${world.people.childA2}/shares`, {
      ...share,
      organisationId: world.orgs.health,
    });
    expect(done.statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "record.share",
      outcome: "allowed",
      person_ids: [world.people.childA2],
      summary: {
        organisation: world.orgs.health,
        lawfulBasis: "ca1989_s17",
        includesHealth: false,
      },
    });

    expect((await health.get(`/people/${world.people.childA2}`)).statusCode).toBe(200);
    const police = await signIn(app, world.users.police.email);
    expect((await police.get(`/people/${world.people.childA2}`)).statusCode).toBe(404);
    // The family is not shared with it.
    expect((await health.get(`/people/${world.people.motherA}`)).statusCode).toBe(404);

    const record = await sw.get(`/people/${world.people.childA2}`);
    expect(record.body).toContain("Record shared with Testshire NHS Trust");
  });

  it("shares health information only when the box is ticked, and says so on the record", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.motherA}/share`);
    const done = await sw.post(`/people/${world.people.motherA}/shares`, {
      ...share,
      organisationId: world.orgs.health,
      includesHealth: "yes",
    });
    expect(done.statusCode).toBe(303);
    const row = await database.db
      .selectFrom("record_share")
      .select("includes_health")
      .where("person_id", "=", world.people.motherA)
      .where("organisation_id", "=", world.orgs.health)
      .executeTakeFirstOrThrow();
    expect(row.includes_health).toBe(true);
    const record = await sw.get(`/people/${world.people.motherA}`);
    expect(record.body).toContain("Includes mental health and substance misuse information.");
    const plain = await database.db
      .selectFrom("record_share")
      .select("includes_health")
      .where("person_id", "=", world.people.childA1)
      .executeTakeFirstOrThrow();
    expect(plain.includes_health).toBe(false);
  });

  it("names each problem and shares nothing when the form is wrong", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.motherA}/share`);
    const response = await sw.post(`/people/${world.people.motherA}/shares`, {
      organisationId: world.orgs.otherLa,
      lawfulBasis: "because",
      purpose: "x",
      expiresOn: "2020-01-01",
    });
    expect(response.statusCode).toBe(400);
    for (const field of ["organisationId", "lawfulBasis", "purpose", "expiresOn"]) {
      expect(response.body).toContain(`href="#${field}"`);
    }
    const shares = await database.db
      .selectFrom("record_share")
      .select("organisation_id")
      .where("person_id", "=", world.people.motherA)
      .execute();
    // Only the health share made by the test before this one.
    expect(shares).toEqual([{ organisation_id: world.orgs.health }]);
  });

  it("refuses a second live share with the same agency", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA1}/share`);
    const response = await sw.post(`/people/${world.people.childA1}/shares`, {
      ...share,
      organisationId: world.orgs.police,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("already shared with Testshire Police");
  });

  it("stops the agency seeing the record once sharing ends", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const row = await database.db
      .selectFrom("record_share")
      .select("id")
      .where("person_id", "=", world.people.childA1)
      .where("organisation_id", "=", world.orgs.police)
      .executeTakeFirstOrThrow();
    await sw.get(`/people/${world.people.childA1}`);
    const revoked = await sw.post(`/people/${world.people.childA1}/shares/${row.id}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    const police = await signIn(app, world.users.police.email);
    expect((await police.get(`/people/${world.people.childA1}`)).statusCode).toBe(404);
    expect(await latestAudit(database)).toMatchObject({ action: "person.view", outcome: "denied" });
  });

  it("is not open to partners, adult specialists, business support, analysts or administrators", async () => {
    for (const user of [
      world.users.health,
      world.users.adultSpecialistA,
      world.users.businessSupportA,
      world.users.analyst,
      world.users.admin,
    ]) {
      const client = await signIn(app, user.email);
      await client.get("/");
      expect(
        (await client.get(`/people/${world.people.childA2}/share`)).statusCode,
        user.email,
      ).toBe(404);
      const attempt = await client.post(`/people/${world.people.childA2}/shares`, {
        ...share,
        organisationId: world.orgs.school,
      });
      expect(attempt.statusCode, user.email).toBe(404);
    }
    const toSchool = await database.db
      .selectFrom("record_share")
      .select("id")
      .where("organisation_id", "=", world.orgs.school)
      .execute();
    expect(toSchool).toEqual([]);
  });

  it("is not open for a record the social worker cannot see", async () => {
    const swB = await signIn(app, world.users.swB.email);
    await swB.get("/");
    expect((await swB.get(`/people/${world.people.childA2}/share`)).statusCode).toBe(404);
    const attempt = await swB.post(`/people/${world.people.childA2}/shares`, {
      ...share,
      organisationId: world.orgs.school,
    });
    expect(attempt.statusCode).toBe(404);
    expect(await latestAudit(database)).toMatchObject({
      action: "record.share",
      outcome: "denied",
      person_ids: [world.people.childA2],
    });
  });
});
