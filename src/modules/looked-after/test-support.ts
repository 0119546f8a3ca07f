/**
 * Set-up and helpers shared by the looked-after and missing tests. The test clock reads
 * Monday 2 March 2026, 10:00 UTC (10:00 in England: GMT until 29 March).
 */
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database, Db } from "../../platform/database.ts";

export interface Setting {
  database: Database;
  world: World;
  app: FastifyInstance;
  /** The allocated social worker (swA), signed in. */
  sw: Client;
}

/** A fresh database and world, the app, and swA signed in; call it in beforeAll. */
export async function setUp(): Promise<Setting> {
  const database = await freshDatabase();
  const world = await buildWorld(database.db);
  const { app } = await testApp(database);
  const sw = await signIn(app, world.users.swA.email);
  return { database, world, app, sw };
}

/** GOV.UK date input fields for a 'YYYY-MM-DD' date, as typed. */
export const day = (name: string, iso: string): Record<string, string> => {
  const [year = "", month = "", dayOfMonth = ""] = iso.split("-");
  return { [`${name}-day`]: dayOfMonth, [`${name}-month`]: month, [`${name}-year`]: year };
};

/** The date input fields and the time box ("20:30") for a time on a clock in England. */
export const at = (name: string, iso: string, time: string): Record<string, string> => ({
  ...day(name, iso),
  [`${name}-time`]: time,
});

/** The child's chronology entries of one kind. */
export const chronologyOf = (db: Db, personId: string, kind: string) =>
  db
    .selectFrom("chronology_entry")
    .select(["occurred_on", "summary", "subject_type", "subject_id"])
    .where("person_id", "=", personId)
    .where("kind", "=", kind)
    .execute();

/** Each user signs in and opens `url`: their email and the page they got, in order. */
async function pagesAs(
  app: FastifyInstance,
  users: readonly { email: string }[],
  url: string,
): Promise<{ email: string; page: LightMyRequestResponse }[]> {
  const pages = [];
  for (const { email } of users) {
    const client = await signIn(app, email);
    pages.push({ email, page: await client.get(url) });
  }
  return pages;
}

/** Each user may read the page at `url`, which shows them `shows` but not `hides`. */
export async function expectReadOnlyPageFor(
  app: FastifyInstance,
  users: readonly { email: string }[],
  url: string,
  { shows, hides }: { shows: string; hides: string },
): Promise<void> {
  for (const { email, page } of await pagesAs(app, users, url)) {
    expect(page.statusCode, email).toBe(200);
    expect(page.body, email).toContain(shows);
    expect(page.body, email).not.toContain(hides);
  }
}

/**
 * Everyone who may not see childA1 gets "not found" at `url`, and the refusal is audited as
 * `action` on the child: another team, health without a share, the analyst, the
 * administrator and a worker in another LA.
 */
export async function expectNotFoundForOutsiders(
  { app, database, world }: Omit<Setting, "sw">,
  url: string,
  action: string,
): Promise<void> {
  const { swB, health, analyst, admin, otherLaSw } = world.users;
  for (const { email, page } of await pagesAs(app, [swB, health, analyst, admin, otherLaSw], url)) {
    expect(page.statusCode, email).toBe(404);
  }
  expect(await latestAudit(database)).toMatchObject({
    action,
    outcome: "denied",
    person_ids: [world.people.childA1],
  });
}
