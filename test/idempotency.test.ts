import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import type { Database } from "../src/platform/database.ts";
import { freshDatabase, latestAudit } from "./support/database.ts";
import { dateFields } from "./support/forms.ts";
import { signIn, testApp, type Client } from "./support/http.ts";
import { buildWorld, type World } from "./support/world.ts";

/**
 * The same form sent twice (a double click, a retry after a dropped connection, a resubmit)
 * saves once: before decision 0018, 30 of 30 concurrent pairs made two records.
 */

let database: Database;
let world: World;
let app: FastifyInstance;
let sw: Client;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  sw = await signIn(app, world.users.swA.email);
});

type Table = "contact" | "case_note" | "visit" | "person";

async function count(table: Table): Promise<number> {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

const child = () => world.people.childA1;
const forms: [string, Table, () => string, () => string, () => Record<string, string>][] = [
  [
    "a contact",
    "contact",
    () => `/people/${child()}/contacts/new`,
    () => `/people/${child()}/contacts`,
    () => ({
      ...dateFields("receivedOn", "2026-03-01"),
      source: "2A",
      referrer: "Head of year",
      reasons: "School reports bruising on both arms",
      children: child(),
    }),
  ],
  [
    "a case note",
    "case_note",
    () => `/people/${child()}/notes/new`,
    () => `/people/${child()}/notes`,
    () => ({ ...dateFields("occurredOn", "2026-02-25"), note: "Spoke to the school nurse" }),
  ],
  [
    "a visit",
    "visit",
    () => `/people/${child()}/visits/new`,
    () => `/people/${child()}/visits`,
    () => ({
      ...dateFields("visitedOn", "2026-02-27"),
      seen: "yes",
      seenAlone: "yes",
      childViews: "",
      note: "Bedroom tidy",
    }),
  ],
  [
    "a new person",
    "person",
    () => "/people/new",
    () => "/people",
    () => ({
      givenName: "Mia",
      familyName: "Okonkwo",
      otherNames: "",
      ...dateFields("dateOfBirth", "2019-09-04"),
      sex: "2",
      ethnicity: "BAFR",
      nhsNumber: "",
      nhsNumberException: "unknown_delay",
      nhsNumberExceptionNote: "Not known yet; asking would delay the visit",
      upn: "",
    }),
  ],
];

describe("a form sent twice at once", () => {
  it.each(forms)(
    "saves %s once, and both requests get the first one's redirect",
    async (_, table, formUrl, postUrl, form) => {
      expect((await sw.get(formUrl())).statusCode).toBe(200);
      const token = sw.csrf;
      const before = await count(table);
      const [first, second] = await Promise.all([
        sw.post(postUrl(), form(), { csrf: token }),
        sw.post(postUrl(), form(), { csrf: token }),
      ]);
      expect(first.statusCode).toBe(303);
      expect(second.statusCode).toBe(303);
      expect(second.headers.location).toBe(first.headers.location);
      expect(await count(table)).toBe(before + 1);
    },
  );
});

describe("a form sent again later", () => {
  it("saves once when the same page is resubmitted, and audits the repeat as one", async () => {
    await sw.get(`/people/${child()}/notes/new`);
    const token = sw.csrf;
    const form = { ...dateFields("occurredOn", "2026-02-26"), note: "Sent twice by mistake" };
    const before = await count("case_note");
    const first = await sw.post(`/people/${child()}/notes`, form, { csrf: token });
    const again = await sw.post(`/people/${child()}/notes`, form, { csrf: token });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await count("case_note")).toBe(before + 1);
    expect(await latestAudit(database)).toMatchObject({
      action: "case_note.write",
      summary: { repeatOfSavedSubmission: true },
    });
  });

  it("saves a corrected form sent with the token of an attempt that was refused", async () => {
    await sw.get(`/people/${child()}/notes/new`);
    const token = sw.csrf;
    const before = await count("case_note");
    const refused = await sw.post(
      `/people/${child()}/notes`,
      { ...dateFields("occurredOn", "2026-02-26"), note: "" },
      { csrf: token },
    );
    expect(refused.statusCode).toBe(400);
    const saved = await sw.post(
      `/people/${child()}/notes`,
      { ...dateFields("occurredOn", "2026-02-26"), note: "Now with the note" },
      { csrf: token },
    );
    expect(saved.statusCode).toBe(303);
    expect(await count("case_note")).toBe(before + 1);
  });

  it("does not let another user replay a page's token, even with its nonce", async () => {
    await sw.get(`/people/${child()}/notes/new`);
    const tm = await signIn(app, world.users.tmA.email);
    const before = await count("case_note");
    const replayed = await tm.post(
      `/people/${child()}/notes`,
      { ...dateFields("occurredOn", "2026-02-26"), note: "Sent with someone else's token" },
      { csrf: sw.csrf },
    );
    expect(replayed.statusCode).toBe(403);
    expect(await count("case_note")).toBe(before);
  });

  it("puts a fresh nonce on each page, so separate forms are separate submissions", async () => {
    await sw.get(`/people/${child()}/notes/new`);
    const first = sw.csrf;
    await sw.get(`/people/${child()}/notes/new`);
    expect(sw.csrf).not.toBe(first);
    expect(sw.csrf.split(".")[0]).toBe(first.split(".")[0]);
  });
});
