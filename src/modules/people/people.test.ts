import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
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

const lastAudit = () => latestAudit(database);

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

describe("person search", () => {
  let sw: Client;
  beforeAll(async () => {
    sw = await signIn(app, world.users.swA.email);
  });

  const idsIn = (body: string): string[] =>
    [...body.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? "");

  it("tolerates misspelling", async () => {
    for (const name of ["Amelia Hartly", "amelia hartley", "Hartlee", "Amelai Hartley"]) {
      const page = await sw.get(`/people?name=${encodeURIComponent(name)}`);
      expect(idsIn(page.body), name).toContain(world.people.childA1);
    }
  });

  it("finds by date of birth alone, and by name and date of birth together", async () => {
    const byDob = await sw.get("/people?dob-day=27&dob-month=3&dob-year=2015");
    expect(idsIn(byDob.body)).toEqual([world.people.childA1]);
    const both = await sw.get("/people?name=Hartley&dob-day=2&dob-month=11&dob-year=2018");
    expect(idsIn(both.body)).toEqual([world.people.childA2]);
  });

  it("explains a date that is not real", async () => {
    const page = await sw.get("/people?dob-day=31&dob-month=2&dob-year=2015");
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain("Date of birth must be a real date");
  });

  it("audits who appeared in the results, never the search words", async () => {
    await sw.get("/people?name=Hartley");
    const audit = await lastAudit();
    expect(audit.action).toBe("person.search");
    expect(audit.person_ids.sort()).toEqual(
      [world.people.childA1, world.people.childA2, world.people.motherA].sort(),
    );
    expect(JSON.stringify(audit.summary)).not.toContain("Hartley");
  });
});

describe("adding a person", () => {
  let sw: Client;
  beforeAll(async () => {
    sw = await signIn(app, world.users.swA.email);
    await sw.get("/people/new");
  });

  const valid = {
    givenName: "Mia",
    familyName: "Okonkwo",
    otherNames: "",
    "dateOfBirth-day": "4",
    "dateOfBirth-month": "9",
    "dateOfBirth-year": "2019",
    sex: "2",
    ethnicity: "BAFR",
    nhsNumber: "943 476 5919",
    upn: "",
  };

  it("saves a valid person, allocates them to the recorder's team and opens their record", async () => {
    const response = await sw.post("/people", valid);
    expect(response.statusCode).toBe(303);
    const id = String(response.headers.location).split("/").pop() ?? "";
    const page = await sw.get(`/people/${id}`);
    expect(page.body).toContain("Mia Okonkwo");
    expect(page.body).toContain("943 476 5919");
    expect(page.body).toContain("African");
    const swB = await signIn(app, world.users.swB.email);
    expect((await swB.get(`/people/${id}`)).statusCode).toBe(404);
  });

  it("names every wrong field in the error summary and saves nothing", async () => {
    const countBefore = await database.db
      .selectFrom("person")
      .select(({ fn }) => fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const response = await sw.post("/people", {
      ...valid,
      givenName: "",
      "dateOfBirth-year": "2099",
      nhsNumber: "943 476 5918",
      upn: "A12345678901X",
      ethnicity: "NOPE",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("There is a problem");
    expect(response.body).toContain('href="#givenName"');
    expect(response.body).toContain("Enter the person&#39;s first name");
    expect(response.body).toContain("Date of birth must be today or in the past");
    expect(response.body).toContain('href="#nhsNumber"');
    expect(response.body).toContain('href="#upn"');
    expect(response.body).toContain("Select the person&#39;s ethnicity from the list");
    // What was typed comes back, so nothing needs retyping.
    expect(response.body).toContain('value="Okonkwo"');
    const countAfter = await database.db
      .selectFrom("person")
      .select(({ fn }) => fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(countAfter.n).toBe(countBefore.n);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "person.create", outcome: "failed" });
  });

  it("is not open to a partner agency", async () => {
    const police = await signIn(app, world.users.police.email);
    expect((await police.get("/people/new")).statusCode).toBe(404);
    expect((await police.post("/people", valid)).statusCode).toBe(404);
  });
});

describe("changing a person's details", () => {
  it("refuses a stale edit, keeping the first save", async () => {
    const first = await signIn(app, world.users.swA.email);
    const second = await signIn(app, world.users.tmA.email);
    const url = `/people/${world.people.childA2}`;
    await first.get(`${url}/edit`);
    const firstToken = first.csrf;
    await second.get(`${url}/edit`);
    const form = {
      givenName: "Oliver",
      familyName: "Hartley",
      otherNames: "",
      "dateOfBirth-day": "2",
      "dateOfBirth-month": "11",
      "dateOfBirth-year": "2018",
      sex: "1",
      ethnicity: "WBRI",
      nhsNumber: "",
      nhsNumberException: "unknown_delay",
      nhsNumberExceptionNote: "Not known yet; the GP surgery is closed until Monday",
      upn: "",
      version: "1",
    };
    const saved = await second.post(url, { ...form, otherNames: "Ollie" });
    expect(saved.statusCode).toBe(303);
    const stale = await first.post(url, { ...form, otherNames: "Olly" }, { csrf: firstToken });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone else changed this person");
    const row = await database.db
      .selectFrom("person")
      .select(["other_names", "version"])
      .where("id", "=", world.people.childA2)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ other_names: "Ollie", version: 2 });
  });

  it("answers 404 to someone who cannot see the person, and changes nothing", async () => {
    const swB = await signIn(app, world.users.swB.email);
    await swB.get("/");
    const response = await swB.post(`/people/${world.people.childA1}`, {
      givenName: "Changed",
      familyName: "Name",
      version: "1",
    });
    expect(response.statusCode).toBe(404);
    const row = await database.db
      .selectFrom("person")
      .select("given_name")
      .where("id", "=", world.people.childA1)
      .executeTakeFirstOrThrow();
    expect(row.given_name).toBe("Amelia");
    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: "person.update",
      outcome: "denied",
      person_ids: [world.people.childA1],
    });
  });
});

describe("unknown and foreign record ids", () => {
  it("answers 404 with an audit row for an id that does not exist, a malformed id, and another LA's child", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const id of [unknown, "not-an-id", world.people.otherLaChild]) {
      const response = await sw.get(`/people/${id}`);
      expect(response.statusCode, id).toBe(404);
      const audit = await lastAudit();
      expect(audit.outcome).toBe("denied");
      expect(audit.actor_user_id).toBe(world.users.swA.id);
    }
  });
});
