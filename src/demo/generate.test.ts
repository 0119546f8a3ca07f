import { beforeAll, describe, expect, it } from "vitest";
import { roles as allRoles } from "../access/permissions.ts";
import { freshDatabase } from "../../test/support/database.ts";
import { validateNhsNumber, validateUpn } from "../domain/identifiers.ts";
import type { Database } from "../platform/database.ts";
import { addWorkingDays } from "../domain/working-days.ts";
import { demoPassword, generateDemo, hasDemoData, type DemoSummary } from "./generate.ts";
import { longHistoryChild } from "./journeys.ts";
import { journeyProblems, type JourneyRows } from "./journeys-check.ts";
import { demoSignIns } from "./sign-ins.ts";

const today = "2026-03-01";
const options = { size: "small", seed: 7, passwordHash: "not-a-real-hash", today } as const;

let first: Database;
let second: Database;
let third: Database;
let summary: DemoSummary;
let hadDataBefore: boolean;

beforeAll(async () => {
  first = await freshDatabase();
  second = await freshDatabase();
  third = await freshDatabase();
  hadDataBefore = await hasDemoData(first.db);
  summary = await generateDemo(first.db, options);
}, 120_000);

async function peopleOf(database: Database): Promise<string[]> {
  const rows = await database.db
    .selectFrom("person")
    .select(["id", "given_name", "family_name", "date_of_birth"])
    .execute();
  return rows
    .map((r) => `${r.id} ${r.given_name} ${r.family_name} ${r.date_of_birth ?? ""}`)
    .sort();
}

