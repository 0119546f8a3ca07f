import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { annexAPeriod } from "../../domain/annex-a/codes.ts";
import { annexASpec, type AnnexAListName } from "../../domain/annex-a/spec.ts";
import type { Database } from "../../platform/database.ts";
import { annexAQueries, childrenIn, generateAnnexA, type AnnexA } from "./annex-a.ts";
import { ANNEX_A_TO, buildAnnexAWorld } from "./annex-a-test-support.ts";

let database: Database;
let world: World;
let annexA: AnnexA;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  await buildAnnexAWorld(database.db, world);
  // Census disabilities: B1 has one, A2 is recorded as having none, A1 has nothing recorded.
  await database.db
    .insertInto("person_disability")
    .values([
      { la_id: world.laId, person_id: world.people.childB1, code: "MOB" },
      { la_id: world.laId, person_id: world.people.childA2, code: "NONE" },
    ])
    .execute();
  annexA = await generateAnnexA(database.db, world.laId, annexAPeriod(ANNEX_A_TO));
});

/** A list's rows as objects keyed by Ofsted's headings, to read a cell by its name. */
function rowsOf(list: AnnexAListName): Record<string, unknown>[] {
  const found = annexA.lists.find((l) => l.list === list);
  if (!found) throw new Error(`no ${list}`);
  return found.rows.map((r) => {
    const entries: [string, unknown][] = found.columns.map((c, i) => [c.column, r.cells[i]]);
    return Object.fromEntries([["personId", r.personId], ...entries]);
  });
}

