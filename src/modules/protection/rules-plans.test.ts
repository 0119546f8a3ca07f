import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { useRulesHarness } from "./rules-harness.ts";
import { dateFields, openEpisode } from "./test-support.ts";

// The conference, plan and core group rules, through the routes. Each refusal must name the
// field, save nothing and be audited as failed. Today is Monday 2 March 2026.
const h = useRulesHarness();
const { url, counts, expectRefused, latestS47, s47NeedingIcpc, planOf } = h;
let database: Database;
let world: World;
let sw: Client;
let child: string;

beforeAll(async () => {
  ({ database, world, sw, child } = h);
  await openEpisode(database.db, world, child, "2026-02-02");
});

describe("initial conference rules", () => {
  let s47Id: string;

  it("refuses a conference before the enquiry started, and a plan without a category", async () => {
    s47Id = await s47NeedingIcpc("2026-02-16");
    const post = (form: Record<string, string>) => () =>
      sw.post(url("/conferences"), { s47Id, ...form });
    await expectRefused(
      post({ ...dateFields("heldOn", "2026-02-13"), decision: "plan", category: "NEG" }),
      ["heldOn-day"],
      "The conference cannot be before the section 47 enquiry started (16 February 2026)",
    );
    await expectRefused(post({ ...dateFields("heldOn", "2026-02-18"), decision: "plan" }), [
      "category",
    ]);
    await expectRefused(post({}), ["heldOn-day", "decision"]);
  });

  it("starts no plan when the conference decides against one, and holds one ICPC per enquiry", async () => {
    const before = await counts();
    const done = await sw.post(url("/conferences"), {
      s47Id,
      ...dateFields("heldOn", "2026-02-18"),
      decision: "no_plan",
      category: "NEG",
    });
    expect(done.statusCode).toBe(303);
    expect(await counts()).toMatchObject({
      conferences: before.conferences + 1,
      plans: before.plans,
    });
    const conference = await database.db
      .selectFrom("cp_conference")
      .select(["category", "cp_plan_id", "decision"])
      .where("s47_enquiry_id", "=", s47Id)
      .executeTakeFirstOrThrow();
    expect(conference).toEqual({ category: null, cp_plan_id: null, decision: "no_plan" });
    await expectRefused(
      () =>
        sw.post(url("/conferences"), {
          s47Id,
          ...dateFields("heldOn", "2026-02-19"),
          decision: "plan",
          category: "NEG",
        }),
      ["main-content"],
      "is already recorded",
    );
  });

  it("refuses a second open plan", async () => {
    const first = await s47NeedingIcpc("2026-02-19");
    const started = await sw.post(url("/conferences"), {
      s47Id: first,
      ...dateFields("heldOn", "2026-02-20"),
      decision: "plan",
      category: "SAB",
    });
    expect(started.statusCode).toBe(303);
    const second = await s47NeedingIcpc("2026-02-23");
    await expectRefused(
      () =>
        sw.post(url("/conferences"), {
          s47Id: second,
          ...dateFields("heldOn", "2026-02-24"),
          decision: "plan",
          category: "NEG",
        }),
      ["decision"],
      "already has an open child protection plan (started 20 February 2026)",
    );
  });
});

