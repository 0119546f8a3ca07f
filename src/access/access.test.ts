import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase } from "../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../test/support/http.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import type { Database } from "../platform/database.ts";

/**
 * The visibility matrix: for every kind of user, which people's records they may open. Every
 * cell not listed as visible must answer 404 and leave a refused audit row.
 */
type UserKey = keyof World["users"];
type PersonKey = keyof World["people"];

const visible: Record<UserKey, PersonKey[]> = {
  // Allocated worker: their children, and those children's family (the mother).
  swA: ["childA1", "childA2", "motherA"],
  // Team manager: the team's cases, plus the restricted child they are named on.
  tmA: ["childA1", "childA2", "motherA", "restrictedChildA"],
  adultSpecialistA: ["childA1", "childA2", "motherA"],
  businessSupportA: ["childA1", "childA2", "motherA"],
  swB: ["childB1"],
  // Police: only the record shared with them on a lawful basis.
  police: ["childA1"],
  health: [],
  analyst: [],
  // Sees no record by role alone until the returns module decides its reach (decision 0028).
  performanceOfficer: [],
  admin: [],
  otherLaSw: ["otherLaChild"],
};

let database: Database;
let world: World;
let app: FastifyInstance;
const clients = new Map<UserKey, Client>();

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  for (const key of Object.keys(visible) as UserKey[]) {
    clients.set(key, await signIn(app, world.users[key].email));
  }
});

function client(key: UserKey): Client {
  const c = clients.get(key);
  if (!c) throw new Error(`no client for ${key}`);
  return c;
}

describe("who may open whose record", () => {
  for (const userKey of Object.keys(visible) as UserKey[]) {
    it(`${userKey} sees exactly ${visible[userKey].join(", ") || "nobody"}`, async () => {
      for (const personKey of Object.keys(world.people) as PersonKey[]) {
        const personId = world.people[personKey];
        const response = await client(userKey).get(`/people/${personId}`);
        const expected = visible[userKey].includes(personKey) ? 200 : 404;
        expect(response.statusCode, `${userKey} -> ${personKey}`).toBe(expected);
        const audit = await database.db
          .selectFrom("audit_log")
          .select(["outcome", "person_ids", "actor_user_id", "action"])
          .orderBy("seq", "desc")
          .executeTakeFirstOrThrow();
        expect(audit.actor_user_id).toBe(world.users[userKey].id);
        expect(audit.person_ids).toEqual([personId]);
        expect(audit.outcome).toBe(expected === 200 ? "allowed" : "denied");
      }
    });
  }
});

describe("search shows only visible people", () => {
  it("finds the Hartley family only for those who may see it, never the other LA's Hartley", async () => {
    const names = async (key: UserKey): Promise<string[]> => {
      const page = await client(key).get("/people?name=hartley");
      return [...page.body.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? "");
    };
    expect((await names("swA")).sort()).toEqual(
      [world.people.childA1, world.people.childA2, world.people.motherA].sort(),
    );
    expect(await names("police")).toEqual([world.people.childA1]);
    expect(await names("swB")).toEqual([]);
    expect(await names("otherLaSw")).toEqual([world.people.otherLaChild]);
    expect(await names("health")).toEqual([]);
  });

  it("gives analysts and administrators no search at all", async () => {
    expect((await client("analyst").get("/people?name=hartley")).statusCode).toBe(404);
    expect((await client("admin").get("/people?name=hartley")).statusCode).toBe(404);
  });
});

describe("sensitive parts of a visible record", () => {
  it("withholds a confidential address from a partner agency", async () => {
    const asPolice = await client("police").get(`/people/${world.people.childA1}`);
    expect(asPolice.statusCode).toBe(200);
    expect(asPolice.body).toContain("Confidential address: withheld");
    expect(asPolice.body).not.toContain("Refuge Row");
    expect(asPolice.body).not.toContain("TS1 1AA");
    const asWorker = await client("swA").get(`/people/${world.people.childA1}`);
    expect(asWorker.body).toContain("1 Refuge Row");
  });

  it("shows the household to those who may see the address, never to a partner", async () => {
    const asWorker = await client("swA").get(`/people/${world.people.childA1}`);
    expect(asWorker.body).toContain("Lives at the same address");
    expect(asWorker.body).toMatch(/data-testid="household"[\s\S]*Joanne Hartley/);
    const asPolice = await client("police").get(`/people/${world.people.childA1}`);
    expect(asPolice.body).not.toContain("Lives at the same address");
  });

  it("does not reveal relatives the viewer may not see", async () => {
    const asPolice = await client("police").get(`/people/${world.people.childA1}`);
    expect(asPolice.body).not.toContain("Joanne");
    expect(asPolice.body).not.toContain("Oliver");
  });

  it("does not show partner agencies which other agencies a record is shared with", async () => {
    const asPolice = await client("police").get(`/people/${world.people.childA1}`);
    expect(asPolice.body).not.toContain("Shared with partner agencies");
    const asWorker = await client("swA").get(`/people/${world.people.childA1}`);
    expect(asWorker.body).toContain("Testshire Police");
  });

  it("stops showing a record once its share is revoked", async () => {
    await database.db
      .updateTable("record_share")
      .set({ revoked_at: new Date("2026-03-01T00:00:00Z") })
      .where("person_id", "=", world.people.childA1)
      .execute();
    expect((await client("police").get(`/people/${world.people.childA1}`)).statusCode).toBe(404);
    await database.db
      .updateTable("record_share")
      .set({ revoked_at: null })
      .where("person_id", "=", world.people.childA1)
      .execute();
    expect((await client("police").get(`/people/${world.people.childA1}`)).statusCode).toBe(200);
  });

  it("stops showing a record once the allocation ends", async () => {
    await database.db
      .updateTable("allocation")
      .set({ end_date: "2026-01-01" })
      .where("person_id", "=", world.people.childB1)
      .execute();
    expect((await client("swB").get(`/people/${world.people.childB1}`)).statusCode).toBe(404);
    await database.db
      .updateTable("allocation")
      .set({ end_date: null })
      .where("person_id", "=", world.people.childB1)
      .execute();
  });
});

describe("the access log page", () => {
  it("lets the team manager see who viewed a record, including refused attempts", async () => {
    await client("swB").get(`/people/${world.people.childA2}`);
    const page = await client("tmA").get(`/people/${world.people.childA2}/access-log`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("sw.b");
    expect(page.body).toContain("Refused");
    expect(page.body).toContain("sw.a");
  });

  it("is not available to a social worker, nor to a manager for a record they cannot see", async () => {
    expect((await client("swA").get(`/people/${world.people.childA2}/access-log`)).statusCode).toBe(
      404,
    );
    expect((await client("tmA").get(`/people/${world.people.childB1}/access-log`)).statusCode).toBe(
      404,
    );
  });
});
