/**
 * Every decision creates the next step (decision 0020): each outcome of a contact decision, a
 * section 47 enquiry, a conference and an authorised assessment puts an item in the worker's
 * My work, the manager's team tray and the child's journey page, and the item goes when the
 * record it asks for is made. Work left unallocated waits on the team's queue, from which the
 * manager allocates it. Another team's worker and a partner agency see none of it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { dateFields } from "../../../test/support/forms.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { workLabels, type WorkKind } from "../../domain/work.ts";
import { addWorkingDays } from "../../domain/working-days.ts";
import type { Database } from "../../platform/database.ts";
import { addStaff } from "../caseloads/test-support.ts";
import { strategyForm } from "../protection/test-support.ts";

// The test clock reads Monday 2 March 2026.
const TODAY = "2026-03-02";
let database: Database;
let world: World;
let app: FastifyInstance;
let sw: Client;
let tm: Client;
let swB: Client;
let police: Client;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  sw = await signIn(app, world.users.swA.email);
  tm = await signIn(app, world.users.tmA.email);
  swB = await signIn(app, world.users.swB.email);
  police = await signIn(app, world.users.police.email);
});

const idFrom = (location: unknown) => String(location).split("/").pop() ?? "";
const escaped = (text: string) => text.replace(/'/g, "&#39;");

let childCount = 0;
/** A new child, added by swA (so allocated to swA in team A). */
async function newChild(): Promise<{ id: string; name: string }> {
  childCount++;
  const givenName = `Worky${String(childCount)}`;
  await sw.get("/people/new");
  const response = await sw.post("/people", {
    givenName,
    familyName: "Next",
    ...dateFields("dateOfBirth", "2016-04-01"),
    nhsNumberException: "unknown_delay",
    nhsNumberExceptionNote: "Not known yet",
  });
  return { id: idFrom(response.headers.location), name: `${givenName} Next` };
}

