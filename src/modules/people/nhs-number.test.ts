import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { dateFields } from "../../../test/support/forms.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor, type Actor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { addStaff } from "../caseloads/test-support.ts";
import { sql } from "kysely";
import {
  DuplicateNhsNumber,
  NEUTRAL_DUPLICATE_MESSAGE,
  withUniqueNhsNumber,
} from "./nhs-number.ts";
import { createPerson } from "./service.ts";
import type { PersonInput } from "./input.ts";

/** The NHS number is unique within a council, and a child's record carries it or says why not. */
let database: Database;
let world: World;
let app: FastifyInstance;
let swA: Client;
let swB: Client;

const person = (over: Record<string, string> = {}) => ({
  givenName: "Isla",
  familyName: "Penrose",
  otherNames: "",
  ...dateFields("dateOfBirth", "2019-02-11"),
  sex: "2",
  ethnicity: "WBRI",
  nhsNumber: "",
  upn: "",
  ...over,
});

const count = async () =>
  Number(
    (
      await database.db
        .selectFrom("person")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  // childA1 (swA's) holds one NHS number; childB1 (swB's, which swA cannot see) another.
  await database.db
    .updateTable("person")
    .set({ nhs_number: "4010232102" })
    .where("id", "=", world.people.childA1)
    .execute();
  await database.db
    .updateTable("person")
    .set({ nhs_number: "4010232110" })
    .where("id", "=", world.people.childB1)
    .execute();
  swA = await signIn(app, world.users.swA.email);
  swB = await signIn(app, world.users.swB.email);
});

