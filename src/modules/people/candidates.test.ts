import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor, type Actor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { findPersonCandidates, type PersonCandidate } from "./candidates.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let swA: Actor;
const NOW = new Date("2026-03-02T10:00:00Z");

/** People only for these tests, allocated to swA's team so swA may see them. */
async function person(
  given: string,
  family: string,
  dob: string | null,
  more: { nhs?: string; upn?: string; line1?: string; postcode?: string; team?: boolean } = {},
): Promise<string> {
  const row = await database.db
    .insertInto("person")
    .values({
      la_id: world.laId,
      given_name: given,
      family_name: family,
      date_of_birth: dob,
      nhs_number: more.nhs ?? null,
      upn: more.upn ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (more.team !== false) {
    await database.db
      .insertInto("allocation")
      .values({
        la_id: world.laId,
        person_id: row.id,
        worker_id: world.users.swA.id,
        team_id: world.teams.fsA,
        start_date: "2025-01-06",
      })
      .execute();
  }
  if (more.postcode) {
    const address = await database.db
      .insertInto("address")
      .values({
        la_id: world.laId,
        line1: more.line1 ?? "1 High Street",
        town: "Testtown",
        postcode: more.postcode,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("person_address")
      .values({
        person_id: row.id,
        address_id: address.id,
        la_id: world.laId,
        start_date: "2020-01-01",
      })
      .execute();
  }
  return row.id;
}

let ids: Record<"holden" | "riley" | "okafor" | "hidden", string>;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const actor = await loadActor(database.db, world.users.swA.id);
  if (!actor) throw new Error("no actor");
  swA = actor;
  ids = {
    holden: await person("Sarah", "Holden", "2014-06-21", { nhs: "9434765919" }),
    riley: await person("Louis", "Riley", "2011-02-03", { upn: "A123456789012" }),
    okafor: await person("Chidi", "Okafor", "2016-04-09", {
      postcode: "TS2 4QR",
      line1: "14 Mill Street",
    }),
    // Another team's child: swA may not see them.
    hidden: await person("Kerys", "Pendleton", "2013-10-05", { team: false }),
  };
});

const find = (details: Parameters<typeof findPersonCandidates>[2]) =>
  findPersonCandidates(database.db, swA, details, NOW);
const first = (found: PersonCandidate[]) => found[0];

describe("findPersonCandidates", () => {
  it("matches the NHS number exactly, whatever the name", async () => {
    const found = await find({ givenName: "Someone", familyName: "Else", nhsNumber: "9434765919" });
    expect(first(found)).toMatchObject({ id: ids.holden, score: 100, visible: true });
    expect(first(found)?.reasons).toContain("nhs_number");
  });

  it("matches the UPN exactly", async () => {
    const found = await find({ givenName: "Nobody", familyName: "Atall", upn: "a123456789012" });
    expect(first(found)).toMatchObject({ id: ids.riley, score: 95 });
    expect(first(found)?.reasons).toEqual(["upn"]);
  });

  it("matches a misspelt name with the date of birth", async () => {
    const found = await find({
      givenName: "Sarha",
      familyName: "Holdne",
      dateOfBirth: "2014-06-21",
    });
    expect(first(found)?.id).toBe(ids.holden);
    expect(first(found)?.reasons).toEqual(["similar_name", "date_of_birth"]);
  });

  it("matches names that sound the same: Lewis Reilly is Louis Riley", async () => {
    const found = await find({ givenName: "Lewis", familyName: "Reilly", dateOfBirth: null });
    expect(first(found)?.id).toBe(ids.riley);
    const sara = await find({ givenName: "Sara", familyName: "Holdin", dateOfBirth: null });
    expect(first(sara)?.id).toBe(ids.holden);
  });

  it("matches a date of birth with the day and month swapped", async () => {
    const found = await find({
      givenName: "Chidi",
      familyName: "Okafor",
      dateOfBirth: "2016-09-04",
    });
    expect(first(found)?.id).toBe(ids.okafor);
    expect(first(found)?.reasons).not.toContain("date_of_birth");
  });

  it("matches by postcode (any spacing) and by the first line of the address", async () => {
    const byPostcode = await find({ givenName: "Chidi", familyName: "Okafor", postcode: "ts24qr" });
    expect(first(byPostcode)?.reasons).toEqual(["name", "postcode"]);
    const byLine = await find({
      givenName: "Chidy",
      familyName: "Okafor",
      addressLine1: "14 Mill St",
    });
    expect(first(byLine)?.id).toBe(ids.okafor);
    expect(first(byLine)?.reasons).toContain("address");
  });

  it("does not offer a namesake with another date of birth, nor another LA's person", async () => {
    const found = await find({
      givenName: "Sarah",
      familyName: "Holden",
      dateOfBirth: "1990-01-01",
    });
    expect(found).toEqual([]);
    // Ava Hartley, 27 March 2015, lives in the other LA.
    const other = await find({
      givenName: "Ava",
      familyName: "Hartley",
      dateOfBirth: "2015-03-27",
    });
    expect(other.map((c) => c.id)).not.toContain(world.people.otherLaChild);
  });

  it("gives nothing of a record the actor may not see but that it exists", async () => {
    const found = await find({
      givenName: "Kerys",
      familyName: "Pendleton",
      dateOfBirth: "2013-10-05",
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toEqual({
      visible: false,
      id: ids.hidden,
      score: expect.any(Number) as unknown,
      reasons: ["name", "date_of_birth"],
    });
  });
});

describe("adding a person looks for them first", () => {
  let sw: Client;
  const form = (given: string, family: string, dob: [string, string, string]) => ({
    givenName: given,
    familyName: family,
    otherNames: "",
    "dateOfBirth-day": dob[0],
    "dateOfBirth-month": dob[1],
    "dateOfBirth-year": dob[2],
    sex: "",
    ethnicity: "",
    nhsNumber: "",
    upn: "",
    nhsNumberException: "unknown_delay",
    nhsNumberExceptionNote: "Not known yet",
  });
  const personCount = async () =>
    (
      await database.db
        .selectFrom("person")
        .select(({ fn }) => fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    sw = await signIn(app, world.users.swA.email);
    await sw.get("/people/new");
  });

  it("shows a record the user may see, to use instead, and creates nothing", async () => {
    const before = await personCount();
    const page = await sw.post("/people/check", form("Sara", "Holdin", ["21", "6", "2014"]));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Is it one of these people?");
    expect(page.body).toContain("Sarah Holden");
    expect(page.body).toContain(`href="/people/${ids.holden}"`);
    expect(page.body).toContain("Use this record");
    expect(page.body).toContain("None of these, add a new record");
    expect(page.body).toContain('data-prevent-double-click="true"');
    expect(await personCount()).toBe(before);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "person.candidates", outcome: "allowed" });
    expect(audit.person_ids).toEqual([ids.holden]);
    expect(JSON.stringify(audit.summary)).not.toContain("Holdin");
  });

  it("tells a user who cannot see the match only that one exists, and flags it on creation", async () => {
    const details = form("Keris", "Pendelton", ["5", "10", "2013"]);
    const page = await sw.post("/people/check", details);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("There may already be a record of this person that you cannot see");
    for (const secret of ["Kerys", "Pendleton", ids.hidden, "2013-10-05"]) {
      expect(page.body).not.toContain(secret);
    }
    expect(page.body).not.toContain('data-testid="candidates"');
    const audit = await latestAudit(database);
    expect(audit.person_ids).toEqual([]);
    expect(audit.summary).toMatchObject({ candidates: 0, unseenMatches: [ids.hidden] });

    const created = await sw.post("/people", details);
    expect(created.statusCode).toBe(303);
    const newId = String(created.headers.location).split("/").pop() ?? "";
    const flags = await database.db
      .selectFrom("possible_duplicate")
      .selectAll()
      .where("person_id", "=", newId)
      .execute();
    expect(flags).toMatchObject([
      { candidate_id: ids.hidden, flagged_by: world.users.swA.id, resolved_at: null },
    ]);
    expect((await latestAudit(database)).summary).toMatchObject({ possibleDuplicatesFlagged: 1 });
  });

  it("says when nothing matches, and the details then save", async () => {
    const details = form("Zephyrine", "Quorndonwick", ["1", "2", "2020"]);
    const page = await sw.post("/people/check", details);
    expect(page.body).toContain("No record on Trellis matches these details.");
    expect(page.body).toContain("Add the person");
    expect(page.body).toContain('name="familyName" value="Quorndonwick"');
    // "Add the person" sends what the page carries, which must be every field of the form.
    const carried: Record<string, string> = {};
    for (const [, name = "", value = ""] of page.body.matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
    )) {
      if (name !== "_csrf" && name !== "change") carried[name] = value;
    }
    expect(carried).toEqual(details);
    const created = await sw.post("/people", carried);
    expect(created.statusCode).toBe(303);
  });

  it("shows the form again with every error and keeps what was typed", async () => {
    const before = await personCount();
    const page = await sw.post("/people/check", {
      ...form("", "Quorndonwick", ["31", "2", "2020"]),
      nhsNumber: "123",
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain("govuk-error-summary");
    expect(page.body).toContain("Enter the person&#39;s first name");
    expect(page.body).toContain('value="Quorndonwick"');
    expect(await personCount()).toBe(before);
  });

  it("takes the user back to the form to change the details", async () => {
    const page = await sw.post("/people/check", {
      ...form("Zephyrine", "Quorndonwick", ["1", "2", "2020"]),
      change: "yes",
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/people/check"');
    expect(page.body).toContain('value="Zephyrine"');
  });

  it("is not open to those who may not add people", async () => {
    const police = await signIn(app, world.users.police.email);
    await police.get("/");
    const refused = await police.post("/people/check", form("Sara", "Holdin", ["21", "6", "2014"]));
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain("Holden");
  });
});

describe("the front door checks possible duplicates", () => {
  let frontDoor: Client;
  let flagId: string;

  beforeAll(async () => {
    const team = await database.db
      .insertInto("team")
      .values({
        la_id: world.laId,
        organisation_id: world.orgs.la,
        name: "MASH",
        kind: "front_door",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const tm = await database.db
      .selectFrom("app_user")
      .select("password_hash")
      .where("id", "=", world.users.tmA.id)
      .executeTakeFirstOrThrow();
    const manager = await database.db
      .insertInto("app_user")
      .values({
        la_id: world.laId,
        organisation_id: world.orgs.la,
        email: "tm.mash@test.example",
        display_name: "tm.mash",
        role: "team_manager",
        password_hash: tm.password_hash,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("team_member")
      .values({ team_id: team.id, user_id: manager.id })
      .execute();
    frontDoor = await signIn(app, "tm.mash@test.example");
    const flag = await database.db
      .selectFrom("possible_duplicate")
      .select("id")
      .where("candidate_id", "=", ids.hidden)
      .executeTakeFirstOrThrow();
    flagId = flag.id;
  });

  it("lists each flag with both names and what matched, for the front door only", async () => {
    const page = await frontDoor.get("/front-door/possible-duplicates");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Keris Pendelton");
    expect(page.body).toContain("Kerys Pendleton");
    expect(page.body).toContain("Same date of birth");
    const audit = await latestAudit(database);
    expect(audit.action).toBe("possible_duplicate.list");
    expect(audit.person_ids).toContain(ids.hidden);
    expect((await frontDoor.get("/front-door")).body).toContain("/front-door/possible-duplicates");
    // A manager of another team, and a social worker, are not the front door.
    const tmA = await signIn(app, world.users.tmA.email);
    const refused = await tmA.get("/front-door/possible-duplicates");
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain("Pendleton");
    expect((await tmA.get("/front-door")).body).not.toContain("/front-door/possible-duplicates");
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get("/front-door/possible-duplicates")).statusCode).toBe(404);
  });

  it("records the check once; a missing answer is asked for again and saves nothing", async () => {
    const missing = await frontDoor.post(`/front-door/possible-duplicates/${flagId}`, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain("Select whether they are the same person");
    const done = await frontDoor.post(`/front-door/possible-duplicates/${flagId}`, {
      outcome: "different_people",
    });
    expect(done.statusCode).toBe(303);
    const again = await frontDoor.post(`/front-door/possible-duplicates/${flagId}`, {
      outcome: "same_person",
    });
    expect(again.statusCode).toBe(303);
    const row = await database.db
      .selectFrom("possible_duplicate")
      .selectAll()
      .where("id", "=", flagId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      resolution: "different_people",
      resolved_at: expect.any(Date) as unknown,
    });
    expect((await frontDoor.get("/front-door/possible-duplicates")).body).toContain(
      "no possible duplicates",
    );
  });
});