describe("generateDemo (small)", () => {
  it("reports whether demo data exists", async () => {
    expect(hadDataBefore).toBe(false);
    expect(await hasDemoData(first.db)).toBe(true);
    expect(demoPassword).toBe("Trellis-demo-2026");
  });

  it("creates a family-sized fictional authority", async () => {
    const la = await first.db.selectFrom("local_authority").selectAll().executeTakeFirstOrThrow();
    expect(la).toMatchObject({ id: summary.laId, code: "999" });
    expect(la.name).toBe("Northmoor (fictional) Council");
    expect(summary.counts.families).toBe(40);
    expect(summary.counts.people).toBeGreaterThan(110);
    expect(summary.counts.people).toBeLessThan(200);
    const people = await first.db.selectFrom("person").select("id").execute();
    expect(people).toHaveLength(summary.counts.people);
  });

  it("is deterministic: same seed gives identical data, another seed different data", async () => {
    const again = await generateDemo(second.db, options);
    expect(again).toEqual(summary);
    expect(await peopleOf(second)).toEqual(await peopleOf(first));
    const other = await generateDemo(third.db, { ...options, seed: 8 });
    expect(await peopleOf(third)).not.toEqual(await peopleOf(first));
    expect(other.laId).not.toBe(summary.laId);
  });

  it("gives every role at least one user, all at the reserved domain", async () => {
    const users = await first.db.selectFrom("app_user").select(["role", "email"]).execute();
    const roles = new Set(users.map((u) => u.role));
    for (const role of allRoles) {
      expect(roles, role).toContain(role);
    }
    for (const user of users) expect(user.email).toMatch(/@northmoor\.example$/);
    expect(users).toHaveLength(summary.counts.users);
  });

  it("uses only valid test-range NHS numbers and valid UPNs", async () => {
    const people = await first.db.selectFrom("person").select(["nhs_number", "upn"]).execute();
    const nhs = people.flatMap((p) => (p.nhs_number ? [p.nhs_number] : []));
    const upns = people.flatMap((p) => (p.upn ? [p.upn] : []));
    expect(nhs.length).toBeGreaterThan(people.length * 0.8);
    expect(upns.length).toBeGreaterThan(10);
    for (const n of nhs) {
      expect(validateNhsNumber(n).ok, n).toBe(true);
      expect(n.startsWith("999"), n).toBe(true);
    }
    for (const u of upns) expect(validateUpn(u).ok, u).toBe(true);
    expect(new Set(nhs).size).toBe(nhs.length);
  });

  it("has nobody born after today, and children aged 0 to 17", async () => {
    const people = await first.db.selectFrom("person").select(["date_of_birth"]).execute();
    for (const p of people) expect(p.date_of_birth ?? "", "date of birth").toMatch(/^\d{4}-/);
    for (const p of people)
      expect((p.date_of_birth ?? "") < today, p.date_of_birth ?? "").toBe(true);
    const parents = await first.db
      .selectFrom("relationship")
      .innerJoin("person", "person.id", "relationship.related_person_id")
      .where("relationship.kind", "=", "parent")
      .where("relationship.parental_responsibility", "=", true)
      .select("person.date_of_birth")
      .execute();
    for (const child of parents) expect((child.date_of_birth ?? "") > "2008-03-01").toBe(true);
  });

  it("uses fictional NM postcodes", async () => {
    const addresses = await first.db.selectFrom("address").select("postcode").execute();
    for (const a of addresses) expect(a.postcode).toMatch(/^NM[1-9] [1-9][A-Z]{2}$/);
  });

  it("creates the fixed sign-ins with the right roles and teams", async () => {
    const rows = await first.db
      .selectFrom("app_user")
      .innerJoin("team_member", "team_member.user_id", "app_user.id")
      .innerJoin("team", "team.id", "team_member.team_id")
      .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
      .select(["app_user.email", "app_user.role", "team.name as team", "organisation.name as org"])
      .execute();
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    const expected: [string, string, string][] = [
      ["social.worker", "social_worker", "Family Safeguarding Team A"],
      ["team.manager", "team_manager", "Family Safeguarding Team A"],
      ["adult.specialist", "adult_specialist", "Family Safeguarding Team A"],
      ["business.support", "business_support", "Family Safeguarding Team A"],
      ["other.social.worker", "social_worker", "Family Safeguarding Team B"],
      ["exploitation.worker", "social_worker", "Complex Safeguarding North"],
      ["police.officer", "partner_practitioner", "Police Public Protection Unit"],
      ["health.visitor", "partner_practitioner", "Health Safeguarding Team"],
      ["performance.analyst", "performance_analyst", "Performance and Intelligence"],
      ["performance.officer", "performance_officer", "Performance and Intelligence"],
      ["system.admin", "system_admin", "Systems Administration"],
      ["recovery.worker", "adult_specialist", "Family Safeguarding Team A"],
      ["mental.health", "adult_specialist", "Family Safeguarding Team A"],
      ["domestic.abuse.officer", "adult_specialist", "Family Safeguarding Team A"],
    ];
    expect(summary.signIns.map((s) => s.email)).toEqual(
      expected.map(([local]) => `${local}@northmoor.example`),
    );
    for (const [local, role, team] of expected) {
      const row = byEmail.get(`${local}@northmoor.example`);
      expect(row, local).toMatchObject({ role, team });
    }
    expect(byEmail.get("police.officer@northmoor.example")?.org).toBe("Northmoor Police");
    for (const s of summary.signIns) expect(s.whatTheySee.length).toBeGreaterThan(10);
    // The static list printed at start-up is exactly what was generated.
    expect(summary.signIns).toEqual(demoSignIns);
  });

  it("gives Team A's social worker about 8 children across about 4 families", async () => {
    const rows = await first.db
      .selectFrom("allocation")
      .innerJoin("app_user", "app_user.id", "allocation.worker_id")
      .innerJoin("family_member", "family_member.person_id", "allocation.person_id")
      .where("app_user.email", "=", "social.worker@northmoor.example")
      .where("allocation.end_date", "is", null)
      .select(["allocation.person_id", "family_member.family_id", "allocation.start_date"])
      .execute();
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.family_id)).size).toBe(4);
    for (const r of rows) expect(r.start_date < today).toBe(true);
  });

  it("shares at least 2 children with the police", async () => {
    const shares = await first.db
      .selectFrom("record_share")
      .innerJoin("organisation", "organisation.id", "record_share.organisation_id")
      .where("organisation.name", "=", "Northmoor Police")
      .select("record_share.person_id")
      .execute();
    expect(new Set(shares.map((s) => s.person_id)).size).toBeGreaterThanOrEqual(2);
  });

  it("restricts one Team A child to Team A's manager only", async () => {
    const restricted = await first.db
      .selectFrom("person")
      .where("restricted", "=", true)
      .select("id")
      .execute();
    expect(restricted).toHaveLength(1);
    const childId = restricted[0]?.id ?? "";
    const access = await first.db
      .selectFrom("restricted_access")
      .innerJoin("app_user", "app_user.id", "restricted_access.user_id")
      .where("restricted_access.person_id", "=", childId)
      .select("app_user.email")
      .execute();
    expect(access.map((a) => a.email)).toEqual(["team.manager@northmoor.example"]);
    const allocation = await first.db
      .selectFrom("allocation")
      .innerJoin("team", "team.id", "allocation.team_id")
      .where("allocation.person_id", "=", childId)
      .where("allocation.end_date", "is", null)
      .select("team.name")
      .executeTakeFirstOrThrow();
    expect(allocation.name).toBe("Family Safeguarding Team A");
  });

  it("gives every allocated child one open referral, begun by their allocation", async () => {
    const rows = await first.db
      .selectFrom("allocation")
      .innerJoin("app_user", "app_user.id", "allocation.worker_id")
      .leftJoin("referral", (join) =>
        join
          .onRef("referral.person_id", "=", "allocation.person_id")
          .on("referral.closed_on", "is", null),
      )
      .where("app_user.role", "!=", "adult_specialist")
      .where("allocation.end_date", "is", null)
      .select(["allocation.person_id", "allocation.start_date", "referral.referral_date"])
      .execute();
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      expect(r.referral_date, "an open referral").not.toBeNull();
      expect((r.referral_date ?? "") <= r.start_date).toBe(true);
    }
    const open = await first.db
      .selectFrom("referral")
      .where("closed_on", "is", null)
      .select("id")
      .execute();
    expect(open).toHaveLength(rows.length);
  });

  it("keeps every rule of the journey model in the rows read back from the database", async () => {
    const tables = [
      "referral",
      "contact",
      "assessment",
      "strategy_discussion",
      "strategy_attendee",
      "s47_enquiry",
      "cp_conference",
      "cp_plan",
      "cin_plan",
      "early_help_episode",
      "cla_episode",
      "cla_review",
      "missing_episode",
      "visit",
      "case_note",
      "allocation",
      "chronology_entry",
    ] as const;
    const rows: JourneyRows = {};
    for (const table of tables)
      rows[table] = await first.db.selectFrom(table).selectAll().execute();
    const people = await first.db.selectFrom("person").select(["id", "date_of_birth"]).execute();
    const births = new Map(people.map((p) => [p.id, p.date_of_birth ?? ""]));
    expect(journeyProblems(rows, births, today)).toEqual([]);
    expect(rows.visit?.length).toBeGreaterThan(200);
    expect(rows.cp_plan?.length).toBeGreaterThan(2);
    expect(rows.cla_episode?.length).toBeGreaterThan(2);
  });

  it("gives the fixed sign-ins due and overdue work", async () => {
    const db = first.db;
    const openTo = (email: string) =>
      db
        .selectFrom("allocation")
        .innerJoin("app_user", "app_user.id", "allocation.worker_id")
        .where("app_user.email", "=", `${email}@northmoor.example`)
        .where("allocation.end_date", "is", null)
        .select("allocation.person_id");
    const assessments = await db
      .selectFrom("assessment")
      .where("person_id", "in", openTo("social.worker"))
      .where("authorised_on", "is", null)
      .select(["due_on", "submitted_on"])
      .execute();
    expect(
      assessments.some((a) => a.due_on < today && a.submitted_on === null),
      "overdue",
    ).toBe(true);
    expect(
      assessments.some((a) => a.submitted_on !== null),
      "awaiting authorisation",
    ).toBe(true);
    const plans = await db
      .selectFrom("cp_plan")
      .where("person_id", "in", openTo("social.worker"))
      .where("end_date", "is", null)
      .select(["person_id", "next_review_due"])
      .execute();
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p.next_review_due ?? "", "review due").toMatch(/^\d{4}-/);
    const lastVisits = await db
      .selectFrom("visit")
      .where("person_id", "in", openTo("social.worker"))
      .where("plan_type", "=", "cp")
      .groupBy("person_id")
      .select(["person_id", (eb) => eb.fn.max("visited_on").as("last")])
      .execute();
    const overdue = lastVisits.filter((v) => addWorkingDays(v.last, 10) < today);
    expect(overdue.length, "a CP visit overdue").toBeGreaterThan(0);
    const interviews = await db
      .selectFrom("missing_episode")
      .where("person_id", "in", openTo("exploitation.worker"))
      .where("ended_at", "is not", null)
      .where("interview_offered_at", "is", null)
      .select("id")
      .execute();
    expect(interviews.length, "return interviews to offer").toBeGreaterThanOrEqual(2);
    const enquiries = await db
      .selectFrom("s47_enquiry")
      .where("person_id", "in", openTo("other.social.worker"))
      .where("outcome", "is", null)
      .select("icpc_due_on")
      .execute();
    expect(enquiries.length, "an S47 with its ICPC due").toBeGreaterThan(0);
    const undecided = await db
      .selectFrom("contact")
      .where("decision", "is", null)
      .select("id")
      .execute();
    expect(undecided.length).toBeGreaterThanOrEqual(3);
  });

  it("gives one child a long history, allocated to Team A's social worker", async () => {
    const child = await longHistoryChild(first.db);
    expect(child.entries).toBeGreaterThanOrEqual(300);
    expect(child.workerEmail).toBe("social.worker@northmoor.example");
    expect(summary.counts.chronologyEntries).toBeGreaterThan(child.entries);
  });

  it("generates the same journeys again from the same seed", async () => {
    const journey = (database: Database) =>
      database.db
        .selectFrom("chronology_entry")
        .select(["id", "person_id", "occurred_on", "kind", "summary", "subject_id"])
        .orderBy("id")
        .execute();
    const again = await journey(second);
    expect(again.length).toBe(summary.counts.chronologyEntries);
    expect(again).toEqual(await journey(first));
  });
});

describe("the demo's work (decision 0020)", () => {
  it("puts new work in the fixed social worker's tray and on Team A's unallocated queue", async () => {
    const rows = await first.db
      .selectFrom("work_item as w")
      .innerJoin("team as t", "t.id", "w.team_id")
      .leftJoin("app_user as u", "u.id", "w.worker_id")
      .select(["t.name", "u.email", "w.kind"])
      .execute();
    const teamA = rows.filter((r) => r.name === "Family Safeguarding Team A");
    expect(teamA.length).toBe(rows.length);
    expect(teamA.filter((r) => r.email === "social.worker@northmoor.example").length).toBe(2);
    expect(teamA.filter((r) => r.email === null).length).toBe(3);
  });
});