describe("Annex A from the records", () => {
  it("maps every one of Ofsted's columns, in Ofsted's order, for every list", () => {
    expect(annexAQueries.map((q) => q.list)).toEqual(Object.keys(annexASpec));
    for (const query of annexAQueries) {
      if (query.notHeld) continue;
      expect(Object.keys(query.columns), query.list).toEqual(
        annexASpec[query.list].map((c) => c.column),
      );
    }
  });

  it("covers the six months up to the day Ofsted names", () => {
    expect(annexA.period).toEqual({ from: "2025-09-01", to: "2026-03-01", months: 6 });
  });

  it("lists contacts in the period only, with Ofsted's codes for the child and the source", () => {
    expect(rowsOf("List 1")).toEqual([
      {
        personId: world.people.childA1,
        "Child Unique ID": world.people.childA1,
        Gender: "b) Female",
        Ethnicity: "a) WBRI",
        "Date of Birth": "2015-03-27",
        "Age of Child (Years)": 10,
        "Date of Contact": "2025-10-01",
        "Contact Source": "e) 2A: Schools",
      },
    ]);
  });

  it("lists early help open in the period with the organisation that assessed", () => {
    const rows = rowsOf("List 2");
    expect(rows.map((r) => r.personId)).toEqual([world.people.unallocated]);
    expect(rows[0]).toMatchObject({
      "Assessment start date": "2025-10-10",
      "Assessment completion date": null,
      "Organisation completing assessment": "Testshire Children's Services",
    });
  });

  it("lists referrals in the period, marking the one closed with no assessment as NFA", () => {
    const rows = rowsOf("List 3");
    expect(rows.map((r) => r.personId)).toEqual([world.people.childA1, world.people.childA2]);
    expect(rows[0]).toMatchObject({
      "Date of referral": "2025-10-02",
      "Referral Source": "e) 2A: Schools",
      "Referral NFA?": "b) No",
      "Number of Referrals in Last 12 Months": 1,
      "Allocated Team": "Family Safeguarding A",
      "Allocated Worker": "sw.a",
    });
    expect(rows[1]).toMatchObject({ "Referral Source": "5D", "Referral NFA?": "a) Yes" });
  });

  it("lists assessments with whether the child was seen and the support needed", () => {
    expect(rowsOf("List 4")).toEqual([
      expect.objectContaining({
        personId: world.people.childA1,
        "Does the Child have a Disability": "c) Unknown",
        "Continuous Assessment Start Date": "2025-10-03",
        "Child Seen During Continuous Assessment": "a) Yes",
        "Continuous Assessment Date of Authorisation": "2025-11-10",
        "Was the child assessed as requiring LA children's social care support?": "Yes",
      }),
    ]);
  });

  it("lists section 47 enquiries with their initial conference and the counts for the year", () => {
    expect(rowsOf("List 5")).toEqual([
      expect.objectContaining({
        personId: world.people.childA1,
        "Strategy discussion initiating Section 47 Enquiry Start Date": "2025-11-12",
        "Was an Initial Child Protection Conference deemed unnecessary?": "b) No",
        "Date of Initial Child Protection Conference": "2025-11-28",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan": "a) Yes",
        "Number of Section 47 Enquiries in the last 12 months": 1,
        "Number of ICPCs in the last 12 months": 1,
      }),
    ]);
  });

  it("lists each episode of need open in the period with what it is at the period's end", () => {
    const rows = rowsOf("List 6");
    expect(rows.map((r) => [r.personId, r["Case Status"]])).toEqual([
      [world.people.childB1, "Looked after"],
      [world.people.childA1, "Child protection plan"],
      [world.people.childA2, "Closed"],
    ]);
    expect(rows[1]).toMatchObject({
      "Primary Need Code": "N1 - Abuse or neglect",
      "Date Child Was Last Seen": "2026-01-10",
    });
    expect(rows[2]).toMatchObject({
      "Primary Need Code": null,
      "CIN Closure Date": "2025-12-15",
      "Reason for Closure": "RC8 - Case closed after assessment, no further action",
    });
  });

  it("says whether each child has a disability from the census disabilities recorded", () => {
    expect(
      rowsOf("List 6").map((r) => [r.personId, r["Does the Child have a Disability"]]),
    ).toEqual([
      [world.people.childB1, "a) Yes"],
      [world.people.childA1, "c) Unknown"],
      [world.people.childA2, "b) No"],
    ]);
  });

  it("lists child protection plans with the categories, last visit and previous plans", () => {
    expect(rowsOf("List 7")).toEqual([
      expect.objectContaining({
        personId: world.people.childA1,
        "Child Protection Plan Start Date": "2025-11-28",
        "Initial Category of Abuse": "a) Neglect",
        "Latest Category of Abuse": "d) Emotional abuse",
        "Date of the Last Statutory Visit": "2026-01-10",
        "Was the Child Seen Alone?": "a) Yes",
        "Child Protection Plan End Date": null,
        "Number of Previous Child Protection Plans": 0,
      }),
    ]);
  });

  it("lists looked-after children as they were at the period's end", () => {
    const rows = rowsOf("List 8");
    expect(rows.map((r) => r.personId)).toEqual([
      world.people.restrictedChildA,
      world.people.childB1,
    ]);
    expect(rows[1]).toMatchObject({
      "Date Started to be Looked After": "2025-08-01",
      "Child's Category of Need": "N1 - Abuse or neglect",
      "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)":
        "b) No",
      "Start date of current legal status": "2025-08-01",
      "Child's Legal Status": "C2: FCO",
      "Date of Latest Statutory Review": "2026-01-15",
      "Date of Last Social Work Visit": "2026-02-02",
      "Number of Placements in the Last 12 months": 2,
      "Date Ceased to be Looked After": null,
      "Start Date of Most Recent Placement": "2025-12-01",
      "Placement Type": "f) U6: Foster placement - not FFA",
      "Placement Provider": "b) PR1: Own provision",
      "Placement postcode": "TS2 2BB",
      "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months": 1,
      "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months": 0,
      "Was the child offered a Return Interview after their last missing episode (Y/N)?": "a) Yes",
      "Did the child accept a Return Interview after their last missing episode (Y/N)?": "b) No",
      "Allocated Team": "Family Safeguarding B",
    });
    expect(rows[0]).toMatchObject({
      "Start date of current legal status": "2025-09-15",
      "Child's Legal Status": "E1: Placement order",
    });
  });

  it("lists children placed for adoption with the dates Trellis holds", () => {
    expect(rowsOf("List 10")).toEqual([
      expect.objectContaining({
        personId: world.people.restrictedChildA,
        "Date the Child Entered Care": "2024-05-01",
        "Date of Decision that Child Should be Placed for Adoption": null,
        "Date of Placement Order": "2025-09-15",
        "Date Placed for Adoption": "2025-09-15",
        "Date of Adoption Order": null,
      }),
    ]);
  });

  it("says which lists Trellis does not hold rather than leaving them empty", () => {
    for (const list of ["List 9", "List 11"]) {
      const found = annexA.lists.find((l) => l.list === list);
      expect(found?.rows).toEqual([]);
      expect(found?.notHeld).toMatch(/Trellis does not yet record/);
    }
    expect(annexA.lists.find((l) => l.list === "List 3")?.notHeld).toBeUndefined();
  });

  it("never lists another council's child, or a child whose records fall outside the period", () => {
    const everyone = childrenIn(annexA);
    expect(everyone).not.toContain(world.people.otherLaChild);
    expect(everyone).not.toContain(world.people.motherA);
    // The unallocated child's only referral closed before the period: early help alone.
    expect(rowsOf("List 3").map((r) => r.personId)).not.toContain(world.people.unallocated);
    expect(rowsOf("List 6").map((r) => r.personId)).not.toContain(world.people.unallocated);
  });

  it("names each blank or uncoded value Ofsted needs, and nothing Trellis does not hold", () => {
    const problems = annexA.lists.flatMap((l) =>
      l.problems.map((p) => [p.list, p.column, p.personId, p.kind]),
    );
    expect(problems).toEqual([
      ["List 3", "Referral Source", world.people.childA2, "not_in_list"],
      ["List 6", "Primary Need Code", world.people.childA2, "blank"],
      ["List 8", "Child's Category of Need", world.people.restrictedChildA, "blank"],
      ["List 8", "Placement postcode", world.people.restrictedChildA, "blank"],
    ]);
    expect(annexA.lists.find((l) => l.list === "List 8")?.notHeldColumns).toContain(
      "Date of Last Health Assessment",
    );
  });

  it("follows the period: a shorter one drops the contact from October", async () => {
    const shorter = await generateAnnexA(database.db, world.laId, annexAPeriod(ANNEX_A_TO, 3));
    expect(shorter.period.from).toBe("2025-12-01");
    expect(shorter.lists[0]?.rows).toEqual([]);
    expect(shorter.lists[2]?.rows.map((r) => r.personId)).toEqual([world.people.childA2]);
  });
});
