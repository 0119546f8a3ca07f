import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { generate903Command } from "./ssda903-cli.ts";
import { generate903, tableCsv, type Generated903 } from "./ssda903-generate.ts";

let database: Database;
let world: World;
let generated: Generated903;
const childIds = new Map<string, string>();

interface EpisodeIn {
  personId: string;
  start: string;
  rne: string;
  ls: string;
  place: string;
  provider?: string | null;
  postcode?: string | null;
  end?: string;
  rec?: string;
  laId?: string;
}

async function episode(e: EpisodeIn) {
  await database.db
    .insertInto("cla_episode")
    .values({
      la_id: e.laId ?? world.laId,
      person_id: e.personId,
      start_date: e.start,
      reason_new_episode: e.rne,
      legal_status: e.ls,
      placement_type: e.place,
      placement_provider: e.provider === undefined ? "PR1" : e.provider,
      placement_postcode: e.postcode === undefined ? "TS1 1AA" : e.postcode,
      end_date: e.end ?? null,
      reason_ceased: e.rec ?? null,
      recorded_by: world.users.swA.id,
    })
    .execute();
}

async function person(given: string, dob: string, sex = "2") {
  const row = await database.db
    .insertInto("person")
    .values({
      la_id: world.laId,
      given_name: given,
      family_name: "Test",
      date_of_birth: dob,
      sex,
      ethnicity: "WBRI",
    })
    .returning(["id", "la_child_id"])
    .executeTakeFirstOrThrow();
  childIds.set(given, row.la_child_id);
  return row.id;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  const { childA1, childA2, otherLaChild } = world.people;
  // childA1: starts in the year, placed for adoption with the same carers (T), still in care
  // at 31 March; the episode ends after the year, so DEC and REC are not yet known.
  await episode({
    personId: childA1,
    start: "2024-05-01",
    rne: "S",
    ls: "V2",
    place: "U5",
    end: "2024-09-01",
    rec: "X1",
  });
  await episode({
    personId: childA1,
    start: "2024-09-01",
    rne: "T",
    ls: "V2",
    place: "A3",
    postcode: "=HYPER",
    end: "2025-06-01",
    rec: "E11",
  });
  // childA2: in care only before the year: not in the return.
  await episode({
    personId: childA2,
    start: "2022-01-01",
    rne: "S",
    ls: "V2",
    place: "U6",
    end: "2023-01-01",
    rec: "E4A",
  });
  // Another council's child: never in this council's return.
  await episode({
    personId: otherLaChild,
    start: "2024-06-01",
    rne: "S",
    ls: "V2",
    place: "U6",
    laId: world.otherLaId,
  });
  // A looked-after girl of 16 who is a mother; a boy whose episode ends in the year.
  const mother = await person("Mia", "2008-02-10");
  const baby = await person("Baby", "2024-11-20");
  await db
    .insertInto("relationship")
    .values({ la_id: world.laId, person_id: mother, related_person_id: baby, kind: "parent" })
    .execute();
  await episode({ personId: mother, start: "2023-06-01", rne: "S", ls: "C2", place: "U6" });
  const boy = await person("Ben", "2012-07-07", "1");
  await episode({
    personId: boy,
    start: "2024-04-10",
    rne: "S",
    ls: "L1",
    place: "U6",
    end: "2024-04-12",
    rec: "E4A",
  });
  await db
    .insertInto("cla_review")
    .values([
      {
        la_id: world.laId,
        person_id: childA1,
        held_on: "2024-05-20",
        due_on: "2024-05-29",
        participation: "PN1",
        recorded_by: world.users.swA.id,
      },
      {
        la_id: world.laId,
        person_id: childA1,
        held_on: "2025-04-20",
        due_on: "2025-04-29",
        participation: "PN1",
        recorded_by: world.users.swA.id,
      },
    ])
    .execute();
  await db
    .insertInto("missing_episode")
    .values([
      // 23:30 in London on 30 September is 1 October's date nowhere but UTC: the London day counts.
      {
        la_id: world.laId,
        person_id: mother,
        kind: "M",
        started_at: new Date("2024-09-30T22:30:00Z"),
        ended_at: new Date("2024-10-02T10:00:00Z"),
        recorded_by: world.users.swA.id,
      },
      {
        la_id: world.laId,
        person_id: mother,
        kind: "A",
        started_at: new Date("2025-03-30T10:00:00Z"),
        ended_at: new Date("2025-04-02T10:00:00Z"),
        recorded_by: world.users.swA.id,
      },
      {
        la_id: world.laId,
        person_id: mother,
        kind: "M",
        started_at: new Date("2023-09-30T10:00:00Z"),
        ended_at: new Date("2023-10-02T10:00:00Z"),
        recorded_by: world.users.swA.id,
      },
    ])
    .execute();
  for (const [key, id] of Object.entries(world.people)) {
    const row = await db
      .selectFrom("person")
      .select("la_child_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    childIds.set(key, row.la_child_id);
  }
  generated = await generate903(db, world.laId, "2024-25");
});

