import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { dateFields } from "../../../test/support/forms.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

// The test clock reads Monday 2 March 2026. Each test works on its own new child in team A.
let database: Database;
let world: World;
let app: FastifyInstance;
let sw: Client;
let tm: Client;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  sw = await signIn(app, world.users.swA.email);
  tm = await signIn(app, world.users.tmA.email);
});

let childCount = 0;
/** A new child, added by swA (so allocated to swA in team A), born 1 June 2018. */
async function newChild(): Promise<string> {
  childCount++;
  await sw.get("/people/new");
  const response = await sw.post("/people", {
    givenName: `Child${String(childCount)}`,
    familyName: "Steps",
    ...dateFields("dateOfBirth", "2018-06-01"),
    nhsNumberException: "unknown_delay",
    nhsNumberExceptionNote: "Not known yet",
  });
  return String(response.headers.location).split("/").pop() ?? "";
}

/** A child with an open referral dated `on` and an assessment started by the decision. */
async function referredChild(on = "2026-02-02"): Promise<{ id: string; assessmentId: string }> {
  const id = await newChild();
  await sw.get(`/people/${id}/contacts/new`);
  const contact = await sw.post(`/people/${id}/contacts`, {
    ...dateFields("receivedOn", on),
    source: "3A",
    reasons: "GP concerned about neglect",
    children: [id],
  });
  const contactId = String(contact.headers.location).split("/").pop() ?? "";
  await tm.get(`/contacts/${contactId}`);
  const decided = await tm.post(`/contacts/${contactId}/decision`, {
    version: "1",
    decision: "assessment",
    decisionReason: "Needs assessment",
    ...dateFields("decidedOn", on),
    workerId: world.users.swA.id,
  });
  expect(decided.statusCode).toBe(303);
  const assessment = await database.db
    .selectFrom("assessment")
    .select("id")
    .where("person_id", "=", id)
    .executeTakeFirstOrThrow();
  return { id, assessmentId: assessment.id };
}

async function submit(id: string, assessmentId: string, form: Record<string, string | string[]>) {
  await sw.get(`/people/${id}/assessments/${assessmentId}`);
  return sw.post(`/people/${id}/assessments/${assessmentId}/submit`, {
    version: "1",
    ...dateFields("submittedOn", "2026-02-20"),
    analysis: "Neglect of basic care; parents engaging",
    outcome: "cin_plan",
    factors: ["2B", "6A"],
    ...form,
  });
}

describe("child and family assessments", () => {
  it("is completed by the social worker and authorised by a manager", async () => {
    const { id, assessmentId } = await referredChild();
    expect((await submit(id, assessmentId, {})).statusCode).toBe(303);
    const page = await tm.get(`/people/${id}/assessments/${assessmentId}`);
    expect(page.body).toContain("Awaiting authorisation");
    expect(page.body).toContain("2B: Drug misuse");
    const authorised = await tm.post(`/people/${id}/assessments/${assessmentId}/authorise`, {
      version: "2",
      ...dateFields("authorisedOn", "2026-02-23"),
    });
    expect(authorised.statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "assessment.authorise",
      outcome: "allowed",
      person_ids: [id],
    });
    const chronology = await sw.get(`/people/${id}/chronology`);
    expect(chronology.body).toContain("Assessment authorised");
    expect(chronology.body).toContain("Assessment completed: Child in need plan");
  });

  it("refuses 21 with other factors, and saves nothing", async () => {
    const { id, assessmentId } = await referredChild();
    const response = await submit(id, assessmentId, { factors: ["21", "3A"] });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("cannot be selected with other factors");
    const row = await database.db
      .selectFrom("assessment")
      .select(["submitted_on", "factors"])
      .where("id", "=", assessmentId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ submitted_on: null, factors: [] });
  });

  it("refuses an authorisation dated before the assessment started", async () => {
    const { id, assessmentId } = await referredChild();
    await submit(id, assessmentId, {});
    await tm.get(`/people/${id}/assessments/${assessmentId}`);
    const response = await tm.post(`/people/${id}/assessments/${assessmentId}/authorise`, {
      version: "2",
      ...dateFields("authorisedOn", "2026-01-30"),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("cannot be authorised before it started");
  });

  it("lets only a manager authorise, and refuses a stale completion", async () => {
    const { id, assessmentId } = await referredChild();
    await submit(id, assessmentId, {});
    const bySw = await sw.post(`/people/${id}/assessments/${assessmentId}/authorise`, {
      version: "2",
      ...dateFields("authorisedOn", "2026-02-23"),
    });
    expect(bySw.statusCode).toBe(404);
    const stale = await submit(id, assessmentId, {});
    expect(stale.statusCode).toBe(409);
  });

  it("shows an assessment past its due date as overdue", async () => {
    // Referred 1 Dec 2025: due 45 working days later, before 2 March 2026.
    const { id } = await referredChild("2025-12-01");
    const journey = await sw.get(`/people/${id}/journey`);
    expect(journey.body).toMatch(/Overdue/);
  });
});

