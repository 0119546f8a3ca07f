import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { latestAudit } from "../../../test/support/database.ts";
import { signIn, type Client } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { chronologyOf, day, expectNotFoundForOutsiders, setUp } from "./test-support.ts";

// The test clock reads 2 March 2026.
let database: Database;
let world: World;
let app: FastifyInstance;
let sw: Client;

beforeAll(async () => {
  ({ database, world, app, sw } = await setUp());
  await database.db
    .updateTable("person")
    .set({ date_of_birth: "2009-05-10" })
    .where("id", "=", world.people.childA1)
    .execute();
});

const url = () => `/people/${world.people.childA1}/looked-after/uasc`;
const statusOf = () =>
  database.db
    .selectFrom("person")
    .select(["uasc", "uasc_ceased_on", "version"])
    .where("id", "=", world.people.childA1)
    .executeTakeFirstOrThrow();

async function versionOnForm(client: Client): Promise<string> {
  const form = await client.get(url());
  expect(form.statusCode).toBe(200);
  return /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? "";
}

describe("a looked-after child's UASC status", () => {
  it("refuses a date ceased for a child not recorded as UASC, and one after the 18th birthday", async () => {
    const version = await versionOnForm(sw);
    const notUasc = await sw.post(url(), { uasc: "no", version, ...day("ceasedOn", "2025-06-01") });
    expect(notUasc.statusCode).toBe(400);
    expect(notUasc.body).toContain("Leave the date empty");
    const late = await sw.post(url(), { uasc: "yes", version, ...day("ceasedOn", "2027-06-01") });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain("today or earlier");
    const unanswered = await sw.post(url(), { version });
    expect(unanswered.statusCode).toBe(400);
    expect(unanswered.body).toContain("Select yes or no");
    expect(await statusOf()).toMatchObject({ uasc: false, uasc_ceased_on: null });
  });

  it("records the status and the date it ceased, on the chronology, audited", async () => {
    const version = await versionOnForm(sw);
    const saved = await sw.post(url(), { uasc: "yes", version, ...day("ceasedOn", "2025-11-03") });
    expect(saved.statusCode).toBe(303);
    expect(await statusOf()).toMatchObject({ uasc: true, uasc_ceased_on: "2025-11-03" });
    expect(await chronologyOf(database.db, world.people.childA1, "uasc_status")).toEqual([
      expect.objectContaining({
        occurred_on: "2025-11-03",
        summary: "Unaccompanied asylum-seeking child status ceased on 3 November 2025",
      }),
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "cla.record",
      outcome: "allowed",
      person_ids: [world.people.childA1],
    });
    // A form sent at the old version is refused: someone saved in between.
    const stale = await sw.post(url(), { uasc: "no", version });
    expect(stale.statusCode).toBe(409);
    const page = await sw.get(`/people/${world.people.childA1}/looked-after`);
    expect(page.body).toContain("the status ceased on 3 November 2025");
  });

  it("is not found for anyone who may not record on the child", async () => {
    await expectNotFoundForOutsiders({ app, database, world }, url(), "cla.view");
    const police = await signIn(app, world.users.police.email);
    expect((await police.post(url(), { uasc: "no", version: "1" })).statusCode).toBe(404);
    expect(await statusOf()).toMatchObject({ uasc: true });
  });
});
