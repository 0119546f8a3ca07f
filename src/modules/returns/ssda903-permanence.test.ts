import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { readReturnFiles } from "../../domain/ssda903/read-csv.ts";
import { tableNames } from "../../domain/ssda903/model.ts";
import { validate903 } from "../../domain/ssda903/rules/index.ts";
import type { Database } from "../../platform/database.ts";
import { generate903, tableCsv, type Generated903 } from "./ssda903-generate.ts";

let database: Database;
let world: World;
let generated: Generated903;
const childIdOf = new Map<string, string>();

async function episode(personId: string, start: string, end?: string, rec?: string) {
  return database.db
    .insertInto("cla_episode")
    .values({
      la_id: world.laId,
      person_id: personId,
      start_date: start,
      reason_new_episode: "S",
      legal_status: "C2",
      placement_type: "U4",
      placement_provider: "PR1",
      placement_postcode: "TS1 1AA",
      end_date: end ?? null,
      reason_ceased: end ? (rec ?? "E4A") : null,
      recorded_by: world.users.swA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/**
 * 2024-25: childA1 in care since June 2023 with outcomes recorded; childA2 in care since
 * January 2023 with none; childB1 came into care in May 2024 (previously on a special
 * guardianship order, known to the month), was placed for adoption and adopted in February
 * 2025; unallocated came into care in October 2024 with nothing recorded.
 */
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  const { childA1, childA2, childB1, unallocated } = world.people;
  const recorded_by = world.users.swA.id;
  const la_id = world.laId;
  await db
    .updateTable("person")
    .set({ date_of_birth: "2012-05-10" })
    .where("id", "=", childA1)
    .execute();
  await episode(childA1, "2023-06-01");
  await episode(childA2, "2023-01-01");
  await episode(childB1, "2024-05-01", "2025-02-10", "E11");
  await episode(unallocated, "2024-10-01");
  const outcomes = { la_id, person_id: childA1, recorded_by, collection_year: "2024-25" };
  await db
    .insertInto("cla_outcomes")
    .values({ ...outcomes, sdq_score: 30, recorded_at: "2025-01-01" })
    .execute();
  await db
    .insertInto("cla_outcomes")
    .values({
      ...outcomes,
      sdq_score: 12,
      convicted: false,
      immunisations: true,
      teeth_check: true,
      health_assessment: false,
      substance_misuse: true,
      intervention_received: false,
      intervention_offered: true,
      recorded_at: "2025-02-01",
    })
    .execute();
  await db
    .insertInto("adoption")
    .values({
      la_id,
      person_id: childB1,
      recorded_by,
      best_interest_on: "2024-06-01",
      placement_order_on: "2024-07-01",
      matched_on: "2024-07-20",
      foster_care: false,
      number_of_adopters: 2,
      sex_of_adopters: "FF",
      legal_status_of_adopters: "L12",
      adopted_on: "2025-02-10",
    })
    .execute();
  await db
    .insertInto("adoption_decision")
    .values({
      la_id,
      person_id: childB1,
      recorded_by,
      decided_on: "2024-06-01",
      placed_on: "2024-08-01",
    })
    .execute();
  await db
    .insertInto("previous_permanence")
    .values({
      la_id,
      person_id: childB1,
      recorded_by,
      prev_perm: "P2",
      la_perm: "202",
      perm_year: 2019,
      perm_month: 7,
    })
    .execute();
  for (const [key, id] of Object.entries(world.people)) {
    const row = await db
      .selectFrom("person")
      .select("la_child_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    childIdOf.set(key, row.la_child_id);
  }
  generated = await generate903(db, world.laId, "2024-25");
});

const child = (key: string) => childIdOf.get(key) ?? "";

describe("the OC2, AD1, PlacedAdoption and PrevPerm tables", () => {
  it("are held: no table of the return is listed as not held", () => {
    expect(generated.notHeld).toEqual([]);
  });

  it("OC2 has each child looked after all year, with the latest outcomes or blanks", () => {
    const oc2 = generated.tables.OC2 ?? [];
    expect(oc2.map((r) => r.CHILD).sort()).toEqual([child("childA1"), child("childA2")].sort());
    expect(oc2.find((r) => r.CHILD === child("childA1"))).toMatchObject({
      DOB: "10/05/2012",
      SDQ_SCORE: "12",
      SDQ_REASON: "",
      CONVICTED: "0",
      HEALTH_CHECK: "",
      HEALTH_ASSESSMENT: "0",
      SUBSTANCE_MISUSE: "1",
      INTERVENTION_RECEIVED: "0",
      INTERVENTION_OFFERED: "1",
    });
    expect(oc2.find((r) => r.CHILD === child("childA2"))).toMatchObject({
      IMMUNISATIONS: "",
      SDQ_SCORE: "",
    });
  });

  it("AD1, PlacedAdoption and PrevPerm have the adopted child, in the DfE's formats", () => {
    expect(generated.tables.AD1).toEqual([
      expect.objectContaining({
        CHILD: child("childB1"),
        DATE_INT: "01/06/2024",
        DATE_MATCH: "20/07/2024",
        FOSTER_CARE: "0",
        NB_ADOPTR: "2",
        SEX_ADOPTR: "FF",
        LS_ADOPTR: "L12",
      }),
    ]);
    expect(generated.tables.PlacedAdoption).toEqual([
      expect.objectContaining({
        CHILD: child("childB1"),
        DATE_PLACED: "01/06/2024",
        DATE_PLACED_CEASED: "",
      }),
    ]);
    const prevPerm = generated.tables.PrevPerm ?? [];
    expect(prevPerm.find((r) => r.CHILD === child("childB1"))).toMatchObject({
      PREV_PERM: "P2",
      LA_PERM: "202",
      DATE_PERM: "zz/07/2019",
    });
    // unallocated came into care with no previous permanence recorded: a blank row rule 631 names.
    expect(prevPerm.find((r) => r.CHILD === child("unallocated"))).toMatchObject({ PREV_PERM: "" });
    expect(tableCsv("PrevPerm", prevPerm).split("\r\n")[0]).toBe(
      "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
    );
    expect(generated.recordIds.AD1?.[0]).toEqual(expect.any(String));
  });

  it("the rules on these tables name what is missing, and only that", () => {
    const failures = validate903(generated.tables, "2024-25");
    const ours = failures.filter((f) =>
      ["OC2", "AD1", "PlacedAdoption", "PrevPerm"].includes(f.table),
    );
    expect(ours.filter((f) => f.childId === child("childA2")).map((f) => f.rule)).toContain("191");
    expect(ours.filter((f) => f.childId === child("unallocated")).map((f) => f.rule)).toContain(
      "631",
    );
    expect(
      ours.filter((f) => [child("childA1"), child("childB1")].includes(f.childId ?? "")),
    ).toEqual([]);
  });

  it("are read back by the file check and the validate command, with the same failures", () => {
    const files = tableNames.map((t) => ({
      name: `${t}.csv`,
      bytes: new TextEncoder().encode(tableCsv(t, generated.tables[t] ?? [])),
    }));
    const read = readReturnFiles(files);
    if (!read.ok) throw new Error(read.message);
    expect(read.tables.PrevPerm).toEqual(generated.tables.PrevPerm);
    expect(read.tables.OC2).toEqual(generated.tables.OC2);
    const rules = (ret: typeof generated.tables) =>
      validate903(ret, "2024-25")
        .map((f) => f.rule)
        .sort();
    expect(rules(read.tables)).toEqual(rules(generated.tables));
  });
});