async function decide(
  childId: string,
  decision: string,
  workerId: string | undefined,
  manager = tm,
): Promise<string> {
  const contact = await database.db
    .insertInto("contact")
    .values({
      la_id: world.laId,
      received_on: TODAY,
      source: "2A",
      reasons: "Synthetic: school concern",
      decision_due_on: addWorkingDays(TODAY, 1),
      recorded_by: world.users.swA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto("contact_child")
    .values({ contact_id: contact.id, person_id: childId, la_id: world.laId })
    .execute();
  await manager.get(`/contacts/${contact.id}`);
  const response = await manager.post(`/contacts/${contact.id}/decision`, {
    version: "1",
    decision,
    decisionReason: "Synthetic reason",
    ...dateFields("decidedOn", TODAY),
    ...(workerId ? { workerId } : {}),
  });
  expect(response.statusCode, response.body).toBe(303);
  return contact.id;
}

async function openItem(childId: string, kind: WorkKind) {
  return database.db
    .selectFrom("work_item")
    .selectAll()
    .where("person_id", "=", childId)
    .where("kind", "=", kind)
    .where("done_on", "is", null)
    .where("cancelled_reason", "is", null)
    .executeTakeFirst();
}

/** The item is in the worker's My work, the manager's team tray and on the journey page. */
async function expectShown(child: { id: string; name: string }, kind: WorkKind, worker = sw) {
  const label = escaped(workLabels[kind]);
  const item = await openItem(child.id, kind);
  expect(item, `an open ${kind} item`).toBeDefined();
  const mine = await worker.get("/my-work");
  expect(mine.body, `${kind} in My work`).toContain(label);
  expect(mine.body).toContain(child.name);
  const team = await tm.get("/my-team");
  expect(team.body, `${kind} in the team tray`).toContain(label);
  const journey = await tm.get(`/people/${child.id}/journey`);
  const steps = journey.body.slice(journey.body.indexOf('data-testid="next-steps"'));
  expect(journey.body).toContain('data-testid="next-steps"');
  expect(steps, `${kind} on the journey`).toContain(label);
  // Another team's worker and a partner agency see nothing of it.
  expect((await swB.get("/my-work")).body).not.toContain(child.name);
  expect((await swB.get(`/people/${child.id}/journey`)).statusCode).toBe(404);
  expect((await police.get(`/people/${child.id}/journey`)).statusCode).toBe(404);
  expect((await police.get("/my-work")).statusCode).toBe(404);
  return item;
}

/** Once done, the item is in none of the three places. */
async function expectGone(child: { id: string; name: string }, kind: WorkKind, worker = sw) {
  const label = escaped(workLabels[kind]);
  expect(await openItem(child.id, kind)).toBeUndefined();
  const rowsFor = (body: string) =>
    body.split("<tr").filter((row) => row.includes(child.name) && row.includes(label));
  expect(rowsFor((await worker.get("/my-work")).body)).toEqual([]);
  expect(rowsFor((await tm.get("/my-team")).body)).toEqual([]);
  const journey = await tm.get(`/people/${child.id}/journey`);
  const steps = journey.body.split('data-testid="next-steps"')[1] ?? "";
  expect(steps.split("</table>")[0] ?? "").not.toContain(label);
}

async function recordDone(child: { id: string }, itemId: string) {
  await sw.get(`/people/${child.id}/work/${itemId}/done`);
  const done = await sw.post(`/people/${child.id}/work/${itemId}/done`, {
    ...dateFields("doneOn", TODAY),
    note: "Spoke to the referrer and explained the decision",
  });
  expect(done.statusCode, done.body).toBe(303);
}

async function strategyDiscussion(child: { id: string }, outcome = "s47") {
  await sw.get(`/people/${child.id}/strategy-discussions/new`);
  const saved = await sw.post(
    `/people/${child.id}/strategy-discussions`,
    strategyForm(TODAY, { outcome }),
  );
  expect(saved.statusCode, saved.body).toBe(303);
}

async function s47Of(childId: string) {
  return database.db
    .selectFrom("s47_enquiry")
    .select(["id", "version"])
    .where("person_id", "=", childId)
    .executeTakeFirstOrThrow();
}

async function completeS47(child: { id: string }, outcome: "icpc" | "no_icpc") {
  const s47 = await s47Of(child.id);
  await sw.get(`/people/${child.id}/s47/${s47.id}/complete`);
  const done = await sw.post(`/people/${child.id}/s47/${s47.id}/complete`, {
    version: String(s47.version),
    ...dateFields("completedOn", TODAY),
    outcome,
    findings: "Synthetic findings",
  });
  expect(done.statusCode, done.body).toBe(303);
}

async function initialConference(child: { id: string }, decision: "plan" | "no_plan") {
  const s47 = await s47Of(child.id);
  await sw.get(`/people/${child.id}/conferences/new?s47=${s47.id}`);
  const held = await sw.post(`/people/${child.id}/conferences`, {
    s47Id: s47.id,
    ...dateFields("heldOn", TODAY),
    decision,
    ...(decision === "plan" ? { category: "NEG" } : {}),
  });
  expect(held.statusCode, held.body).toBe(303);
}

async function closeCase(child: { id: string }, client = sw) {
  const referral = await database.db
    .selectFrom("referral")
    .select("version")
    .where("person_id", "=", child.id)
    .where("closed_on", "is", null)
    .executeTakeFirstOrThrow();
  await client.get(`/people/${child.id}/close`);
  const closed = await client.post(`/people/${child.id}/close`, {
    version: String(referral.version),
    ...dateFields("closedOn", TODAY),
    closureReason: "RC8",
    primaryNeed: "N1",
    stepDown: "no",
  });
  expect(closed.statusCode, closed.body).toBe(303);
}

async function startCinPlan(child: { id: string }) {
  await sw.get(`/people/${child.id}/cin-plans/new`);
  const plan = await sw.post(`/people/${child.id}/cin-plans/new`, dateFields("startDate", TODAY));
  expect(plan.statusCode, plan.body).toBe(303);
}

describe("contact decisions", () => {
  it("no further action: the referrer is told, recorded as a case note", async () => {
    const child = await newChild();
    await decide(child.id, "no_further_action", undefined);
    const item = await expectShown(child, "feedback_to_referrer");
    expect(item?.worker_id).toBe(world.users.swA.id);
    expect(item?.due_on).toBe(addWorkingDays(TODAY, 1));
    await recordDone(child, item?.id ?? "");
    await expectGone(child, "feedback_to_referrer");
    const note = await database.db
      .selectFrom("case_note")
      .select("note")
      .where("person_id", "=", child.id)
      .executeTakeFirstOrThrow();
    expect(note.note).toContain("Spoke to the referrer");
  });

  it("early help: first contact with the family", async () => {
    const child = await newChild();
    await decide(child.id, "early_help", undefined);
    const item = await expectShown(child, "early_help");
    await recordDone(child, item?.id ?? "");
    await expectGone(child, "early_help");
  });

  it("child and family assessment: in place of the derived item, done when submitted", async () => {
    const child = await newChild();
    await decide(child.id, "assessment", world.users.swA.id);
    const item = await expectShown(child, "assessment");
    expect(item?.due_on).toBe(addWorkingDays(TODAY, 45));
    expect((await sw.get("/my-work")).body).not.toContain("Assessment to complete");
    const assessment = await database.db
      .selectFrom("assessment")
      .select("id")
      .where("person_id", "=", child.id)
      .executeTakeFirstOrThrow();
    await sw.get(`/people/${child.id}/assessments/${assessment.id}`);
    const submitted = await sw.post(`/people/${child.id}/assessments/${assessment.id}/submit`, {
      version: "1",
      ...dateFields("submittedOn", TODAY),
      analysis: "Synthetic analysis",
      outcome: "cin_plan",
      factors: ["2B"],
    });
    expect(submitted.statusCode, submitted.body).toBe(303);
    await expectGone(child, "assessment");
  });

  it("strategy discussion: due the next working day, or as the council sets", async () => {
    const child = await newChild();
    await decide(child.id, "strategy_discussion", world.users.swA.id);
    const item = await expectShown(child, "strategy_discussion");
    expect(item?.due_on).toBe("2026-03-03");
    await strategyDiscussion(child);
    await expectGone(child, "strategy_discussion");

    await database.db
      .updateTable("local_authority")
      .set({ strategy_discussion_working_days: 3 })
      .where("id", "=", world.laId)
      .execute();
    const later = await newChild();
    await decide(later.id, "strategy_discussion", world.users.swA.id);
    expect((await openItem(later.id, "strategy_discussion"))?.due_on).toBe("2026-03-05");
    await database.db
      .updateTable("local_authority")
      .set({ strategy_discussion_working_days: 1 })
      .where("id", "=", world.laId)
      .execute();
  });
});

describe("after a section 47 enquiry and a conference", () => {
  it("ICPC needed, then a plan: the conference to arrange, then the first core group", async () => {
    const child = await newChild();
    await decide(child.id, "strategy_discussion", world.users.swA.id);
    await strategyDiscussion(child);
    await completeS47(child, "icpc");
    const icpc = await expectShown(child, "icpc");
    expect(icpc?.due_on).toBe(addWorkingDays(TODAY, 15));
    // One item, not the derived one as well.
    const tray = (await sw.get("/my-work")).body;
    expect(tray).not.toContain("Initial child protection conference<");
    await initialConference(child, "plan");
    await expectGone(child, "icpc");
    const coreGroup = await expectShown(child, "core_group");
    expect(coreGroup?.due_on).toBe(addWorkingDays(TODAY, 10));
    const plan = await database.db
      .selectFrom("cp_plan")
      .select(["id", "version"])
      .where("person_id", "=", child.id)
      .executeTakeFirstOrThrow();
    await sw.get(`/people/${child.id}/cp-plans/${plan.id}/core-groups/new`);
    const met = await sw.post(
      `/people/${child.id}/cp-plans/${plan.id}/core-groups`,
      dateFields("heldOn", TODAY),
    );
    expect(met.statusCode, met.body).toBe(303);
    await expectGone(child, "core_group");

    // A review conference that ends the plan: decide a child in need plan or closure.
    await sw.get(`/people/${child.id}/conferences/new?plan=${plan.id}`);
    const review = await sw.post(`/people/${child.id}/conferences`, {
      planId: plan.id,
      version: String(plan.version),
      ...dateFields("heldOn", TODAY),
      decision: "end",
      endReason: "step_down_cin",
    });
    expect(review.statusCode, review.body).toBe(303);
    await expectShown(child, "plan_or_close");
    await startCinPlan(child);
    await expectGone(child, "plan_or_close");
  });

  it("no ICPC: a child in need plan or closing the case, done by the plan", async () => {
    const child = await newChild();
    await decide(child.id, "strategy_discussion", world.users.swA.id);
    await strategyDiscussion(child);
    await completeS47(child, "no_icpc");
    await expectShown(child, "plan_or_close");
    await startCinPlan(child);
    await expectGone(child, "plan_or_close");
  });

  it("an ICPC with no plan: the same next step, done by closing the case", async () => {
    const child = await newChild();
    await decide(child.id, "strategy_discussion", world.users.swA.id);
    await strategyDiscussion(child);
    await completeS47(child, "icpc");
    await initialConference(child, "no_plan");
    await expectShown(child, "plan_or_close");
    await closeCase(child);
    expect(await openItem(child.id, "plan_or_close")).toBeUndefined();
    const done = await database.db
      .selectFrom("work_item")
      .select(["done_subject_type", "done_on"])
      .where("person_id", "=", child.id)
      .where("kind", "=", "plan_or_close")
      .executeTakeFirstOrThrow();
    expect(done).toEqual({ done_subject_type: "referral", done_on: TODAY });
  });
});

describe("after an assessment is authorised", () => {
  async function authorised(outcome: string) {
    const child = await newChild();
    await decide(child.id, "assessment", world.users.swA.id);
    const assessment = await database.db
      .selectFrom("assessment")
      .select("id")
      .where("person_id", "=", child.id)
      .executeTakeFirstOrThrow();
    await sw.get(`/people/${child.id}/assessments/${assessment.id}`);
    await sw.post(`/people/${child.id}/assessments/${assessment.id}/submit`, {
      version: "1",
      ...dateFields("submittedOn", TODAY),
      analysis: "Synthetic analysis",
      outcome,
      factors: ["2B"],
    });
    await tm.get(`/people/${child.id}/assessments/${assessment.id}`);
    const done = await tm.post(`/people/${child.id}/assessments/${assessment.id}/authorise`, {
      version: "2",
      ...dateFields("authorisedOn", TODAY),
    });
    expect(done.statusCode, done.body).toBe(303);
    return child;
  }

  it.each(["no_further_action", "early_help"])("%s: close the case", async (outcome) => {
    const child = await authorised(outcome);
    await expectShown(child, "close_case");
    await closeCase(child);
    expect(await openItem(child.id, "close_case")).toBeUndefined();
  });

  it("child in need plan: start it", async () => {
    const child = await authorised("cin_plan");
    await expectShown(child, "cin_plan");
    await startCinPlan(child);
    await expectGone(child, "cin_plan");
  });

  it("strategy discussion: hold it", async () => {
    const child = await authorised("strategy_discussion");
    await expectShown(child, "strategy_discussion");
    await strategyDiscussion(child, "no_s47");
    await expectGone(child, "strategy_discussion");
  });

  it("looked after: record the period of care", async () => {
    const child = await authorised("looked_after");
    await expectShown(child, "looked_after");
    const started = await sw.post(`/people/${child.id}/looked-after/episodes`, {
      ...dateFields("startDate", TODAY),
      legalStatus: "C1",
      placementType: "U6",
      placementProvider: "PR1",
      placementPostcode: "ts2 2bb",
    });
    expect(started.statusCode, started.body).toBe(303);
    await expectGone(child, "looked_after");
  });
});

describe("who does not see the work", () => {
  it("keeps it from a partner agency the record is shared with", async () => {
    const child = { id: world.people.childA1, name: "Amelia Hartley" };
    await decide(child.id, "strategy_discussion", world.users.swA.id);
    expect(await openItem(child.id, "strategy_discussion")).toBeDefined();
    const ours = await tm.get(`/people/${child.id}/journey`);
    expect(ours.body).toContain(escaped(workLabels.strategy_discussion));
    const journey = await police.get(`/people/${child.id}/journey`);
    expect(journey.statusCode).toBe(200);
    expect(journey.body).not.toContain("next-steps");
    expect(journey.body).not.toContain(escaped(workLabels.strategy_discussion));
  });
});

describe("the team's unallocated queue", () => {
  it("holds work a front door decision left unallocated, until the manager allocates it", async () => {
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
    const fdManager = await addStaff(database.db, world, "fd.tm@test.example", "team_manager", [
      frontDoor.id,
    ]);
    const fdWorker = await addStaff(database.db, world, "fd.sw@test.example", "social_worker", [
      frontDoor.id,
    ]);
    const fdTm = await signIn(app, fdManager.email);
    const fdSw = await signIn(app, fdWorker.email);
    // Theo is allocated to nobody: only the front door finds him, through the contact.
    const theo = { id: world.people.unallocated, name: "Theo Marsden" };
    await decide(theo.id, "strategy_discussion", undefined, fdTm);
    const item = await openItem(theo.id, "strategy_discussion");
    expect(item).toMatchObject({ team_id: frontDoor.id, worker_id: null });

    const queue = await fdTm.get("/my-team/unallocated");
    expect(queue.statusCode).toBe(200);
    expect(await latestAudit(database)).toMatchObject({
      action: "work.unallocated",
      person_ids: [theo.id],
    });
    const row = queue.body.split('data-testid="queue-item"')[1] ?? "";
    expect(row).toContain("Theo Marsden");
    expect(row).toContain(escaped(workLabels.strategy_discussion));
    expect(row).toContain("0 days");
    expect(row).toContain('data-rag="amber"');
    expect((await fdTm.get("/my-team")).body).toContain("Unallocated (Front Door)");
    // Team A's manager and another team's worker see nothing of it.
    expect((await tm.get("/my-team/unallocated")).body).not.toContain("Theo Marsden");
    expect((await swB.get("/my-team/unallocated")).statusCode).toBe(404);
    expect((await sw.get(`/people/${theo.id}/journey`)).statusCode).toBe(404);

    // A worker outside the item's team is refused, and nothing changes.
    const refused = await fdTm.post(`/people/${theo.id}/work/${item?.id ?? ""}/allocate`, {
      workerId: world.users.swA.id,
    });
    expect(refused.statusCode).toBe(400);
    expect((await openItem(theo.id, "strategy_discussion"))?.worker_id).toBeNull();
    // Another team's manager cannot allocate it: Theo is not theirs to see.
    const tmB = await addStaff(database.db, world, "tm.b2@test.example", "team_manager", [
      world.teams.fsB,
    ]);
    const otherManager = await signIn(app, tmB.email);
    const notTheirs = await otherManager.post(
      `/people/${theo.id}/work/${item?.id ?? ""}/allocate`,
      { workerId: world.users.swB.id },
    );
    expect(notTheirs.statusCode).toBe(404);

    const allocated = await fdTm.post(`/people/${theo.id}/work/${item?.id ?? ""}/allocate`, {
      workerId: fdWorker.id,
    });
    expect(allocated.statusCode, allocated.body).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "work.allocate",
      outcome: "allowed",
    });
    expect((await fdTm.get("/my-team/unallocated")).body).toContain('data-testid="queue-empty"');
    const mine = await fdSw.get("/my-work");
    expect(mine.body).toContain(escaped(workLabels.strategy_discussion));
    expect(mine.body).toContain("Theo Marsden");
    await fdSw.get(`/people/${theo.id}/strategy-discussions/new`);
    const held = await fdSw.post(
      `/people/${theo.id}/strategy-discussions`,
      strategyForm(TODAY, { outcome: "no_s47" }),
    );
    expect(held.statusCode, held.body).toBe(303);
    expect(await openItem(theo.id, "strategy_discussion")).toBeUndefined();
    expect((await fdSw.get("/my-work")).body).not.toContain(
      escaped(workLabels.strategy_discussion),
    );
  });

  it("puts an ended worker's open work back on the queue, and a reallocation hands it on", async () => {
    const child = await newChild();
    await decide(child.id, "strategy_discussion", world.users.swA.id);
    const swA2 = await addStaff(database.db, world, "sw.a2@test.example", "social_worker", [
      world.teams.fsA,
    ]);
    const allocation = await database.db
      .selectFrom("allocation")
      .select("id")
      .where("person_id", "=", child.id)
      .where("worker_id", "=", world.users.swA.id)
      .executeTakeFirstOrThrow();
    await tm.get(`/people/${child.id}/allocations/reallocate`);
    const moved = await tm.post(`/people/${child.id}/allocations/reallocate`, {
      allocationId: allocation.id,
      workerId: swA2.id,
      reason: "MANAGE",
      ...dateFields("date", TODAY),
    });
    expect(moved.statusCode, moved.body).toBe(303);
    expect((await openItem(child.id, "strategy_discussion"))?.worker_id).toBe(swA2.id);
    const current = await database.db
      .selectFrom("allocation")
      .select("id")
      .where("person_id", "=", child.id)
      .where("worker_id", "=", swA2.id)
      .executeTakeFirstOrThrow();
    await tm.get(`/people/${child.id}/allocations/${current.id}/end`);
    const ended = await tm.post(`/people/${child.id}/allocations/${current.id}/end`, {
      ...dateFields("endDate", TODAY),
      note: "Worker moving to another team",
    });
    expect(ended.statusCode, ended.body).toBe(303);
    expect((await openItem(child.id, "strategy_discussion"))?.worker_id).toBeNull();
    expect((await tm.get("/my-team/unallocated")).body).toContain(child.name);
  });
});
