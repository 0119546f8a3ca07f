import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import { addStaff } from "../caseloads/test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let fgcUrl: string;

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  fgcUrl = `/families/${world.families.hartley}/workbook/fgc`;
});

function dated(name: string, date: string): Record<string, string> {
  const [year = "", month = "", day = ""] = date.split("-");
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

function referral(more: Record<string, string> = {}): Record<string, string> {
  return {
    ...dated("referredOn", "2026-02-10"),
    reason: "The family want to plan together how the children stay safe",
    coordinator: "Priya Shah",
    networkInvited: "Grandma Pat (maternal grandmother)\n\n  Uncle Dev \nFamily friend Sam",
    ...more,
  };
}

function conference(version: number, more: Record<string, string> = {}): Record<string, string> {
  return {
    version: String(version),
    ...dated("heldOn", "2026-02-26"),
    network: "Grandma Pat (came)\nUncle Dev (came)\nFamily friend Sam (did not come)",
    planAgreed: "yes",
    familyPlan: "Grandma Pat will have the children every Friday night.",
    ...dated("reviewOn", "2026-04-23"),
    ...more,
  };
}

async function conferences() {
  return database.db
    .selectFrom("family_group_conference")
    .selectAll()
    .orderBy("referred_on")
    .execute();
}

async function fgcEvents(kind: "fgc_referred" | "fgc_held") {
  return database.db
    .selectFrom("chronology_entry")
    .select(["person_id", "summary", "occurred_on", "subject_id"])
    .where("kind", "=", kind)
    .orderBy("person_id")
    .execute();
}

const children = () => [world.people.childA1, world.people.childA2].sort();

describe("Family Group Conferences", () => {
  it("records a referral, with the network one per line, on each child's chronology", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const empty = await sw.get(fgcUrl);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain("No Family Group Conference has been requested");
    expect((await sw.get(`${fgcUrl}/new`)).statusCode).toBe(200);
    const saved = await sw.post(fgcUrl, referral());
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(fgcUrl);
    const [row] = await conferences();
    expect(row).toMatchObject({
      workbook_id: world.workbooks.hartley,
      referred_on: "2026-02-10",
      coordinator: "Priya Shah",
      network_invited: "Grandma Pat (maternal grandmother)\nUncle Dev\nFamily friend Sam",
      held_on: null,
      referred_by: world.users.swA.id,
      version: 1,
    });
    const events = await fgcEvents("fgc_referred");
    expect(events.map((e) => e.person_id)).toEqual(children());
    expect(events[0]).toMatchObject({
      summary: "Referred for a Family Group Conference",
      occurred_on: "2026-02-10",
      subject_id: row?.id,
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "fgc.record",
      outcome: "allowed",
      subject_type: "family_group_conference",
      subject_id: row?.id,
    });
    const page = await sw.get(fgcUrl);
    expect(page.body).toContain("Referral of 10 February 2026: conference not yet held");
    expect(page.body).toContain(
      "Grandma Pat (maternal grandmother)<br>Uncle Dev<br>Family friend Sam",
    );
    expect(page.body).toContain("Record the conference");
    expect(await latestAudit(database)).toMatchObject({ action: "fgc.view", outcome: "allowed" });
  });

  const referralRefusals: [string, Record<string, string>, string, string][] = [
    ["no coordinator", referral({ coordinator: "" }), "coordinator", "Enter the coordinator"],
    ["no reason", referral({ reason: "" }), "reason", "Enter the reason for the referral"],
    [
      "a referral date in the future",
      referral(dated("referredOn", "2026-03-03")),
      "referredOn-day",
      "today or in the past",
    ],
  ];

  it.each(referralRefusals)("refuses a referral with %s", async (_, form, field, text) => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`${fgcUrl}/new`);
    const before = await conferences();
    const response = await sw.post(fgcUrl, form);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#${field}"`);
    expect(response.body).toContain(text);
    expect(await conferences()).toEqual(before);
  });

  const conferenceRefusals: [string, Record<string, string>, string, string][] = [
    [
      "a conference before the referral",
      conference(1, dated("heldOn", "2026-02-09")),
      "heldOn-day",
      "on or after the referral date (10 February 2026)",
    ],
    [
      "a conference in the future",
      conference(1, dated("heldOn", "2026-03-03")),
      "heldOn-day",
      "today or in the past",
    ],
    [
      "a review not after the conference",
      conference(1, dated("reviewOn", "2026-02-26")),
      "reviewOn-day",
      "The review date must be after the date of the conference",
    ],
    [
      "an agreed plan without the plan",
      conference(1, { familyPlan: "" }),
      "familyPlan",
      "Enter the family&#39;s plan",
    ],
    ["no answer on the plan", conference(1, { planAgreed: "" }), "planAgreed", "Select yes or no"],
  ];

  it.each(conferenceRefusals)("refuses %s, saving nothing", async (_, form, field, text) => {
    const [row] = await conferences();
    const url = `${fgcUrl}/${row?.id ?? ""}/conference`;
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(url);
    const response = await sw.post(url, form);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#${field}"`);
    expect(response.body).toContain(text);
    expect(await conferences()).toEqual([row]);
    expect(await fgcEvents("fgc_held")).toEqual([]);
  });

  it("records the conference, and refuses a second, stale recording (409)", async () => {
    const [row] = await conferences();
    const url = `${fgcUrl}/${row?.id ?? ""}/conference`;
    const sw = await signIn(app, world.users.swA.email);
    const tm = await signIn(app, world.users.tmA.email);
    const form = await sw.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="version" value="1"');
    expect(form.body).toContain("Grandma Pat (maternal grandmother)");
    await tm.get(url);
    const saved = await sw.post(url, conference(1));
    expect(saved.statusCode).toBe(303);
    const [held] = await conferences();
    expect(held).toMatchObject({
      held_on: "2026-02-26",
      plan_agreed: true,
      family_plan: "Grandma Pat will have the children every Friday night.",
      review_on: "2026-04-23",
      network_invited: "Grandma Pat (maternal grandmother)\nUncle Dev\nFamily friend Sam",
      network_attended: "Grandma Pat (came)\nUncle Dev (came)\nFamily friend Sam (did not come)",
      version: 2,
    });
    const events = await fgcEvents("fgc_held");
    expect(events.map((e) => e.person_id)).toEqual(children());
    expect(events[0]).toMatchObject({
      summary: "Family Group Conference held: the family agreed a plan",
      occurred_on: "2026-02-26",
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "fgc.record",
      outcome: "allowed",
      subject_id: row?.id,
      summary: { planAgreed: true },
    });

    const stale = await tm.post(url, conference(1, { planAgreed: "no", familyPlan: "" }));
    expect(stale.statusCode).toBe(409);
    expect(await conferences()).toEqual([held]);
    expect(await fgcEvents("fgc_held")).toHaveLength(2);
    expect((await sw.get(url)).statusCode).toBe(409);

    const page = await sw.get(fgcUrl);
    expect(page.body).toContain("Conference held on 26 February 2026");
    expect(page.body).toContain("Grandma Pat will have the children every Friday night.");
    expect(page.body).toContain("23 April 2026");
    expect(page.body).not.toContain("Record the conference");
  });

  it("records a conference where no plan was agreed", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.post(fgcUrl, referral(dated("referredOn", "2026-02-27")));
    const second = (await conferences())[1];
    const url = `${fgcUrl}/${second?.id ?? ""}/conference`;
    await sw.get(url);
    const saved = await sw.post(
      url,
      conference(1, {
        planAgreed: "no",
        familyPlan: "",
        ...dated("heldOn", "2026-03-02"),
        ...dated("reviewOn", "--"),
      }),
    );
    expect(saved.statusCode).toBe(303);
    expect((await conferences())[1]).toMatchObject({
      held_on: "2026-03-02",
      plan_agreed: false,
      review_on: null,
    });
    const events = await fgcEvents("fgc_held");
    expect(events.filter((e) => e.subject_id === second?.id)[0]).toMatchObject({
      summary: "Family Group Conference held: no family plan agreed",
    });
  });
});

