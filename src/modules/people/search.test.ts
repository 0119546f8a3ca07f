import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor } from "../../access/actor.ts";
import { givenName, surname, type NameGroup } from "../../demo/names.ts";
import { Random } from "../../demo/random.ts";
import type { Database } from "../../platform/database.ts";
import { parseSearchText } from "./input.ts";
import { misspell } from "./misspellings.ts";
import { searchPeople } from "./queries.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let swA: Client;
let swB: Client;
let ids: Record<"holden" | "riley" | "child", string>;

async function add(
  given: string,
  family: string,
  dob: string,
  more: { nhs?: string; upn?: string; line1?: string; postcode?: string } = {},
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

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  ids = {
    holden: await add("Sarah", "Holden", "1990-06-21", { nhs: "9434765919" }),
    riley: await add("Louis", "Riley", "2011-02-03", {
      upn: "A123456789012",
      postcode: "TS2 4QR",
      line1: "14 Mill Street",
    }),
    child: await add("Poppy", "Aldridge", "2019-05-01"),
  };
  swA = await signIn(app, world.users.swA.email);
  swB = await signIn(app, world.users.swB.email);
});

const idsIn = (body: string): string[] =>
  [...body.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? "");
const search = (client: Client, q: string) => client.get(`/people?name=${encodeURIComponent(q)}`);

describe("search that finds", () => {
  it("finds a name with two typing errors or one that sounds the same", async () => {
    for (const [typed, id] of [
      ["Sara Holdin", ids.holden],
      ["Sarha Holdne", ids.holden],
      ["Lewis Reilly", ids.riley],
      ["Louis Riely", ids.riley],
    ] as const) {
      expect(idsIn((await search(swA, typed)).body)[0], typed).toBe(id);
    }
  });

  it("finds by NHS number with or without spaces, by UPN, postcode and address", async () => {
    for (const typed of ["9434765919", "943 476 5919"]) {
      expect(idsIn((await search(swA, typed)).body), typed).toEqual([ids.holden]);
    }
    expect(idsIn((await search(swA, "a123456789012")).body)).toEqual([ids.riley]);
    expect(idsIn((await search(swA, "ts24qr")).body)).toEqual([ids.riley]);
    expect(idsIn((await search(swA, "TS2 4QR")).body)).toEqual([ids.riley]);
    expect(idsIn((await search(swA, "14 Mill St")).body)).toEqual([ids.riley]);
  });

  it("shows age, child or adult, and who the person is allocated to", async () => {
    const page = await search(swA, "Poppy Aldridge");
    expect(page.body).toMatch(/<td class="govuk-table__cell">\d+ \(child\)<\/td>/);
    expect(page.body).toContain("sw.a, Family Safeguarding A");
    const adult = await search(swA, "Sarah Holden");
    expect(adult.body).toMatch(/<td class="govuk-table__cell">\d+ \(adult\)<\/td>/);
  });

  it("never finds a record the user may not see, by any term", async () => {
    for (const typed of ["Sara Holdin", "943 476 5919", "A123456789012", "TS2 4QR", "14 Mill St"]) {
      const page = await search(swB, typed);
      expect(page.statusCode).toBe(200);
      expect(idsIn(page.body), typed).toEqual([]);
      expect(page.body).not.toContain("Holden");
      expect(page.body).not.toContain("Riley");
    }
  });

  it("never searches a confidential address", async () => {
    // Amelia Hartley lives at 1 Refuge Row, TS1 1AA, a confidential address.
    expect(idsIn((await search(swA, "TS1 1AA")).body)).toEqual([]);
    expect(idsIn((await search(swA, "1 Refuge Row")).body)).toEqual([]);
  });

  it("names what kind of term was searched in the audit, never the term", async () => {
    await search(swA, "943 476 5919");
    const audit = await latestAudit(database);
    expect(audit.person_ids).toEqual([ids.holden]);
    expect(audit.summary).toMatchObject({ results: 1, by: "nhs_number" });
    expect(JSON.stringify(audit.summary)).not.toContain("943");
  });

  it("explains a number that is not an NHS number", async () => {
    const page = await search(swA, "12345");
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain("An NHS number has 10 digits");
  });
});

