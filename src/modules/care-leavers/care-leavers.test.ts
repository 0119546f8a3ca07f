import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { dateFields } from "../../../test/support/forms.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { validate903 } from "../../domain/ssda903/rules/index.ts";
import { generateOc3 } from "./oc3-read.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
/** Jordan, 17 on the test clock's day (2 March 2026): looked after from 14 to 16, then left. */
let jordan: string;
/** Sam, 18: a former relevant child with no pathway plan yet. */
let sam: string;
/** Riley turned 18 on 1 May 2024, in the 2024-25 return, having left care at 17. */
let riley: string;

async function youngPerson(given: string, dob: string, care: [string, string][]) {
  const db = database.db;
  const person = await db
    .insertInto("person")
    .values({
      la_id: world.laId,
      given_name: given,
      family_name: "Pike",
      date_of_birth: dob,
      sex: "1",
      ethnicity: "WBRI",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("allocation")
    .values({
      la_id: world.laId,
      person_id: person.id,
      worker_id: world.users.swA.id,
      team_id: world.teams.fsA,
      start_date: "2024-01-06",
    })
    .execute();
  for (const [start, end] of care) {
    await db
      .insertInto("cla_episode")
      .values({
        la_id: world.laId,
        person_id: person.id,
        start_date: start,
        end_date: end,
        reason_new_episode: "S",
        legal_status: "C2",
        placement_type: "U1",
        reason_ceased: "E8",
        recorded_by: world.users.swA.id,
      })
      .execute();
  }
  return person.id;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  jordan = await youngPerson("Jordan", "2008-04-20", [["2022-06-01", "2024-10-01"]]);
  sam = await youngPerson("Sam", "2007-06-10", [["2021-09-01", "2025-06-10"]]);
  riley = await youngPerson("Riley", "2006-05-01", [["2020-09-01", "2023-09-01"]]);
});

const status = (adviserId = "") => ({
  status: "relevant",
  // The day after care ended: on 1 October itself Jordan was still looked after.
  ...dateFields("effectiveOn", "2024-10-02"),
  reason: "",
  adviserId,
});

async function rows(table: "care_leaver_contact" | "pathway_plan_review", personId: string) {
  return database.db.selectFrom(table).select("id").where("person_id", "=", personId).execute();
}

describe("a personal adviser's care leaver", () => {
  it("shows what the looked-after records give, then records the status, adviser, plan, review and contact", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/people/${jordan}/care-leaver`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Relevant child");
    expect(page.body).toContain("No care leaver status recorded");

    await sw.get(`/people/${jordan}/care-leaver/status`);
    const saved = await sw.post(`/people/${jordan}/care-leaver/status`, status(world.users.swA.id));
    expect(saved.statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "care_leaver.record",
      outcome: "allowed",
      person_ids: [jordan],
      summary: { status: "relevant", derived: "relevant", adviserAppointed: true },
    });

    // Due for the 18th birthday (20 April 2026): the window opened on 20 January.
    const work = await sw.get("/my-work");
    expect(work.body).toContain("Keeping-in-touch contact (18th birthday)");

    await sw.get(`/people/${jordan}/care-leaver/pathway-plan`);
    expect(
      (
        await sw.post(
          `/people/${jordan}/care-leaver/pathway-plan`,
          dateFields("agreedOn", "2024-10-15"),
        )
      ).statusCode,
    ).toBe(303);
    expect(
      (await sw.post(`/people/${jordan}/care-leaver/reviews`, dateFields("heldOn", "2025-04-10")))
        .statusCode,
    ).toBe(303);
    const contact = await sw.post(`/people/${jordan}/care-leaver/contacts`, {
      ...dateFields("contactOn", "2026-02-20"),
      inTouch: "YES",
      activity: "F5",
      accommodation: "U1",
    });
    expect(contact.statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "care_leaver.record",
      summary: { birthday: 18, inTouch: "YES" },
    });

    const after = await sw.get(`/people/${jordan}/care-leaver`);
    expect(after.body).toContain("Full time in training or employment (not an apprenticeship)");
    expect(after.body).toContain("Independent living: suitable");
    expect(after.body).toContain("Agreed 15 October 2024");
    // Six months after the review of 10 April 2025: overdue on 2 March 2026.
    expect(after.body).toContain("10 October 2025");
    expect((await sw.get("/my-work")).body).not.toContain("Keeping-in-touch contact");

    const chronology = await database.db
      .selectFrom("chronology_entry")
      .select("kind")
      .where("person_id", "=", jordan)
      .orderBy("occurred_on")
      .execute();
    expect(chronology.map((c) => c.kind)).toEqual([
      "care_leaver_status",
      "personal_adviser",
      "pathway_plan",
      "pathway_plan_review",
      "keeping_in_touch",
    ]);
  });

  it("refuses a contact before the 17th birthday, saying when contacts count from", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${jordan}/care-leaver/contacts`);
    const early = await sw.post(`/people/${jordan}/care-leaver/contacts`, {
      ...dateFields("contactOn", "2025-03-01"),
      inTouch: "NO",
      activity: "",
      accommodation: "",
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain("Jordan turns 17 on 20 April 2025");
    expect(early.body).toContain('href="#contactOn-day"');
    expect(await rows("care_leaver_contact", jordan)).toHaveLength(1);
  });

  it("refuses a review before there is a plan, and one dated before the plan", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${sam}/care-leaver`);
    const statusSaved = await sw.post(`/people/${sam}/care-leaver/status`, {
      status: "former_relevant",
      ...dateFields("effectiveOn", "2025-06-10"),
      reason: "",
      adviserId: "",
    });
    expect(statusSaved.statusCode).toBe(303);
    const noPlan = await sw.post(
      `/people/${sam}/care-leaver/reviews`,
      dateFields("heldOn", "2025-12-01"),
    );
    expect(noPlan.statusCode).toBe(400);
    expect(noPlan.body).toContain("Record the pathway plan first");
    await sw.post(`/people/${sam}/care-leaver/pathway-plan`, dateFields("agreedOn", "2025-07-01"));
    const before = await sw.post(
      `/people/${sam}/care-leaver/reviews`,
      dateFields("heldOn", "2025-06-20"),
    );
    expect(before.statusCode).toBe(400);
    expect(before.body).toContain("A review cannot be before the plan");
    expect(before.body).toContain("1 July 2025");
    expect(await rows("pathway_plan_review", sam)).toEqual([]);
  });

  it("names each wrong answer and saves nothing", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${jordan}/care-leaver/contacts`);
    const wrong = await sw.post(`/people/${jordan}/care-leaver/contacts`, {
      ...dateFields("contactOn", "2026-02-21"),
      inTouch: "MAYBE",
      activity: "Q9",
      accommodation: "",
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#inTouch"');
    const noActivity = await sw.post(`/people/${jordan}/care-leaver/contacts`, {
      ...dateFields("contactOn", "2026-02-21"),
      inTouch: "YES",
      activity: "",
      accommodation: "T1",
    });
    expect(noActivity.statusCode).toBe(400);
    expect(noActivity.body).toContain('href="#activity"');
    expect(noActivity.body).toContain("cannot be accommodated in a foyer");
    const future = await sw.post(`/people/${jordan}/care-leaver/contacts`, {
      ...dateFields("contactOn", "2026-04-20"),
      inTouch: "NO",
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain("must be today or in the past");
    const differs = await sw.post(`/people/${jordan}/care-leaver/status`, {
      ...status(),
      status: "former_relevant",
    });
    expect(differs.statusCode).toBe(400);
    expect(differs.body).toContain("Say why the status is different");
    expect(await rows("care_leaver_contact", jordan)).toHaveLength(1);
  });

  it("does not ask about an 18th birthday spent in care, in My work or the form", async () => {
    // Alex turned 18 on 15 February 2026 and left care five days later.
    const alex = await youngPerson("Alex", "2008-02-15", [["2022-03-01", "2026-02-20"]]);
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${alex}/care-leaver`);
    const saved = await sw.post(`/people/${alex}/care-leaver/status`, {
      status: "former_relevant",
      ...dateFields("effectiveOn", "2026-02-21"),
      reason: "",
      adviserId: world.users.swA.id,
    });
    expect(saved.statusCode).toBe(303);
    expect((await sw.get("/my-work")).body).not.toContain("Alex Pike");
    const contact = await sw.post(`/people/${alex}/care-leaver/contacts`, {
      ...dateFields("contactOn", "2026-03-01"),
      inTouch: "NO",
    });
    expect(contact.statusCode).toBe(400);
    expect(contact.body).toContain("still looked after on their 18th birthday");
  });

  it("will not appoint an adviser who cannot see the record", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${sam}/care-leaver/status`);
    const refused = await sw.post(`/people/${sam}/care-leaver/status`, {
      status: "former_relevant",
      ...dateFields("effectiveOn", "2025-06-10"),
      reason: "",
      adviserId: world.users.swB.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("cannot see Sam&#39;s record");
    const partner = await sw.post(`/people/${sam}/care-leaver/status`, {
      status: "former_relevant",
      ...dateFields("effectiveOn", "2025-06-10"),
      reason: "",
      adviserId: world.users.health.id,
    });
    expect(partner.body).toContain("Choose a personal adviser from the list");
    const garbled = await sw.post(`/people/${sam}/care-leaver/status`, {
      status: "former_relevant",
      ...dateFields("effectiveOn", "2025-06-10"),
      reason: "",
      adviserId: "not-an-id",
    });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.body).toContain("Choose a personal adviser from the list");
  });
});

describe("who may not see or record a care leaver's details", () => {
  it("is hidden from a worker in another team, and from a partner without a share", async () => {
    for (const user of [world.users.swB, world.users.health, world.users.otherLaSw]) {
      const client = await signIn(app, user.email);
      await client.get("/");
      expect((await client.get(`/people/${jordan}/care-leaver`)).statusCode, user.email).toBe(404);
      const attempt = await client.post(`/people/${jordan}/care-leaver/contacts`, {
        ...dateFields("contactOn", "2026-02-25"),
        inTouch: "NO",
      });
      expect(attempt.statusCode, user.email).toBe(404);
    }
    expect(await rows("care_leaver_contact", jordan)).toHaveLength(1);
  });

  it("lets a partner with a share read the page but never record", async () => {
    await database.db
      .insertInto("record_share")
      .values({
        la_id: world.laId,
        person_id: sam,
        organisation_id: world.orgs.health,
        lawful_basis: "ca1989_s17",
        purpose: "Health support for a care leaver",
        shared_by: world.users.swA.id,
        shared_at: new Date("2026-03-01T10:00:00Z"),
      })
      .execute();
    const health = await signIn(app, world.users.health.email);
    const page = await health.get(`/people/${sam}/care-leaver`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("Record a pathway plan");
    expect((await health.get(`/people/${sam}/care-leaver/reviews`)).statusCode).toBe(404);
    const attempt = await health.post(`/people/${sam}/care-leaver/pathway-plan`, {
      ...dateFields("agreedOn", "2025-08-01"),
    });
    expect(attempt.statusCode).toBe(404);
    expect(
      await database.db
        .selectFrom("pathway_plan")
        .select("agreed_on")
        .where("person_id", "=", sam)
        .execute(),
    ).toEqual([{ agreed_on: "2025-07-01" }]);
  });

  it("is not open to analysts, administrators or business support to record", async () => {
    for (const user of [world.users.analyst, world.users.admin, world.users.businessSupportA]) {
      const client = await signIn(app, user.email);
      await client.get("/");
      const attempt = await client.post(`/people/${jordan}/care-leaver/pathway-plan`, {
        ...dateFields("agreedOn", "2025-01-01"),
      });
      expect(attempt.statusCode, user.email).toBe(404);
    }
  });

  it("lets emergency access read but never record", async () => {
    await database.db
      .insertInto("break_glass")
      .values({
        la_id: world.laId,
        user_id: world.users.swB.id,
        person_id: jordan,
        reason: "Hospital called out of hours about Jordan",
        started_at: new Date("2026-03-02T09:00:00Z"),
        expires_at: new Date("2026-03-02T17:00:00Z"),
      })
      .execute();
    const swB = await signIn(app, world.users.swB.email);
    const page = await swB.get(`/people/${jordan}/care-leaver`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("Record a keeping-in-touch contact");
    expect((await swB.get(`/people/${jordan}/care-leaver/contacts`)).statusCode).toBe(403);
    const attempt = await swB.post(`/people/${jordan}/care-leaver/contacts`, {
      ...dateFields("contactOn", "2026-02-25"),
      inTouch: "NO",
    });
    expect(attempt.statusCode).toBe(403);
    expect(await latestAudit(database)).toMatchObject({
      action: "care_leaver.record",
      outcome: "denied",
      person_ids: [jordan],
    });
    expect(await rows("care_leaver_contact", jordan)).toHaveLength(1);
  });
});

describe("the OC3 table from the records", () => {
  it("returns the care leaver whose birthday fell in the year, as their adviser recorded it", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${riley}/care-leaver`);
    const saved = await sw.post(`/people/${riley}/care-leaver/status`, {
      status: "relevant",
      ...dateFields("effectiveOn", "2023-09-02"),
      reason: "",
      adviserId: "",
    });
    expect(saved.statusCode).toBe(303);
    const contact = await sw.post(`/people/${riley}/care-leaver/contacts`, {
      ...dateFields("contactOn", "2024-05-10"),
      inTouch: "YES",
      activity: "P2",
      accommodation: "S2",
    });
    expect(contact.statusCode).toBe(303);
    const child = await database.db
      .selectFrom("person")
      .select("la_child_id")
      .where("id", "=", riley)
      .executeTakeFirstOrThrow();
    const oc3 = await generateOc3(database.db, world.laId, "2024-25");
    // Sam was looked after on their 17th birthday (10 June 2024): not asked about (rule 1007).
    expect(oc3.rows).toEqual([
      { CHILD: child.la_child_id, DOB: "01/05/2006", IN_TOUCH: "YES", ACTIV: "P2", ACCOM: "S2" },
    ]);
    expect(oc3.personByChildId.get(child.la_child_id)).toBe(riley);
    const header = oc3.rows.map((r) => ({
      CHILD: r.CHILD ?? "",
      SEX: "1",
      DOB: r.DOB ?? "",
      ETHNIC: "WBRI",
      UPN: "UN2",
      MOTHER: "",
      MC_DOB: "",
    }));
    const failures = validate903({ Header: header, Episodes: [], OC3: oc3.rows }, "2024-25");
    expect(failures.filter((f) => f.table === "OC3")).toEqual([]);
  });
});