describe("a duplicate NHS number", () => {
  it("on add names the existing record, with a link, when the user may see it, and saves nothing", async () => {
    const before = await count();
    const response = await swA.post("/people", person({ nhsNumber: "401 023 2102" }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#nhsNumber"');
    expect(response.body).toContain("This NHS number is already on Amelia Hartley&#39;s record");
    expect(response.body).toContain(`href="/people/${world.people.childA1}"`);
    // What was typed comes back.
    expect(response.body).toContain('value="Penrose"');
    expect(await count()).toBe(before);
    expect(await latestAudit(database)).toMatchObject({
      action: "person.create",
      outcome: "failed",
    });
  });

  it("on add gives a neutral message for a record the user may not see, never its details", async () => {
    const before = await count();
    const response = await swA.post("/people", person({ nhsNumber: "4010232110" }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      "This NHS number is already on another record. Contact the front door to check it.",
    );
    expect(response.body).not.toContain("Brennan");
    expect(response.body).not.toContain(world.people.childB1);
    expect(await count()).toBe(before);
  });

  it("on edit is refused the same way, and the record is unchanged", async () => {
    const url = `/people/${world.people.childA2}`;
    const response = await swA.post(url, {
      ...person({ givenName: "Oliver", familyName: "Hartley", nhsNumber: "4010232110" }),
      ...dateFields("dateOfBirth", "2018-11-02"),
      version: "1",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(NEUTRAL_DUPLICATE_MESSAGE);
    const row = await database.db
      .selectFrom("person")
      .select(["nhs_number", "version"])
      .where("id", "=", world.people.childA2)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ nhs_number: null, version: 1 });
  });

  it("lets the record keep its own number when its other details change", async () => {
    const response = await swA.post(`/people/${world.people.childA1}`, {
      ...person({ givenName: "Amelia", familyName: "Hartley", nhsNumber: "4010232102" }),
      ...dateFields("dateOfBirth", "2015-03-27"),
      otherNames: "Millie",
      version: "1",
    });
    expect(response.statusCode).toBe(303);
  });

  it("is the same number in another council without any clash", async () => {
    await database.db
      .updateTable("person")
      .set({ nhs_number: "4010232102" })
      .where("id", "=", world.people.otherLaChild)
      .execute();
    const row = await database.db
      .selectFrom("person")
      .select("nhs_number")
      .where("id", "=", world.people.otherLaChild)
      .executeTakeFirstOrThrow();
    expect(row.nhs_number).toBe("4010232102");
  });
});

describe("two adds with one NHS number at once", () => {
  const input: PersonInput = {
    givenName: "Noor",
    familyName: "Castell",
    otherNames: "",
    dateOfBirth: "2020-01-01",
    sex: null,
    ethnicity: null,
    nhsNumber: "4010232129",
    upn: null,
    nhsNumberException: null,
    nhsNumberExceptionNote: "",
  };
  let actorA: Actor;
  let actorB: Actor;
  beforeAll(async () => {
    const a = await loadActor(database.db, world.users.swA.id);
    const b = await loadActor(database.db, world.users.swB.id);
    if (!a || !b) throw new Error("no actor");
    [actorA, actorB] = [a, b];
  });

  it("lets the unique index decide: the loser gets the field error and its transaction goes on", async () => {
    const now = new Date("2026-03-02T10:00:00Z");
    const outcome = await database.db.transaction().execute(async (tx) => {
      if (process.env.DATABASE_URL) {
        // Two real transactions: the winner inserts first and commits while the loser waits on
        // the unique index; the loser's check before inserting saw nothing yet.
        let release: () => void = () => undefined;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        const winnerState = { inserted: false };
        const winner = database.db.transaction().execute(async (wtx) => {
          await createPerson(wtx, actorB, input, now);
          winnerState.inserted = true;
          await held;
        });
        while (!winnerState.inserted) await new Promise((resolve) => setTimeout(resolve, 10));
        const loser = createPerson(tx, actorA, input, now).catch((error: unknown) => error);
        // Wait until the loser is blocked on the winner's uncommitted row in the unique index.
        for (;;) {
          const waiting = await sql<{ n: number }>`select count(*)::int as n
            from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(database.db);
          if ((waiting.rows[0]?.n ?? 0) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        release();
        await winner;
        const lost = await loser;
        // Nothing lost: the loser's transaction goes on.
        await sql`select 1`.execute(tx);
        return lost;
      }
      // One connection: the winner's row exists, and the check before writing is told to pass
      // over it (as a check cannot see a row not yet committed), so the index must decide.
      const winnerId = await createPerson(tx, actorB, input, now);
      const lost = await withUniqueNhsNumber(tx, actorA, input.nhsNumber, winnerId, now, () =>
        tx
          .insertInto("person")
          .values({
            la_id: world.laId,
            given_name: "Noor",
            family_name: "Castell",
            nhs_number: input.nhsNumber,
          })
          .execute(),
      ).catch((error: unknown) => error);
      await sql`select 1`.execute(tx);
      return lost;
    });
    expect(outcome).toBeInstanceOf(DuplicateNhsNumber);
    const rows = await database.db
      .selectFrom("person")
      .select("id")
      .where("nhs_number", "=", "4010232129")
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describe("the consistent identifier (s16LC)", () => {
  it("asks for a child's NHS number or the exception that applies", async () => {
    const response = await swA.post("/people", person());
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      "Enter the child&#39;s NHS number, or select why this record does not carry it",
    );
  });

  it("asks for a note with the exception", async () => {
    const response = await swA.post("/people", person({ nhsNumberException: "unknown_delay" }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#nhsNumberExceptionNote"');
    const wrong = await swA.post(
      "/people",
      person({ nhsNumberException: "nope", nhsNumberExceptionNote: "x" }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#nhsNumberException"');
  });

  it("saves the exception as data, and shows it on the record", async () => {
    const response = await swA.post(
      "/people",
      person({
        nhsNumberException: "more_detrimental",
        nhsNumberExceptionNote: "Fled abroad with mother; health records would reveal location",
      }),
    );
    expect(response.statusCode).toBe(303);
    const id = String(response.headers.location).split("/").pop() ?? "";
    const row = await database.db
      .selectFrom("person")
      .select(["nhs_number_exception", "nhs_number_exception_note"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.nhs_number_exception).toBe("more_detrimental");
    const page = await swA.get(`/people/${id}`);
    expect(page.body).toContain("more detrimental to the child");
  });

  it("needs nothing of an adult's record, and drops an exception once the number is known", async () => {
    const adult = await swA.post(
      "/people",
      person({ ...dateFields("dateOfBirth", "1990-05-05"), givenName: "Ada" }),
    );
    expect(adult.statusCode).toBe(303);
    const child = await swA.post(
      "/people",
      person({
        nhsNumber: "4010232137",
        nhsNumberException: "unknown_delay",
        nhsNumberExceptionNote: "Was unknown",
      }),
    );
    expect(child.statusCode).toBe(303);
    const row = await database.db
      .selectFrom("person")
      .select(["nhs_number_exception"])
      .where("nhs_number", "=", "4010232137")
      .executeTakeFirstOrThrow();
    expect(row.nhs_number_exception).toBeNull();
  });
});

describe("the front door's list of children without the consistent identifier", () => {
  it("lists the children with neither, that the user may see, for a team manager", async () => {
    const tmA = await signIn(app, world.users.tmA.email);
    const page = await tmA.get("/front-door/identifiers");
    expect(page.statusCode).toBe(200);
    // childA2 has neither; childA1 has its NHS number; the mother is an adult.
    expect(page.body).toContain(`/people/${world.people.childA2}"`);
    expect(page.body).not.toContain(`/people/${world.people.childA1}"`);
    expect(page.body).not.toContain(`/people/${world.people.motherA}"`);
    expect(page.body).not.toContain(`/people/${world.people.unallocated}"`);
    expect(await latestAudit(database)).toMatchObject({
      action: "person.identifier_list",
      person_ids: expect.arrayContaining([world.people.childA2]) as unknown,
    });
  });

  it("is shown to a social worker of the front door, and to no other", async () => {
    const frontDoor = await database.db
      .insertInto("team")
      .values({
        la_id: world.laId,
        organisation_id: world.orgs.la,
        name: "Front Door",
        kind: "front_door",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const mash = await addStaff(database.db, world, "mash@test.example", "social_worker", [
      frontDoor.id,
    ]);
    const mashWorker = await signIn(app, mash.email);
    expect((await mashWorker.get("/front-door/identifiers")).statusCode).toBe(200);
    expect((await swB.get("/front-door/identifiers")).statusCode).toBe(404);
    for (const name of ["police", "analyst", "admin", "businessSupportA"] as const) {
      const client = await signIn(app, world.users[name].email);
      expect((await client.get("/front-door/identifiers")).statusCode, name).toBe(404);
    }
  });
});
