/**
 * The demo's Family Safeguarding work, generated into a database for the small LA and read back
 * through the visibility the pages use: teams, sign-ins, Workbooks, supervision, the FGC and
 * the chronology. Measures, maps and plans: family-safeguarding-work.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadActor } from "../access/actor.ts";
import {
  disciplineWriters,
  isPracticeRole,
  practiceRoleAccountRole,
  practiceRoles,
} from "../domain/family-safeguarding.ts";
import { findVisibleFamily } from "../modules/family/family.ts";
import { nextSupervisionDue } from "../modules/family/supervision-due.ts";
import { buildFoundation, familySafeguarding } from "./generate.ts";
import {
  generatedDemo,
  now,
  options,
  today,
  userId as userIdIn,
  type GeneratedDemo,
} from "./family-safeguarding-test-support.ts";
import { ageOn, fromDay, toDay } from "./random.ts";

let demo: GeneratedDemo;

beforeAll(async () => {
  demo = await generatedDemo();
}, 120_000);

const db = () => demo.database.db;
const userId = (email: string) => userIdIn(db(), email);

/** Families with a Workbook the user sees through the real visibility rules. */
async function workbookFamiliesSeenBy(email: string): Promise<string[]> {
  const actor = await loadActor(db(), await userId(email));
  if (!actor) throw new Error(`no actor ${email}`);
  const workbooks = await db().selectFrom("workbook").select("family_id").execute();
  const seen: string[] = [];
  for (const w of workbooks) {
    const family = await findVisibleFamily(db(), actor, w.family_id, now);
    if (family?.workbook) seen.push(family.id);
  }
  return seen;
}

