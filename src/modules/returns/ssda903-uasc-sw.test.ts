import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { validate903 } from "../../domain/ssda903/rules/index.ts";
import type { Database } from "../../platform/database.ts";
import { generate903, type Generated903 } from "./ssda903-generate.ts";

let database: Database;
let world: World;
let generated: Generated903;
let earlierAllocation = "";
const childIdOf = new Map<string, string>();

async function episode(personId: string, start: string, end?: string) {
  await database.db
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
      reason_ceased: end ? "E4A" : null,
      recorded_by: world.users.swA.id,
    })
    .execute();
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  const { childA1, childA2, childB1 } = world.people;
  // childA1: in care since February 2024, an unaccompanied asylum-seeking child until February
  // 2025; a first worker (no Social Work England number recorded) who left, then swA.
  await episode(childA1, "2024-02-01");
  await db
    .updateTable("person")
    .set({ uasc: true, uasc_ceased_on: "2025-02-01" })
    .where("id", "=", childA1)
    .execute();
  // childA2 is UASC but never looked after: in no table. childB1 left care in January 2025:
  // in the return, but not looked after on 31 March, so no social worker episodes.
  await db.updateTable("person").set({ uasc: true }).where("id", "=", childA2).execute();
  await episode(childB1, "2024-05-01", "2025-01-01");
  await db
    .updateTable("app_user")
    .set({ swe_registration: "SW123456" })
    .where("id", "=", world.users.swA.id)
    .execute();
  const earlier = await db
    .insertInto("allocation")
    .values({
      la_id: world.laId,
      person_id: childA1,
      worker_id: world.users.swB.id,
      team_id: world.teams.fsA,
      start_date: "2024-01-10",
      end_date: "2025-01-06",
      end_reason: "LEFTRL",
      end_kind: "reallocated",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  earlierAllocation = earlier.id;
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

describe("the SSDA903's UASC and SWEpisodes tables", () => {
  it("lists each UASC child in the return with the date the status ceased", () => {
    expect(generated.tables.UASC).toEqual([
      { CHILD: childIdOf.get("childA1"), DOB: "27/03/2015", SEX: "2", DUC: "01/02/2025" },
    ]);
  });

  it("lists every worker of the year for a child looked after on 31 March, with the reason each changed", () => {
    expect(generated.tables.SWEpisodes).toEqual([
      {
        CHILD: childIdOf.get("childA1"),
        DOB: "27/03/2015",
        SW_ID: "",
        SW_DECOM: "10/01/2024",
        SW_DEC: "06/01/2025",
        SW_REASON: "LEFTRL",
      },
      {
        CHILD: childIdOf.get("childA1"),
        DOB: "27/03/2015",
        SW_ID: "SW123456",
        SW_DECOM: "06/01/2025",
        SW_DEC: "",
        SW_REASON: "",
      },
    ]);
    expect(generated.recordIds.SWEpisodes?.[0]).toBe(earlierAllocation);
  });

  it("runs the UASC and social worker rules on them: a worker without a number is reported", () => {
    const failures = validate903(generated.tables, "2024-25");
    const sw = failures.filter((f) => f.table === "SWEpisodes" || f.table === "UASC");
    expect(sw).toEqual([expect.objectContaining({ rule: "SW03STG1", field: "SW_ID", row: 0 })]);
    expect(failures.some((f) => f.rule === "SW01STG1")).toBe(false);
  });

  it("keeps the reason for a change of social worker when an allocation is ended", async () => {
    const { app } = await testApp(database);
    const sw = await signIn(app, world.users.swA.email);
    const current = await database.db
      .selectFrom("allocation")
      .select("id")
      .where("person_id", "=", world.people.childA1)
      .where("end_date", "is", null)
      .executeTakeFirstOrThrow();
    const url = `/people/${world.people.childA1}/allocations/${current.id}/end`;
    const form = await sw.get(url);
    expect(form.body).toContain("Why is the social worker changing?");
    const bad = await sw.post(url, {
      "endDate-day": "1",
      "endDate-month": "3",
      "endDate-year": "2026",
      note: "Moving on",
      reason: "NOPE",
    });
    expect(bad.statusCode).toBe(400);
    const saved = await sw.post(url, {
      "endDate-day": "1",
      "endDate-month": "3",
      "endDate-year": "2026",
      note: "Moving on",
      reason: "MANAGE",
    });
    expect(saved.statusCode).toBe(303);
    const ended = await database.db
      .selectFrom("allocation")
      .select(["end_reason", "end_kind"])
      .where("id", "=", current.id)
      .executeTakeFirstOrThrow();
    expect(ended).toEqual({ end_reason: "MANAGE", end_kind: "ended" });
  });
});
