import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { writeCensusXml } from "../../domain/cin-census/write-xml.ts";
import type { Database } from "../../platform/database.ts";
import { insertCinPlan, insertCpPlan } from "../visits/test-plans.ts";
import { generateCinCensus } from "./cin-generate.ts";
import { validateAgainstCinSchema } from "./xsd.ts";

let database: Database;
let world: World;
const now = new Date("2026-05-01T09:00:00Z");

async function referral(personId: string, laId: string, date: string, closed?: string) {
  const row = await database.db
    .insertInto("referral")
    .values({
      la_id: laId,
      person_id: personId,
      referral_date: date,
      source: "1A",
      primary_need: "N1",
      closed_on: closed ?? null,
      closure_reason: closed ? "RC7" : null,
      opened_by: world.users.swA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  const who = (personId: string) => ({ laId: world.laId, personId, userId: world.users.swA.id });
  // childA1: an episode with an assessment and a CIN plan, then a CP plan with a review.
  await insertCinPlan(db, who(world.people.childA1), "2025-06-01", "2025-09-01");
  const r1 = (
    await db
      .selectFrom("referral")
      .select("id")
      .where("person_id", "=", world.people.childA1)
      .executeTakeFirstOrThrow()
  ).id;
  await db.updateTable("referral").set({ primary_need: "N1" }).where("id", "=", r1).execute();
  await db
    .insertInto("assessment")
    .values({
      la_id: world.laId,
      referral_id: r1,
      person_id: world.people.childA1,
      started_on: "2025-06-01",
      due_on: "2025-07-10",
      submitted_on: "2025-06-20",
      authorised_on: "2025-06-25",
      factors: ["2A", "3A"],
      outcome: "cin_plan",
      recorded_by: world.users.swA.id,
    })
    .execute();
  const plan = await insertCpPlan(db, who(world.people.childA1), "2025-10-01");
  await db
    .updateTable("cp_conference")
    .set({ held_on: "2025-10-01" })
    .where("cp_plan_id", "is", null)
    .execute();
  await db
    .insertInto("cp_conference")
    .values({
      la_id: world.laId,
      referral_id: r1,
      person_id: world.people.childA1,
      kind: "review",
      cp_plan_id: plan,
      held_on: "2025-12-20",
      due_on: "2025-12-24",
      decision: "continue",
      recorded_by: world.users.swA.id,
    })
    .execute();
  await db
    .insertInto("person_disability")
    .values({ person_id: world.people.childA1, la_id: world.laId, code: "HEAR" })
    .execute();
  // childA2: an episode that closed the year before, out of scope.
  await referral(world.people.childA2, world.laId, "2024-05-01", "2025-02-01");
  // childB1: referred, closed with nothing done: in scope, ReferralNFA.
  await referral(world.people.childB1, world.laId, "2025-04-10", "2025-04-11");
  // another council's child, referred in the period: not in this council's return.
  await referral(world.people.otherLaChild, world.otherLaId, "2025-06-01");
});

describe("CIN census generated from the records", () => {
  it("takes the children with an episode open in the period, of this council only", async () => {
    const { census, personByChildId } = await generateCinCensus(
      database.db,
      world.laId,
      "2025-26",
      now,
    );
    const people = census.children.map((c) =>
      personByChildId.get(c.ChildIdentifiers.LAchildID ?? ""),
    );
    expect(people.sort()).toEqual([world.people.childA1, world.people.childB1].sort());
    expect(census.header).toMatchObject({ Collection: "CIN", Year: "2026", LEA: "901" });
    expect(census.header.ReferenceDate).toBe("2026-03-31");
    // The year before, childA2's episode was open: it is in 2024-25's return.
    const before = await generateCinCensus(database.db, world.laId, "2024-25", now);
    expect(before.census.children).toHaveLength(1);
    expect(
      before.personByChildId.has(before.census.children[0]?.ChildIdentifiers.LAchildID ?? ""),
    ).toBe(true);
  });

  it("maps the episode, its assessment, plans, S47, ICPC and review", async () => {
    const { census, personByChildId } = await generateCinCensus(
      database.db,
      world.laId,
      "2025-26",
      now,
    );
    const a1 = census.children.find(
      (c) => personByChildId.get(c.ChildIdentifiers.LAchildID ?? "") === world.people.childA1,
    );
    expect(a1?.ChildIdentifiers.Sex).toBe("F");
    expect(a1?.ChildIdentifiers.PersonBirthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(a1?.ChildCharacteristics).toEqual({ Ethnicity: "WBRI", Disabilities: ["HEAR"] });
    const episode = a1?.CINdetails[0];
    expect(a1?.CINdetails).toHaveLength(1);
    expect(episode).toMatchObject({
      CINreferralDate: "2025-06-01",
      ReferralSource: "1A",
      PrimaryNeedCode: "N1",
      ReferralNFA: "false",
    });
    // The ICPC followed a reported S47: recorded there only (rule 2884).
    expect(episode?.DateOfInitialCPC).toBeUndefined();
    expect(episode?.CINclosureDate).toBeUndefined();
    expect(episode?.Assessments).toEqual([
      {
        AssessmentActualStartDate: "2025-06-01",
        AssessmentAuthorisationDate: "2025-06-25",
        AssessmentFactors: ["2A", "3A"],
      },
    ]);
    expect(episode?.CINPlanDates).toEqual([
      { CINPlanStartDate: "2025-06-01", CINPlanEndDate: "2025-09-01" },
    ]);
    expect(episode?.Section47).toEqual([
      {
        S47ActualStartDate: "2025-10-01",
        InitialCPCtarget: "2025-10-01",
        DateOfInitialCPC: "2025-10-01",
        ICPCnotRequired: "false",
      },
    ]);
    expect(episode?.ChildProtectionPlans).toEqual([
      {
        CPPstartDate: "2025-10-01",
        InitialCategoryOfAbuse: "NEG",
        LatestCategoryOfAbuse: "NEG",
        NumberOfPreviousCPP: "1",
        CPPreviewDate: ["2025-12-20"],
      },
    ]);
    const b1 = census.children.find(
      (c) => personByChildId.get(c.ChildIdentifiers.LAchildID ?? "") === world.people.childB1,
    );
    expect(b1?.CINdetails[0]).toMatchObject({
      ReferralNFA: "true",
      CINclosureDate: "2025-04-11",
      ReasonForClosure: "RC7",
    });
  });

  it("writes a file that the DfE's XML schema accepts, and the schema refuses a broken one", async () => {
    const { census } = await generateCinCensus(database.db, world.laId, "2025-26", now);
    const xml = writeCensusXml(census);
    const verdict = await validateAgainstCinSchema(xml);
    expect(verdict.errors).toEqual([]);
    expect(verdict.valid).toBe(true);
    const broken = await validateAgainstCinSchema(
      xml.replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>NOPE</Ethnicity>"),
    );
    expect(broken.valid).toBe(false);
    expect(broken.errors.map((e) => e.message).join("\n")).toMatch(/Ethnicity/);
    // The complaint names the child whose element it is about.
    expect(broken.errors[0]?.childId).toBe(
      census.children.find((c) => c.ChildCharacteristics.Ethnicity === "WBRI")?.ChildIdentifiers
        .LAchildID,
    );
  });
});