describe("Family Safeguarding demo data", () => {
  it("is deterministic: the same seed gives identical rows, another seed different ones", () => {
    const build = (seed: number) => {
      const opts = { ...options, seed };
      return JSON.stringify(familySafeguarding(buildFoundation(opts), opts).rows);
    };
    expect(build(7)).toBe(build(7));
    expect(build(8)).not.toBe(build(7));
  });

  it("staffs every Family Safeguarding team as Blackpool does, practice roles matching accounts", async () => {
    const members = await db()
      .selectFrom("team_member as tm")
      .innerJoin("team as t", "t.id", "tm.team_id")
      .innerJoin("app_user as u", "u.id", "tm.user_id")
      .where("t.kind", "=", "family_safeguarding")
      .select(["t.name", "u.role", "tm.practice_role"])
      .execute();
    const byTeam = new Map<string, Set<string>>();
    for (const m of members) {
      expect(isPracticeRole(m.practice_role), `${m.name}: ${String(m.practice_role)}`).toBe(true);
      if (isPracticeRole(m.practice_role)) {
        expect(m.role).toBe(practiceRoleAccountRole[m.practice_role]);
      }
      byTeam.set(m.name, (byTeam.get(m.name) ?? new Set()).add(m.practice_role ?? ""));
    }
    expect(byTeam.size).toBe(2);
    for (const [team, roles] of byTeam)
      expect([...roles].sort(), team).toEqual([...practiceRoles].sort());
  });

  it("signs in Team A's adult specialists by name, and keeps the existing sign-ins", async () => {
    const rows = await db()
      .selectFrom("app_user as u")
      .innerJoin("team_member as tm", "tm.user_id", "u.id")
      .innerJoin("team as t", "t.id", "tm.team_id")
      .select(["u.email", "u.role", "tm.practice_role", "t.name"])
      .where("t.name", "=", "Family Safeguarding Team A")
      .execute();
    const roleOf = new Map(rows.map((r) => [r.email.split("@")[0], r.practice_role]));
    expect(roleOf.get("social.worker")).toBe("social_worker");
    expect(roleOf.get("team.manager")).toBe("team_manager");
    expect(roleOf.get("adult.specialist")).toBe("domestic_abuse_practitioner");
    expect(roleOf.get("business.support")).toBe("business_support");
    expect(roleOf.get("mental.health")).toBe("mental_health_practitioner");
    expect(roleOf.get("recovery.worker")).toBe("recovery_worker");
    expect(roleOf.get("domestic.abuse.officer")).toBe("domestic_abuse_officer");
    expect(demo.summary.signIns.slice(-3).map((s) => s.email.split("@")[0])).toEqual([
      "recovery.worker",
      "mental.health",
      "domestic.abuse.officer",
    ]);
    expect(demo.summary.signIns).toHaveLength(14);
  });

  it("lets the main social worker see at least 3 of their own families' Workbooks, the team 6", async () => {
    const own = await db()
      .selectFrom("allocation as a")
      .innerJoin("family_member as fm", "fm.person_id", "a.person_id")
      .innerJoin("workbook as w", "w.family_id", "fm.family_id")
      .where("a.worker_id", "=", await userId("social.worker"))
      .where("a.end_date", "is", null)
      .select("w.family_id")
      .distinct()
      .execute();
    expect(own.length).toBeGreaterThanOrEqual(3);
    const seen = await workbookFamiliesSeenBy("social.worker");
    expect(seen.length).toBeGreaterThanOrEqual(6);
    for (const o of own) expect(seen).toContain(o.family_id);
    expect((await workbookFamiliesSeenBy("team.manager")).sort()).toEqual([...seen].sort());
    expect(demo.summary.counts.workbooks).toBe(seen.length);
    // Each adult specialist sees the families of the adults allocated to them, and no others.
    for (const email of [
      "adult.specialist",
      "mental.health",
      "recovery.worker",
      "domestic.abuse.officer",
    ]) {
      const theirs = await workbookFamiliesSeenBy(email);
      expect(theirs.length, email).toBeGreaterThanOrEqual(1);
      expect(theirs.length, email).toBeLessThan(seen.length);
    }
    expect(await workbookFamiliesSeenBy("other.social.worker")).toEqual([]);
    expect(await workbookFamiliesSeenBy("performance.analyst")).toEqual([]);
    // The police see only the families with a member whose record is shared with them.
    const shared = await db()
      .selectFrom("record_share as s")
      .innerJoin("organisation as o", "o.id", "s.organisation_id")
      .innerJoin("family_member as fm", "fm.person_id", "s.person_id")
      .innerJoin("workbook as w", "w.family_id", "fm.family_id")
      .where("o.name", "=", "Northmoor Police")
      .select("w.family_id")
      .distinct()
      .execute();
    expect((await workbookFamiliesSeenBy("police.officer")).sort()).toEqual(
      shared.map((r) => r.family_id).sort(),
    );
  });

  it("opens each Workbook 2 to 9 months ago, with sections written by each discipline's practitioners", async () => {
    for (const w of await db().selectFrom("workbook").select("opened_on").execute()) {
      const days = toDay(today) - toDay(w.opened_on);
      expect(days, w.opened_on).toBeGreaterThanOrEqual(61);
      expect(days, w.opened_on).toBeLessThanOrEqual(270);
    }
    const rows = await db()
      .selectFrom("workbook_section_revision as r")
      .innerJoin("workbook_section as s", "s.id", "r.section_id")
      .innerJoin("team_member as tm", "tm.user_id", "r.written_by")
      .select(["s.id", "s.discipline", "s.version", "r.version as revision", "tm.practice_role"])
      .execute();
    const disciplines = new Set(rows.map((r) => r.discipline));
    expect([...disciplines].sort()).toEqual(
      ["child", "domestic_abuse", "mental_health", "parent", "substance_misuse"].sort(),
    );
    for (const r of rows) {
      const writers = disciplineWriters[r.discipline];
      expect(writers, `${r.discipline} by ${String(r.practice_role)}`).toContain(r.practice_role);
      expect(r.revision).toBeLessThanOrEqual(r.version);
    }
    const versions = new Map<string, number[]>();
    for (const r of rows) versions.set(r.id, [...(versions.get(r.id) ?? []), r.revision]);
    for (const r of rows) {
      expect((versions.get(r.id) ?? []).sort()).toEqual(
        Array.from({ length: r.version }, (_, i) => i + 1),
      );
    }
  });
  it("holds group supervision about every 4 weeks, with one family's overdue", async () => {
    const workbooks = await db().selectFrom("workbook").selectAll().execute();
    const sessions = await db()
      .selectFrom("group_supervision")
      .selectAll()
      .orderBy("scheduled_for")
      .execute();
    const manager = await userId("team.manager");
    let overdue = 0;
    for (const w of workbooks) {
      const own = sessions.filter((s) => s.workbook_id === w.id);
      const held = own.flatMap((s) => (s.held_on ? [s.held_on] : []));
      const due = nextSupervisionDue(
        w.opened_on,
        w.supervision_interval_weeks,
        held,
        own.flatMap((s) => (s.held_on ? [] : [s.scheduled_for])),
        today,
      );
      if (due.overdue) overdue++;
      else expect(due.plannedOn, "the next session is booked").not.toBeNull();
      expect(held.length).toBeGreaterThanOrEqual(1);
      [w.opened_on, ...held].reduce((previous, date) => {
        const gap = toDay(date) - toDay(previous);
        expect(gap).toBeGreaterThanOrEqual(21);
        expect(gap).toBeLessThanOrEqual(28);
        return date;
      });
    }
    expect(overdue).toBe(1);
    const heldIds = sessions.filter((s) => s.held_on).map((s) => s.id);
    const attendees = await db().selectFrom("group_supervision_attendee").selectAll().execute();
    const decisions = await db().selectFrom("supervision_decision").selectAll().execute();
    for (const id of heldIds) {
      const who = attendees.filter((a) => a.supervision_id === id).map((a) => a.user_id);
      expect(who).toContain(manager);
      expect(who.length).toBeGreaterThanOrEqual(4);
      expect(decisions.filter((d) => d.supervision_id === id).length).toBeGreaterThanOrEqual(1);
    }
    for (const d of decisions) expect(d.decided_by).toBe(manager);
    const actions = await db().selectFrom("supervision_action").selectAll().execute();
    const open = actions.filter((a) => a.completed_on === null);
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(actions.length);
    for (const a of actions) expect(heldIds).toContain(a.supervision_id);
  });

  it("holds one Family Group Conference with the family's plan agreed", async () => {
    const conferences = await db().selectFrom("family_group_conference").selectAll().execute();
    expect(conferences).toHaveLength(1);
    const fgc = conferences[0];
    expect(fgc?.plan_agreed).toBe(true);
    expect(fgc?.held_on && fgc.held_on > fgc.referred_on && fgc.held_on < today).toBe(true);
  });

  it("tells the children's chronologies, every entry naming its record", async () => {
    const entries = await db()
      .selectFrom("chronology_entry as c")
      .innerJoin("person as p", "p.id", "c.person_id")
      .where("c.kind", "in", [
        "workbook_opened",
        "sos_map",
        "family_plan",
        "group_supervision",
        "supervision_decision",
        "fgc_referred",
        "fgc_held",
      ])
      .select(["c.kind", "c.summary", "c.subject_id", "c.occurred_on", "p.date_of_birth"])
      .execute();
    const kinds = new Set(entries.map((e) => e.kind));
    expect(kinds.size).toBe(7);
    const subjects = new Set<string>();
    for (const table of [
      "workbook",
      "sos_map",
      "family_plan",
      "group_supervision",
      "family_group_conference",
    ] as const) {
      for (const r of await db().selectFrom(table).select("id").execute()) subjects.add(r.id);
    }
    for (const e of entries) {
      expect(subjects.has(e.subject_id ?? "")).toBe(true);
      expect(e.occurred_on <= today && e.occurred_on >= (e.date_of_birth ?? "")).toBe(true);
      expect(fromDay(toDay(e.occurred_on))).toBe(e.occurred_on);
      // No mental health or substance misuse detail on a chronology.
      expect(e.summary).not.toMatch(/alcohol|drink|drug|mental|depress|anxi/i);
      expect(ageOn(toDay(e.date_of_birth ?? ""), toDay(e.occurred_on)), "a child").toBeLessThan(18);
    }
  });
});