describe("review conference and core group rules", () => {
  async function thePlan() {
    return database.db
      .selectFrom("cp_plan")
      .selectAll()
      .where("person_id", "=", child)
      .executeTakeFirstOrThrow();
  }
  const review = (planId: string, form: Record<string, string>) => () =>
    sw.post(url("/conferences"), { planId, version: "1", ...form });

  it("refuses a review before the plan started or in the future, and names missing answers", async () => {
    const plan = await thePlan();
    await expectRefused(
      review(plan.id, {
        ...dateFields("heldOn", "2026-02-19"),
        decision: "continue",
        category: "SAB",
      }),
      ["heldOn-day"],
      "The review conference cannot be before the plan started (20 February 2026)",
    );
    await expectRefused(
      review(plan.id, {
        ...dateFields("heldOn", "2026-03-03"),
        decision: "continue",
        category: "SAB",
      }),
      ["heldOn-day"],
      "cannot be in the future",
    );
    await expectRefused(
      review(plan.id, { ...dateFields("heldOn", "2026-02-25"), decision: "end" }),
      ["endReason"],
    );
    await expectRefused(
      review(plan.id, { ...dateFields("heldOn", "2026-02-25"), decision: "continue" }),
      ["category"],
    );
  });

  it("refuses a stale review with a conflict, changing nothing", async () => {
    const plan = await thePlan();
    await expectRefused(
      () =>
        sw.post(url("/conferences"), {
          planId: plan.id,
          version: "5",
          ...dateFields("heldOn", "2026-02-25"),
          decision: "end",
          endReason: "other",
        }),
      [],
      "Someone else changed this child protection plan",
      409,
    );
    expect(await planOf(plan.id)).toEqual(plan);
  });

  it("refuses a review before the previous review", async () => {
    const plan = await thePlan();
    const first = await sw.post(url("/conferences"), {
      planId: plan.id,
      version: "1",
      ...dateFields("heldOn", "2026-02-25"),
      decision: "continue",
      category: "SAB",
    });
    expect(first.statusCode).toBe(303);
    await expectRefused(
      () =>
        sw.post(url("/conferences"), {
          planId: plan.id,
          version: "2",
          ...dateFields("heldOn", "2026-02-24"),
          decision: "continue",
          category: "SAB",
        }),
      ["heldOn-day"],
      "The review conference cannot be before the previous review conference (25 February 2026)",
    );
  });

  it("refuses a core group before the plan, in the future or after it ended", async () => {
    const plan = await thePlan();
    const coreGroup = (heldOn: string) => () =>
      sw.post(url(`/cp-plans/${plan.id}/core-groups`), dateFields("heldOn", heldOn));
    await expectRefused(
      coreGroup("2026-02-19"),
      ["heldOn-day"],
      "The core group meeting cannot be before the plan started (20 February 2026)",
    );
    await expectRefused(coreGroup("2026-03-03"), ["heldOn-day"], "cannot be in the future");
    await expectRefused(() => sw.post(url(`/cp-plans/${plan.id}/core-groups`), {}), ["heldOn-day"]);

    const ended = await sw.post(url("/conferences"), {
      planId: plan.id,
      version: "2",
      ...dateFields("heldOn", "2026-02-26"),
      decision: "end",
      endReason: "moved_la",
    });
    expect(ended.statusCode).toBe(303);
    await expectRefused(
      coreGroup("2026-02-27"),
      ["heldOn-day"],
      "The core group meeting cannot be after the plan ended (26 February 2026)",
    );
    // A meeting held before the plan ended may still be recorded late.
    expect((await coreGroup("2026-02-23")()).statusCode).toBe(303);
  });

  it("refuses a review of an ended plan", async () => {
    const plan = await thePlan();
    const form = await sw.get(url(`/conferences/new?plan=${plan.id}`));
    expect(form.body).toContain("This child protection plan ended on 26 February 2026");
    expect(form.body).not.toContain('name="decision"');
    await expectRefused(
      () =>
        sw.post(url("/conferences"), {
          planId: plan.id,
          version: "3",
          ...dateFields("heldOn", "2026-02-27"),
          decision: "continue",
          category: "SAB",
        }),
      ["main-content"],
      "This child protection plan ended on 26 February 2026",
    );
  });
});

describe("records that are not this child's", () => {
  it("answers 404 for malformed ids and another child's enquiry or plan", async () => {
    const s47 = await latestS47();
    const plan = await database.db
      .selectFrom("cp_plan")
      .select("id")
      .where("person_id", "=", child)
      .executeTakeFirstOrThrow();
    const other = `/people/${world.people.childA1}`;
    for (const path of [
      `/people/not-a-uuid/protection`,
      url("/s47/not-a-uuid/complete"),
      url("/conferences/new?s47=nope"),
      url("/conferences/new"),
      `${other}/s47/${s47.id}/complete`,
      `${other}/conferences/new?plan=${plan.id}`,
      `${other}/cp-plans/${plan.id}/core-groups/new`,
    ]) {
      expect((await sw.get(path)).statusCode, path).toBe(404);
    }
    const before = await counts();
    const attempt = await sw.post(
      `${other}/cp-plans/${plan.id}/core-groups`,
      dateFields("heldOn", "2026-02-24"),
    );
    expect(attempt.statusCode).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