describe("who may see and record Family Group Conferences", () => {
  it("is refused (404) to all but the family's LA team, and nothing is saved", async () => {
    const [row] = await conferences();
    const before = await conferences();
    for (const user of [
      world.users.swB,
      world.users.police,
      world.users.health,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get(fgcUrl)).statusCode, user.email).toBe(404);
      expect(await latestAudit(database)).toMatchObject({ action: "fgc.view", outcome: "denied" });
      expect((await client.get(`${fgcUrl}/new`)).statusCode, user.email).toBe(404);
      expect((await client.post(fgcUrl, referral())).statusCode, user.email).toBe(404);
      const url = `${fgcUrl}/${row?.id ?? ""}/conference`;
      expect((await client.post(url, conference(2))).statusCode, user.email).toBe(404);
    }
    expect(await conferences()).toEqual(before);
  });

  it("lets business support read the conferences but not refer or record", async () => {
    const support = await signIn(app, world.users.businessSupportA.email);
    const page = await support.get(fgcUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Priya Shah");
    expect(page.body).not.toContain("Refer for a Family Group Conference");
    const before = await conferences();
    expect((await support.post(fgcUrl, referral())).statusCode).toBe(404);
    expect(await conferences()).toEqual(before);
  });

  it("lets someone on emergency access read the conferences but not refer", async () => {
    const staff = await addStaff(database.db, world, "sw.b2@test.example", "social_worker", [
      world.teams.fsB,
    ]);
    const client = await signIn(app, staff.email);
    await client.get("/break-glass");
    await client.post("/break-glass", {
      personId: world.people.childA2,
      reason: "Police called out of hours: need to check who is in the family network",
    });
    expect((await client.get(fgcUrl)).statusCode).toBe(200);
    expect((await client.get(`${fgcUrl}/new`)).statusCode).toBe(403);
    const before = await conferences();
    expect((await client.post(fgcUrl, referral())).statusCode).toBe(403);
    expect(await conferences()).toEqual(before);
  });
});
