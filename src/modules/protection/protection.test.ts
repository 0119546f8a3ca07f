import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { dateFields, openEpisode, strategyForm, summaryValues } from "./test-support.ts";

// The test clock says Monday 2 March 2026.
let database: Database;
let world: World;
let app: FastifyInstance;
let childA1: string;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  childA1 = world.people.childA1;
  await openEpisode(database.db, world, childA1, "2026-02-02");
});

const db = () => database.db;

async function onlyS47(personId: string) {
  return db()
    .selectFrom("s47_enquiry")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("started_on", "desc")
    .executeTakeFirstOrThrow();
}

async function openPlan(personId: string) {
  return db()
    .selectFrom("cp_plan")
    .selectAll()
    .where("person_id", "=", personId)
    .where("end_date", "is", null)
    .executeTakeFirstOrThrow();
}

async function expectSaved(response: { statusCode: number; headers: Record<string, unknown> }) {
  expect(response.statusCode).toBe(303);
  expect(response.headers.location).toBe(`/people/${childA1}/protection`);
  expect(await latestAudit(database)).toMatchObject({
    action: "protection.record",
    outcome: "allowed",
    person_ids: [childA1],
  });
}

describe("the child protection journey for the allocated social worker", () => {
  let sw: Client;

  beforeAll(async () => {
    sw = await signIn(app, world.users.swA.email);
  });

  it("records a strategy discussion with all 3 partners, which starts a section 47 enquiry", async () => {
    const page = await sw.get(`/people/${childA1}/protection`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("No strategy discussions recorded");
    expect(page.body).toContain(`href="/people/${childA1}/strategy-discussions/new"`);
    expect(await latestAudit(database)).toMatchObject({
      action: "protection.view",
      outcome: "allowed",
      person_ids: [childA1],
    });

    const form = await sw.get(`/people/${childA1}/strategy-discussions/new`);
    expect(form.statusCode).toBe(200);
    for (let i = 0; i < 6; i++) expect(form.body).toContain(`id="attendee-${String(i)}-agency"`);

    await expectSaved(
      await sw.post(`/people/${childA1}/strategy-discussions`, strategyForm("2026-02-10")),
    );
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({
      subject_type: "strategy_discussion",
      summary: { outcome: "s47", attendees: 3, allStatutoryPartners: true },
    });
    // No names or free text reach the audit log.
    expect(JSON.stringify(audit.summary)).not.toMatch(/Testworker|bruising/);

    const attendees = await db()
      .selectFrom("strategy_attendee")
      .select(["agency_kind", "name", "role"])
      .orderBy("agency_kind")
      .execute();
    expect(attendees).toEqual([
      { agency_kind: "health", name: "Dr Robin Example", role: "Named doctor" },
      { agency_kind: "la_childrens_services", name: "Sam Testworker", role: "Social worker" },
      { agency_kind: "police", name: "PC Alex Testcase", role: "" },
    ]);
    const s47 = await onlyS47(childA1);
    expect(s47).toMatchObject({
      started_on: "2026-02-10",
      icpc_due_on: "2026-03-03",
      outcome: null,
      version: 1,
    });

    const after = await sw.get(`/people/${childA1}/protection`);
    expect(summaryValues(after.body, "All 3 statutory partners")).toEqual(["Yes"]);
    expect(after.body).toContain("3 March 2026");
    expect(after.body).toContain(`/people/${childA1}/s47/${s47.id}/complete`);
    expect(after.body).not.toContain("Overdue");
  });

  it("records the enquiry's outcome, then the ICPC that starts a plan, in one save", async () => {
    const s47 = await onlyS47(childA1);
    const form = await sw.get(`/people/${childA1}/s47/${s47.id}/complete`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="version" value="1"');
    await expectSaved(
      await sw.post(`/people/${childA1}/s47/${s47.id}/complete`, {
        ...dateFields("completedOn", "2026-02-20"),
        outcome: "icpc",
        findings: "Synthetic: concerns substantiated",
        version: "1",
      }),
    );
    expect(await onlyS47(childA1)).toMatchObject({
      completed_on: "2026-02-20",
      outcome: "icpc",
      version: 2,
    });

    const icpcForm = await sw.get(`/people/${childA1}/conferences/new?s47=${s47.id}`);
    expect(icpcForm.statusCode).toBe(200);
    expect(icpcForm.body).toContain('name="s47Id"');
    await expectSaved(
      await sw.post(`/people/${childA1}/conferences`, {
        s47Id: s47.id,
        ...dateFields("heldOn", "2026-02-27"),
        decision: "plan",
        category: "NEG",
      }),
    );
    expect(await latestAudit(database)).toMatchObject({
      subject_type: "cp_conference",
      summary: { kind: "initial", decision: "plan" },
    });
    const plan = await openPlan(childA1);
    expect(plan).toMatchObject({
      start_date: "2026-02-27",
      initial_category: "NEG",
      latest_category: "NEG",
      next_review_due: "2026-05-27",
      end_date: null,
    });
    const conference = await db()
      .selectFrom("cp_conference")
      .selectAll()
      .where("id", "=", plan.icpc_id)
      .executeTakeFirstOrThrow();
    expect(conference).toMatchObject({
      kind: "initial",
      s47_enquiry_id: s47.id,
      cp_plan_id: plan.id,
      held_on: "2026-02-27",
      due_on: "2026-03-03",
      decision: "plan",
      category: "NEG",
    });

    const page = await sw.get(`/people/${childA1}/protection`);
    expect(page.body).toContain("Open plan started 27 February 2026");
    expect(page.body).toContain("Neglect");
    expect(page.body).toContain("27 May 2026");
    expect(page.body).toContain("the first is due by 13 March 2026");
    expect(page.body).toContain(`/people/${childA1}/conferences/new?plan=${plan.id}`);
  });

  it("records a core group and reviews that continue, then end, the plan", async () => {
    const plan = await openPlan(childA1);
    expect(
      (await sw.get(`/people/${childA1}/cp-plans/${plan.id}/core-groups/new`)).statusCode,
    ).toBe(200);
    await expectSaved(
      await sw.post(
        `/people/${childA1}/cp-plans/${plan.id}/core-groups`,
        dateFields("heldOn", "2026-03-02"),
      ),
    );
    expect(await latestAudit(database)).toMatchObject({
      subject_type: "core_group",
      summary: { cpPlan: plan.id, first: true },
    });

    const reviewForm = await sw.get(`/people/${childA1}/conferences/new?plan=${plan.id}`);
    expect(reviewForm.statusCode).toBe(200);
    expect(reviewForm.body).toContain('name="version" value="1"');
    await expectSaved(
      await sw.post(`/people/${childA1}/conferences`, {
        planId: plan.id,
        version: "1",
        ...dateFields("heldOn", "2026-03-02"),
        decision: "continue",
        category: "EMO",
      }),
    );
    expect(await openPlan(childA1)).toMatchObject({
      initial_category: "NEG",
      latest_category: "EMO",
      next_review_due: "2026-09-02",
      version: 2,
    });

    await expectSaved(
      await sw.post(`/people/${childA1}/conferences`, {
        planId: plan.id,
        version: "2",
        ...dateFields("heldOn", "2026-03-02"),
        decision: "end",
        endReason: "step_down_cin",
      }),
    );
    const ended = await db()
      .selectFrom("cp_plan")
      .selectAll()
      .where("id", "=", plan.id)
      .executeTakeFirstOrThrow();
    expect(ended).toMatchObject({
      end_date: "2026-03-02",
      end_reason: "step_down_cin",
      next_review_due: null,
      latest_category: "EMO",
      version: 3,
    });
    const page = await sw.get(`/people/${childA1}/protection`);
    expect(page.body).toContain("Ended plan started 27 February 2026");
    expect(page.body).toContain("stepped down to a child in need plan");
    expect(page.body).toContain("Emotional abuse");
    expect(page.body).not.toContain(`/people/${childA1}/conferences/new?plan=`);
  });

  it("puts each step on the chronology with a short factual summary", async () => {
    const entries = await db()
      .selectFrom("chronology_entry")
      .select(["kind", "summary", "occurred_on", "subject_type"])
      .where("person_id", "=", childA1)
      .where("kind", "!=", "referral")
      .orderBy("occurred_on")
      .orderBy("recorded_at")
      .execute();
    expect(entries.map((e) => [e.occurred_on, e.kind, e.summary])).toEqual([
      [
        "2026-02-10",
        "strategy_discussion",
        "Strategy discussion: section 47 enquiry to start; all 3 statutory partners attended",
      ],
      [
        "2026-02-10",
        "s47_started",
        "Section 47 enquiry started; initial child protection conference due by 3 March 2026",
      ],
      [
        "2026-02-20",
        "s47_completed",
        "Section 47 enquiry completed: an initial child protection conference is needed",
      ],
      [
        "2026-02-27",
        "icpc",
        "Initial child protection conference: child protection plan (Neglect); held within 15 working days",
      ],
      [
        "2026-02-27",
        "cp_plan_started",
        "Child protection plan started (Neglect); first review conference due by 27 May 2026; first core group due by 13 March 2026",
      ],
      [
        "2026-03-02",
        "core_group",
        "First core group meeting of the child protection plan (due by 13 March 2026)",
      ],
      [
        "2026-03-02",
        "cp_review",
        "Child protection review conference: the plan continues (Emotional abuse); next review due by 2 September 2026",
      ],
      ["2026-03-02", "cp_review", "Child protection review conference: the plan ends"],
      [
        "2026-03-02",
        "cp_plan_ended",
        "Child protection plan ended: No longer at risk of significant harm: stepped down to a child in need plan",
      ],
    ]);
    expect(entries.every((e) => e.subject_type !== null)).toBe(true);
  });

  it("counts the earlier plan when the child is put on a second plan", async () => {
    await expectSaved(
      await sw.post(
        `/people/${childA1}/strategy-discussions`,
        strategyForm("2026-03-02", { "attendee-2-agency": "education" }),
      ),
    );
    expect(await latestAudit(database)).toMatchObject({
      summary: { allStatutoryPartners: false },
    });
    const s47 = await onlyS47(childA1);
    expect(s47.started_on).toBe("2026-03-02");
    await sw.post(`/people/${childA1}/s47/${s47.id}/complete`, {
      ...dateFields("completedOn", "2026-03-02"),
      outcome: "icpc",
      findings: "Synthetic: further concerns",
      version: "1",
    });
    await expectSaved(
      await sw.post(`/people/${childA1}/conferences`, {
        s47Id: s47.id,
        ...dateFields("heldOn", "2026-03-02"),
        decision: "plan",
        category: "PHY",
      }),
    );
    const page = await sw.get(`/people/${childA1}/protection`);
    expect(summaryValues(page.body, "All 3 statutory partners")).toEqual(["No", "Yes"]);
    expect(summaryValues(page.body, "Previous child protection plans")).toEqual(["1", "0"]);
    const summary = await db()
      .selectFrom("chronology_entry")
      .select("summary")
      .where("person_id", "=", childA1)
      .where("kind", "=", "strategy_discussion")
      .where("occurred_on", "=", "2026-03-02")
      .executeTakeFirstOrThrow();
    expect(summary.summary).toBe(
      "Strategy discussion: section 47 enquiry to start; not all 3 statutory partners attended (missing: Health (NHS))",
    );
  });
});