describe("plans, early help and closure", () => {
  it("closes a case with a child in need plan and steps down to early help", async () => {
    const { id, assessmentId } = await referredChild();
    await submit(id, assessmentId, {});
    await tm.get(`/people/${id}/assessments/${assessmentId}`);
    await tm.post(`/people/${id}/assessments/${assessmentId}/authorise`, {
      version: "2",
      ...dateFields("authorisedOn", "2026-02-23"),
    });
    await sw.get(`/people/${id}/cin-plans/new`);
    const plan = await sw.post(
      `/people/${id}/cin-plans/new`,
      dateFields("startDate", "2026-02-24"),
    );
    expect(plan.statusCode).toBe(303);
    const form = await sw.get(`/people/${id}/close`);
    expect(form.statusCode).toBe(200);
    const closed = await sw.post(`/people/${id}/close`, {
      version: "1",
      ...dateFields("closedOn", "2026-03-02"),
      closureReason: "RC7",
      primaryNeed: "N1",
      stepDown: "yes",
    });
    expect(closed.statusCode).toBe(303);
    const referral = await database.db
      .selectFrom("referral")
      .select(["closed_on", "closure_reason", "primary_need"])
      .where("person_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(referral).toEqual({
      closed_on: "2026-03-02",
      closure_reason: "RC7",
      primary_need: "N1",
    });
    // Closing ended the worker's allocation (decision 0021): the manager still finds the child.
    expect((await sw.get(`/people/${id}/journey`)).statusCode).toBe(404);
    const journey = await tm.get(`/people/${id}/journey`);
    expect(journey.body).toContain("stepped down from children's social care");
    expect(journey.body).not.toContain("Open case since");
  });

  it("refuses to close while an assessment is unfinished, naming what to do", async () => {
    const { id } = await referredChild();
    await sw.get(`/people/${id}/close`);
    const response = await sw.post(`/people/${id}/close`, {
      version: "1",
      ...dateFields("closedOn", "2026-03-02"),
      closureReason: "RC8",
      primaryNeed: "N9",
      stepDown: "no",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("complete and authorise the assessment");
    const referral = await database.db
      .selectFrom("referral")
      .select("closed_on")
      .where("person_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(referral.closed_on).toBeNull();
  });

  it("refuses a second child in need plan and an end before the start", async () => {
    const { id } = await referredChild();
    await sw.get(`/people/${id}/cin-plans/new`);
    await sw.post(`/people/${id}/cin-plans/new`, dateFields("startDate", "2026-02-10"));
    const second = await sw.post(
      `/people/${id}/cin-plans/new`,
      dateFields("startDate", "2026-02-11"),
    );
    expect(second.statusCode).toBe(400);
    expect(second.body).toContain("already has a child in need plan");
    const plan = await database.db
      .selectFrom("cin_plan")
      .select("id")
      .where("person_id", "=", id)
      .executeTakeFirstOrThrow();
    await sw.get(`/people/${id}/cin-plans/${plan.id}/end`);
    const early = await sw.post(`/people/${id}/cin-plans/${plan.id}/end`, {
      version: "1",
      ...dateFields("endDate", "2026-02-09"),
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain("cannot end before it started");
  });

  it("refuses early help for a child with an open case, and starts it otherwise", async () => {
    const { id } = await referredChild();
    await sw.get(`/people/${id}/early-help/new`);
    const refused = await sw.post(
      `/people/${id}/early-help/new`,
      dateFields("startDate", "2026-03-02"),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("Step down by closing the case");

    const other = await newChild();
    await sw.get(`/people/${other}/early-help/new`);
    const started = await sw.post(
      `/people/${other}/early-help/new`,
      dateFields("startDate", "2026-03-02"),
    );
    expect(started.statusCode).toBe(303);
  });

  it("refuses steps from those who may only read", async () => {
    const { id } = await referredChild();
    for (const user of ["adultSpecialistA", "businessSupportA"] as const) {
      const client = await signIn(app, world.users[user].email);
      await client.get(`/people/${id}/journey`);
      const response = await client.post(
        `/people/${id}/cin-plans/new`,
        dateFields("startDate", "2026-03-02"),
      );
      expect(response.statusCode, user).toBe(404);
    }
    const swB = await signIn(app, world.users.swB.email);
    expect((await swB.get(`/people/${id}/journey`)).statusCode).toBe(404);
    expect((await swB.get(`/people/${id}/chronology`)).statusCode).toBe(404);
  });

  it("computes a re-referral: a new referral within 12 months of the last", async () => {
    const { id, assessmentId } = await referredChild("2025-06-02");
    await submit(id, assessmentId, {
      ...dateFields("submittedOn", "2025-07-01"),
      outcome: "no_further_action",
      factors: ["21"],
    });
    await tm.get(`/people/${id}/assessments/${assessmentId}`);
    await tm.post(`/people/${id}/assessments/${assessmentId}/authorise`, {
      version: "2",
      ...dateFields("authorisedOn", "2025-07-02"),
    });
    await sw.get(`/people/${id}/close`);
    const closed = await sw.post(`/people/${id}/close`, {
      version: "1",
      ...dateFields("closedOn", "2025-07-03"),
      closureReason: "RC8",
      primaryNeed: "N9",
      stepDown: "no",
    });
    expect(closed.statusCode).toBe(303);
    // The case closed, so only the team manager (not the ex-worker) records the new contact.
    await tm.get(`/people/${id}/contacts/new`);
    const contact = await tm.post(`/people/${id}/contacts`, {
      ...dateFields("receivedOn", "2026-03-02"),
      source: "6",
      reasons: "Police notification",
      children: [id],
    });
    const contactId = String(contact.headers.location).split("/").pop() ?? "";
    await tm.get(`/contacts/${contactId}`);
    await tm.post(`/contacts/${contactId}/decision`, {
      version: "1",
      decision: "strategy_discussion",
      decisionReason: "Significant harm suspected",
      ...dateFields("decidedOn", "2026-03-02"),
      workerId: world.users.swA.id,
    });
    const contactPage = await tm.get(`/contacts/${contactId}`);
    expect(contactPage.body).toContain("Re-referral within 12 months");
    const journey = await sw.get(`/people/${id}/journey`);
    expect(journey.body).toContain("Re-referral within 12 months");
    const record = await sw.get(`/people/${id}`);
    expect(record.body).toContain("Re-referral within 12 months");
  });
});

describe("the chronology", () => {
  it("filters by agency and type, and shows each entry's agency", async () => {
    const { id } = await referredChild();
    const all = await sw.get(`/people/${id}/chronology`);
    expect(all.body).toContain("Contact received");
    expect(all.body).toContain("from Testshire Children&#39;s Services");
    const assessments = await sw.get(`/people/${id}/chronology?type=assessment`);
    expect(assessments.body).toContain("Assessment started");
    expect(assessments.body).not.toContain("Contact received");
    const police = await sw.get(`/people/${id}/chronology?agency=${world.orgs.police}`);
    expect(police.body).toContain("0 events matching the filters");
    expect(await latestAudit(database)).toMatchObject({
      action: "chronology.view",
      person_ids: [id],
    });
  });

  it("shows the most recent 500 events first, and all of them on request", async () => {
    const id = await newChild();
    await database.db
      .insertInto("chronology_entry")
      .values(
        Array.from({ length: 520 }, (_, i) => ({
          la_id: world.laId,
          person_id: id,
          occurred_on: `2025-${String((i % 12) + 1).padStart(2, "0")}-10`,
          kind: "case_note",
          summary: `Synthetic note ${String(i)}`,
          organisation_id: world.orgs.la,
          recorded_by: world.users.swA.id,
        })),
      )
      .execute();
    const items = (body: string) => body.split('class="moj-timeline__item"').length - 1;
    const recent = await sw.get(`/people/${id}/chronology`);
    expect(items(recent.body)).toBe(500);
    expect(recent.body).toContain("More than 500 events");
    expect(recent.body).toContain("Show all events");
    const all = await sw.get(`/people/${id}/chronology?all=1`);
    // 520 notes and the "record created" entry.
    expect(items(all.body)).toBe(521);
    expect(all.body).not.toContain("Show all events");
  });
});