const idOf = (key: string) => childIds.get(key) ?? "";

describe("generate903", () => {
  it("puts in the Header every child of this council looked after at some point in the year", () => {
    const header = generated.tables.Header ?? [];
    expect(header.map((r) => r.CHILD).sort()).toEqual(
      [idOf("childA1"), idOf("Mia"), idOf("Ben")].sort(),
    );
    const mia = header.find((r) => r.CHILD === idOf("Mia"));
    expect(mia).toEqual({
      CHILD: idOf("Mia"),
      SEX: "2",
      DOB: "10/02/2008",
      ETHNIC: "WBRI",
      UPN: "",
      MOTHER: "1",
      MC_DOB: "20/11/2024",
    });
    const ben = header.find((r) => r.CHILD === idOf("Ben"));
    expect([ben?.SEX, ben?.MOTHER, ben?.MC_DOB]).toEqual(["1", "", ""]);
    expect(header.find((r) => r.CHILD === idOf("childA1"))?.MOTHER).toBe("0");
    expect(generated.personByChildId.get(idOf("childA1"))).toBe(world.people.childA1);
  });

  it("writes every episode open in the year in the DfE's codes, a cessation after 31 March left blank", () => {
    const episodes = (generated.tables.Episodes ?? []).filter((r) => r.CHILD === idOf("childA1"));
    expect(
      episodes.map((e) => [e.DECOM, e.RNE, e.LS, e.PLACE, e.PLACE_PROVIDER, e.DEC, e.REC]),
    ).toEqual([
      ["01/05/2024", "S", "V2", "U5", "PR1", "01/09/2024", "X1"],
      ["01/09/2024", "T", "V2", "A3", "PR1", "", ""],
    ]);
    const ben = (generated.tables.Episodes ?? []).find((r) => r.CHILD === idOf("Ben"));
    expect([ben?.DEC, ben?.REC]).toEqual(["12/04/2024", "E4A"]);
    expect(Object.keys(episodes[0] ?? {})).toEqual([
      "CHILD",
      "DECOM",
      "RNE",
      "LS",
      "CIN",
      "PLACE",
      "PLACE_PROVIDER",
      "DEC",
      "REC",
      "REASON_PLACE_CHANGE",
      "HOME_POST",
      "PL_POST",
      "URN",
    ]);
  });

  it("takes reviews held in the year and missing periods open in it, on London's calendar", () => {
    expect((generated.tables.Reviews ?? []).map((r) => [r.CHILD, r.REVIEW, r.REVIEW_CODE])).toEqual(
      [[idOf("childA1"), "20/05/2024", "PN1"]],
    );
    expect(
      (generated.tables.Missing ?? []).map((r) => [r.MISSING, r.MIS_START, r.MIS_END]),
    ).toEqual([
      ["M", "30/09/2024", "02/10/2024"],
      ["A", "30/03/2025", ""],
    ]);
  });

  it("writes every table of the return, with none listed as not held (decision 0042)", () => {
    expect(Object.keys(generated.tables).sort()).toEqual([
      "AD1",
      "Episodes",
      "Header",
      "Missing",
      "OC2",
      "OC3",
      "PlacedAdoption",
      "PrevPerm",
      "Reviews",
      "SWEpisodes",
      "UASC",
    ]);
    expect(generated.notHeld).toEqual([]);
  });

  it("escapes a cell that a spreadsheet would run as a formula", () => {
    const csv = tableCsv("Episodes", generated.tables.Episodes ?? []);
    expect(csv.split("\r\n")[0]).toBe(
      "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
    );
    expect(csv).toContain(",'=HYPER,");
    expect(csv).not.toMatch(/,=HYPER/);
  });
});

describe("trellis returns 903", () => {
  it("writes one CSV per table held and audits the council-wide read", async () => {
    const out = await mkdtemp(join(tmpdir(), "trellis-903-"));
    const code = await generate903Command(database.db, [
      "--year",
      "2024-25",
      "--out",
      out,
      "--la",
      "901",
    ]);
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      "AD1.csv",
      "Episodes.csv",
      "Header.csv",
      "Missing.csv",
      "OC2.csv",
      "OC3.csv",
      "PlacedAdoption.csv",
      "PrevPerm.csv",
      "Reviews.csv",
      "SWEpisodes.csv",
      "UASC.csv",
    ]);
    const header = await readFile(join(out, "Header.csv"), "utf8");
    expect(header.split("\r\n")[0]).toBe("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB");
    const audit = await latestAudit(database);
    expect(audit.action).toBe("returns.generate");
    expect(audit.person_ids).toContain(world.people.childA1);
  });

  it("refuses a year it does not know and a database of several councils without --la", async () => {
    expect(await generate903Command(database.db, ["--year", "2023-24", "--out", "/tmp/x"])).toBe(2);
    expect(await generate903Command(database.db, ["--year", "2024-25", "--out", "/tmp/x"])).toBe(2);
  });
});
