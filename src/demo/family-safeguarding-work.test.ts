/**
 * The demo's measures, Signs of Safety maps and whole-family plans, read back from the
 * database: scores exactly as scoreAnswers computes them, change over time, one alert.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { builtInInstrument } from "../domain/instruments/library.ts";
import { scoreAnswers } from "../domain/instruments/score.ts";
import {
  first,
  generatedDemo,
  last,
  resultsOf as resultsIn,
  series,
  today,
  type GeneratedDemo,
} from "./family-safeguarding-test-support.ts";
import { toDay } from "./random.ts";

let demo: GeneratedDemo;

beforeAll(async () => {
  demo = await generatedDemo();
}, 120_000);

const db = () => demo.database.db;
const resultsOf = (code: string) => resultsIn(db(), code);

describe("measures over time", () => {
  it("store totals and levels exactly as scoreAnswers computes them from the answers", async () => {
    const rows = await db().selectFrom("measure_result").selectAll().execute();
    expect(rows.length).toBe(demo.summary.counts.measureResults);
    for (const r of rows) {
      const instrument = builtInInstrument(r.instrument_code);
      if (!instrument) throw new Error(r.instrument_code);
      const scored = scoreAnswers(instrument, r.answers);
      expect(scored.ok, r.instrument_code).toBe(true);
      if (!scored.ok) continue;
      expect(r.total).toBe(scored.total);
      expect(r.computed_level).toBe(scored.band.level);
      expect(r.instrument_version).toBe(instrument.version);
    }
  });

  it("show AUDIT falling, PHQ-9 and GAD-7 improving for most and worsening for one", async () => {
    const audit = series(await resultsOf("audit")).filter((s) => s.length > 1);
    expect(audit.length).toBeGreaterThanOrEqual(1);
    for (const s of audit) expect(last(s)).toBeLessThan(first(s));
    expect(Math.max(...audit.map(first))).toBeGreaterThanOrEqual(16);
    for (const code of ["phq9", "gad7"]) {
      const all = series(await resultsOf(code)).filter((s) => s.length > 1);
      const worse = all.filter((s) => last(s) > first(s));
      expect(all.length, code).toBeGreaterThanOrEqual(2);
      expect(worse, code).toHaveLength(1);
      expect(all.filter((s) => last(s) < first(s)).length, code).toBe(all.length - 1);
    }
  });

  it("show DASH counts falling, readiness rising per goal, and one level raised with a reason", async () => {
    const dash = await resultsOf("dash_risk_checklist");
    for (const s of series(dash).filter((x) => x.length > 1))
      expect(last(s)).toBeLessThan(first(s));
    const raised = dash.filter((r) => r.judged_level !== r.computed_level);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.judgement_reason).toMatch(/\w/);
    const others = await db()
      .selectFrom("measure_result")
      .where("instrument_code", "!=", "dash_risk_checklist")
      .where((eb) => eb("judged_level", "!=", eb.ref("computed_level")))
      .select("id")
      .execute();
    expect(others).toEqual([]);
    const readiness = await resultsOf("readiness_to_change");
    for (const r of readiness) expect(r.goal).toMatch(/\w/);
    for (const s of series(readiness).filter((x) => x.length > 1))
      expect(last(s)).toBeGreaterThan(first(s));
  });

  it("raise one open alert for a PHQ-9 with the self-harm item answered", async () => {
    const alerts = await db()
      .selectFrom("measure_alert as a")
      .innerJoin("measure_result as r", "r.id", "a.measure_result_id")
      .select([
        "a.code",
        "a.acknowledged_at",
        "r.instrument_code",
        "r.answers",
        "r.person_id",
        "a.person_id as alerted",
      ])
      .execute();
    expect(alerts).toHaveLength(1);
    const alert = alerts[0];
    expect(alert).toMatchObject({
      code: "self_harm_thoughts",
      instrument_code: "phq9",
      acknowledged_at: null,
    });
    expect(alert?.answers.q9).toBeGreaterThan(0);
    expect(alert?.alerted).toBe(alert?.person_id);
    const answered = (await resultsOf("phq9")).filter((r) => (r.answers.q9 ?? 0) > 0);
    expect(answered).toHaveLength(1);
  });

  it("repeat measures every 4 to 8 weeks", async () => {
    const rows = await db()
      .selectFrom("measure_result")
      .select(["person_id", "instrument_code", "goal", "administered_on"])
      .orderBy("administered_on")
      .execute();
    const days = new Map<string, number[]>();
    for (const r of rows) {
      const key = `${r.person_id} ${r.instrument_code} ${r.goal ?? ""}`;
      days.set(key, [...(days.get(key) ?? []), toDay(r.administered_on)]);
    }
    for (const list of days.values()) {
      for (let i = 1; i < list.length; i++) {
        const gap = (list[i] ?? 0) - (list[i - 1] ?? 0);
        expect(gap).toBeGreaterThanOrEqual(28);
        expect(gap).toBeLessThanOrEqual(56);
      }
    }
  });
});

describe("maps and plans", () => {
  it("maps each family 2 or 3 times, scaled by the family and the practitioners", async () => {
    const maps = await db().selectFrom("sos_map").selectAll().orderBy("version_no").execute();
    const scalings = await db().selectFrom("sos_scaling").selectAll().execute();
    const byWorkbook = new Map<string, typeof maps>();
    for (const m of maps)
      byWorkbook.set(m.workbook_id, [...(byWorkbook.get(m.workbook_id) ?? []), m]);
    expect(byWorkbook.size).toBe(demo.summary.counts.workbooks);
    for (const list of byWorkbook.values()) {
      expect(list.length).toBeGreaterThanOrEqual(2);
      expect(list.length).toBeLessThanOrEqual(3);
      expect(list.map((m) => m.mapped_on)).toEqual([...list.map((m) => m.mapped_on)].sort());
      for (const m of list) {
        const own = scalings.filter((s) => s.map_id === m.id);
        expect(own.some((s) => s.is_family)).toBe(true);
        expect(own.some((s) => !s.is_family)).toBe(true);
      }
    }
  });

  it("agrees a whole-family plan: views, consent, goals for everyone, owned actions, one overdue", async () => {
    const plans = await db().selectFrom("family_plan").selectAll().execute();
    expect(plans).toHaveLength(demo.summary.counts.workbooks);
    for (const plan of plans) {
      expect(plan.child_views).toMatch(/\w/);
      expect(plan.parent_views).toMatch(/"/);
      expect(plan.consent).toBe("given");
      const workbook = await db()
        .selectFrom("workbook")
        .select("family_id")
        .where("id", "=", plan.workbook_id)
        .executeTakeFirstOrThrow();
      const members = await db()
        .selectFrom("family_member")
        .select("person_id")
        .where("family_id", "=", workbook.family_id)
        .execute();
      const goals = await db()
        .selectFrom("family_plan_goal")
        .selectAll()
        .where("plan_id", "=", plan.id)
        .execute();
      expect(new Set(goals.map((g) => g.person_id))).toEqual(
        new Set(members.map((m) => m.person_id)),
      );
      const actions = await db()
        .selectFrom("family_plan_action as a")
        .leftJoin("team_member as tm", "tm.user_id", "a.owner_user_id")
        .select(["a.due_on", "a.progress", "a.owner_organisation_id", "tm.practice_role"])
        .where(
          "a.goal_id",
          "in",
          goals.map((g) => g.id),
        )
        .execute();
      const overdue = actions.filter((a) => a.due_on < today && a.progress !== "done");
      expect(overdue).toHaveLength(1);
      expect(actions.some((a) => a.progress === "done")).toBe(true);
      expect(actions.filter((a) => a.owner_organisation_id !== null)).toHaveLength(1);
      expect(new Set(actions.map((a) => a.practice_role ?? "partner")).size).toBeGreaterThanOrEqual(
        3,
      );
    }
  });
});