describe("parseSearchText", () => {
  it("tells names, identifiers, postcodes and addresses apart", () => {
    expect(parseSearchText("Sara Holdin")).toEqual({ kind: "name", name: "Sara Holdin" });
    expect(parseSearchText(" 943 476  5919 ")).toEqual({
      kind: "nhs_number",
      nhsNumber: "9434765919",
    });
    expect(parseSearchText("a123456789012")).toEqual({ kind: "upn", upn: "A123456789012" });
    expect(parseSearchText("nm1 2ab")).toEqual({ kind: "postcode", postcode: "nm1 2ab" });
    expect(parseSearchText("12 Mill Street")).toEqual({
      kind: "address",
      address: "12 Mill Street",
    });
    expect(parseSearchText("")).toBeUndefined();
  });
});

describe("recall on misspelt names", () => {
  it("finds at least 95% of 300 generated misspellings in the first 5 results", async () => {
    const rng = new Random(7, "search-recall");
    const groups: NameGroup[] = ["british", "irish", "eastern_european", "south_asian", "black"];
    const people: { given: string; family: string }[] = [];
    const rows = [];
    for (let i = 0; i < 300; i++) {
      const group = rng.pick(groups);
      const sex = rng.pick(["1", "2"]);
      const person = { given: givenName(rng, group, sex), family: surname(rng, group) };
      people.push(person);
      rows.push({
        la_id: world.laId,
        given_name: person.given,
        family_name: person.family,
        date_of_birth: `20${String(rng.int(10, 24))}-0${String(rng.int(1, 9))}-1${String(rng.int(0, 9))}`,
      });
    }
    const inserted = await database.db.insertInto("person").values(rows).returning("id").execute();
    await database.db
      .insertInto("allocation")
      .values(
        inserted.map((r) => ({
          la_id: world.laId,
          person_id: r.id,
          worker_id: world.users.swA.id,
          team_id: world.teams.fsA,
          start_date: "2025-01-06",
        })),
      )
      .execute();
    const actor = await loadActor(database.db, world.users.swA.id);
    const manager = await loadActor(database.db, world.users.tmA.id);
    if (!actor || !manager) throw new Error("no actor");
    const now = new Date("2026-03-02T10:00:00Z");
    // Both ways search runs: over the people one may see (checked row by row), and across
    // the LA (the indexed blocks an emergency-access search draws from).
    let found = 0;
    let foundLaWide = 0;
    const missed: string[] = [];
    const inFirstFive = (
      hits: { given_name: string; family_name: string }[],
      person: { given: string; family: string },
    ) =>
      // Found if a person of that name is in the first 5 (several may share the name).
      hits
        .slice(0, 5)
        .some((h) => h.given_name === person.given && h.family_name === person.family);
    for (const person of people) {
      const typed = misspell(rng, person.given, person.family);
      const search = { name: `${typed.givenName} ${typed.familyName}`, dateOfBirth: null };
      if (inFirstFive(await searchPeople(database.db, actor, search, now), person)) found += 1;
      else missed.push(`${search.name} (${typed.how})`);
      if (inFirstFive(await searchPeople(database.db, manager, search, now, "break_glass"), person))
        foundLaWide += 1;
      else missed.push(`LA-wide: ${search.name} for ${person.given} ${person.family}`);
    }
    expect(foundLaWide / people.length, `missed: ${missed.join("; ")}`).toBeGreaterThanOrEqual(
      0.95,
    );
    const recall = found / people.length;
    expect(recall, `missed: ${missed.join("; ")}`).toBeGreaterThanOrEqual(0.95);
  });
});
