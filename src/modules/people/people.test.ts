import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import type { FastifyInstance } from "fastify";

let database: Database;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
});

async function lastAudit() {
  return database.db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("seq", "desc")
    .executeTakeFirstOrThrow();
}

describe("a child's record", () => {
  let sw: Client;
  beforeAll(async () => {
    sw = await signIn(app, world.users.swA.email);
  });

  it("shows the allocated social worker the summary, family, workers and chronology", async () => {
    const page = await sw.get(`/people/${world.people.childA1}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Amelia Hartley");
    expect(page.body).toContain("27 March 2015");
    expect(page.body).toContain("Joanne Hartley");
    expect(page.body).toContain("Parent");
    expect(page.body).toContain("Sibling");
    expect(page.body).toContain("sw.a");
    expect(page.body).toContain("Referral from school about bruising");
    expect(page.body).toContain("1 Refuge Row");
    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: "person.view",
      outcome: "allowed",
      actor_user_id: world.users.swA.id,
    });
    expect(audit.person_ids).toEqual([world.people.childA1]);
  });

  it("answers 404 for another team's child and records the refused attempt", async () => {
    const page = await sw.get(`/people/${world.people.childB1}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain("Brennan");
    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: "person.view",
      outcome: "denied",
      actor_user_id: world.users.swA.id,
    });
    expect(audit.person_ids).toEqual([world.people.childB1]);
  });
});
