import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.ts";
import { buildFamilyWorld, type FamilyWorld } from "../src/modules/family/test-support.ts";
import { loadConfig } from "../src/platform/config.ts";
import type { Database } from "../src/platform/database.ts";
import { addRoute } from "../src/platform/routes.ts";
import { freshDatabase, latestAudit } from "./support/database.ts";
import { dateFields } from "./support/forms.ts";
import { Client, freshSubmission, signIn, testApp, TestClock } from "./support/http.ts";

/**
 * Malformed input found by probing the service (issue 10, item 8): each gave a 500 before the
 * route kernel and forms refused it. Each must now get a clear 4xx and save nothing.
 */

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let sw: Client;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  sw = await signIn(app, world.users.swA.email);
});

const NUL = "before\u0000after";

async function count(table: "case_note" | "contact" | "visit" | "person" | "safety_plan") {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

describe("a NUL byte in a text field", () => {
  const child = () => world.people.childA1;
  const cases: [
    string,
    () => string,
    () => Record<string, string>,
    Parameters<typeof count>[0],
    string,
  ][] = [
    [
      "a case note",
      () => `/people/${child()}/notes`,
      () => ({ ...dateFields("occurredOn", "2026-02-25"), note: NUL }),
      "case_note",
      'value="25"',
    ],
    [
      "a contact",
      () => `/people/${child()}/contacts`,
      () => ({
        ...dateFields("receivedOn", "2026-03-01"),
        source: "2A",
        referrer: NUL,
        reasons: "School reports bruising",
      }),
      "contact",
      "School reports bruising",
    ],
    [
      "a visit",
      () => `/people/${child()}/visits`,
      () => ({
        ...dateFields("visitedOn", "2026-02-27"),
        seen: "yes",
        seenAlone: "yes",
        childViews: NUL,
        note: "Bedroom tidy",
      }),
      "visit",
      "Bedroom tidy",
    ],
    [
      "a new person",
      () => "/people",
      () => ({ givenName: NUL, familyName: "Okonkwo", otherNames: "", sex: "2" }),
      "person",
      'value="Okonkwo"',
    ],
    [
      "a safety plan",
      () => `/people/${child()}/safety-plan`,
      () => ({
        basedOn: "0",
        inTheirWords: NUL,
        trustedAdults: "Nan",
        safePlaces: "The library",
        whatToDoIf: "Call Nan",
        agreed: "yes",
        ...dateFields("agreedOn", "2026-02-27"),
        ...dateFields("reviewOn", "2026-04-27"),
      }),
      "safety_plan",
      "The library",
    ],
  ];

  it.each(cases)(
    "in %s is refused with the field named, the answers kept and nothing saved",
    async (_, url, form, table, kept) => {
      const before = await count(table);
      const response = await sw.post(url(), form());
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain("contains a character that cannot be saved");
      expect(response.body).toContain(kept);
      expect(await count(table)).toBe(before);
      expect(await latestAudit(database)).toMatchObject({ outcome: "failed" });
    },
  );

  it("in a Workbook section is refused and the section is not written", async () => {
    const url = `/families/${world.families.hartley}/workbook/sections/${world.people.childA1}/child`;
    const response = await sw.post(url, { version: "new", body: NUL });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    const rows = await database.db
      .selectFrom("workbook_section")
      .select("id")
      .where("person_id", "=", world.people.childA1)
      .execute();
    expect(rows).toEqual([]);
  });

  it("in a search is refused with a clear message, and the refusal is audited", async () => {
    const response = await sw.get(`/people?name=${encodeURIComponent(NUL)}`);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("contains a character that cannot be saved");
    expect(await latestAudit(database)).toMatchObject({
      action: "person.search",
      outcome: "failed",
    });
  });
});

describe("a query string with a name given twice", () => {
  it("searches by the first value rather than failing", async () => {
    const response = await sw.get("/people?name=Hartley&name=b");
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('value="Hartley"');
  });
});

describe("a version outside PostgreSQL's integer range", () => {
  it.each(["99999999999", "2147483647"])(
    "(%s) on a person's edit is refused, and the person is unchanged",
    async (version) => {
      const before = await database.db
        .selectFrom("person")
        .select(["version", "given_name"])
        .where("id", "=", world.people.childA1)
        .executeTakeFirstOrThrow();
      await sw.get(`/people/${world.people.childA1}/edit`);
      const response = await sw.post(`/people/${world.people.childA1}`, {
        version,
        givenName: "Changed",
        familyName: "Hartley",
        otherNames: "",
      });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      const after = await database.db
        .selectFrom("person")
        .select(["version", "given_name"])
        .where("id", "=", world.people.childA1)
        .executeTakeFirstOrThrow();
      expect(after).toEqual(before);
    },
  );
});

describe("year 0000", () => {
  it("is not a date of birth to search by", async () => {
    const response = await sw.get("/people?dob-day=1&dob-month=1&dob-year=0000");
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Date of birth must be a real date");
  });

  it("is not a month of hotspots", async () => {
    const response = await sw.get("/hotspots?to=0000-01");
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("The last month must be a month like 2025-04");
  });

  it("is not a case note's date, and no note is saved", async () => {
    const before = await count("case_note");
    const response = await sw.post(`/people/${world.people.childA1}/notes`, {
      ...dateFields("occurredOn", "0000-02-25"),
      note: "A note",
    });
    expect(response.statusCode).toBe(400);
    expect(await count("case_note")).toBe(before);
  });
});

describe("a form posted as JSON with the wrong types", () => {
  it("refuses a contact whose children is a number, saving nothing and auditing it as failed", async () => {
    const before = await count("contact");
    const response = await app.inject({
      method: "POST",
      url: `/people/${world.people.childA1}/contacts`,
      headers: {
        "content-type": "application/json",
        accept: "text/html",
        cookie: [...sw.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
      payload: JSON.stringify({
        _csrf: freshSubmission(sw.csrf),
        ...dateFields("receivedOn", "2026-03-01"),
        source: "2A",
        referrer: "Head of year",
        reasons: "School reports bruising",
        children: 5,
      }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("children must be text");
    expect(await count("contact")).toBe(before);
    expect(await latestAudit(database)).toMatchObject({
      action: "contact.record",
      outcome: "failed",
    });
  });
});

describe("a page that cannot be drawn after a write", () => {
  it("rolls the write back and audits the request as failed, rather than saved", async () => {
    const config = { ...loadConfig({}), cookieSecret: "test-cookie-secret-test-cookie-secret" };
    const clock = new TestClock().now;
    const other = await buildApp({ database, config, clock });
    const services = { database, config, clock };
    addRoute(other, services, {
      method: "POST",
      url: "/test/write-then-fail-to-render",
      permission: "case_note.write",
      audit: "case_note.write",
      handler: async (_request, _reply, ctx) => {
        await ctx.db
          .insertInto("organisation")
          .values({ la_id: world.laId, name: "Written before the page failed", kind: "health" })
          .execute();
        return { view: "no-such-page.njk", status: 400 };
      },
    });
    await other.ready();
    const client = new Client(other);
    client.cookies = new Map(sw.cookies);
    client.csrf = sw.csrf;
    const response = await client.post("/test/write-then-fail-to-render", {});
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain("Nothing was saved");
    const written = await database.db
      .selectFrom("organisation")
      .select("id")
      .where("name", "=", "Written before the page failed")
      .execute();
    expect(written).toEqual([]);
    expect(await latestAudit(database)).toMatchObject({
      action: "case_note.write",
      outcome: "failed",
    });
    await other.close();
  });
});
