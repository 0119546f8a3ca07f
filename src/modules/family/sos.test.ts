import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import { addStaff } from "../caseloads/test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let mapUrl: string;

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  mapUrl = `/families/${world.families.hartley}/workbook/signs-of-safety`;
});

function mapForm(
  basedOn: number,
  date: string,
  more: Record<string, string> = {},
): Record<string, string> {
  const [year = "", month = "", day = ""] = date.split("-");
  return {
    basedOn: String(basedOn),
    "mappedOn-day": day,
    "mappedOn-month": month,
    "mappedOn-year": year,
    worries: "Shouting at home late at night; Amelia missed school twice",
    workingWell: "Grandma collects the children from school every day",
    needsToHappen: "A safety plan the whole family agrees to",
    dangerStatement: "Everyone is worried the children will be hurt during arguments",
    safetyStatement: "The children will go to Grandma's whenever there is an argument",
    "scaling-1-participant": "Joanne Hartley (mum)",
    "scaling-1-family": "yes",
    "scaling-1-score": "6",
    "scaling-2-participant": "Social worker",
    "scaling-2-score": "3",
    ...more,
  };
}

async function mapsOf(workbookId: string) {
  return database.db
    .selectFrom("sos_map")
    .selectAll()
    .where("workbook_id", "=", workbookId)
    .orderBy("version_no")
    .execute();
}

async function scalingsOf(mapId: string) {
  return database.db
    .selectFrom("sos_scaling")
    .select(["position", "participant", "is_family", "score"])
    .where("map_id", "=", mapId)
    .orderBy("position")
    .execute();
}

async function mapEvents() {
  return database.db
    .selectFrom("chronology_entry")
    .select(["person_id", "summary", "occurred_on", "subject_id"])
    .where("kind", "=", "sos_map")
    .orderBy("recorded_at")
    .orderBy("person_id")
    .execute();
}

describe("recording a Signs of Safety map", () => {
  it("starts empty, then saves version 1 with its scalings, chronology and audit", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const empty = await sw.get(mapUrl);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain("No Signs of Safety map has been recorded");
    const form = await sw.get(`${mapUrl}/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="basedOn" value="0"');
    expect(form.body.match(/Scaling row \d/g)).toHaveLength(8);

    const saved = await sw.post(mapUrl, mapForm(0, "2026-02-27"));
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(mapUrl);
    const [map] = await mapsOf(world.workbooks.hartley);
    expect(map).toMatchObject({
      version_no: 1,
      mapped_on: "2026-02-27",
      worries: "Shouting at home late at night; Amelia missed school twice",
      safety_statement: "The children will go to Grandma's whenever there is an argument",
      recorded_by: world.users.swA.id,
    });
    // The six blank rows are ignored.
    expect(await scalingsOf(map?.id ?? "")).toEqual([
      { position: 1, participant: "Joanne Hartley (mum)", is_family: true, score: 6 },
      { position: 2, participant: "Social worker", is_family: false, score: 3 },
    ]);
    // One entry on each child's chronology; none on the adults'.
    const events = await mapEvents();
    expect(events.map((e) => e.person_id).sort()).toEqual(
      [world.people.childA1, world.people.childA2].sort(),
    );
    expect(events[0]).toMatchObject({
      summary: "Signs of Safety map, version 1",
      occurred_on: "2026-02-27",
      subject_id: map?.id,
    });
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({
      action: "sos_map.record",
      outcome: "allowed",
      subject_type: "sos_map",
      subject_id: map?.id,
    });
    expect(audit.person_ids).toEqual(
      expect.arrayContaining([world.people.childA1, world.people.motherA]),
    );
  });

  it("shows the latest version with the family's scaling marked, printable", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(mapUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Version 1, mapped on 27 February 2026, recorded by sw.a");
    expect(page.body).toContain("Grandma collects the children from school every day");
    expect(page.body).toContain("Everyone is worried the children will be hurt during arguments");
    expect(page.body).toMatch(/Joanne Hartley \(mum\)<\/td>\s*<td[^>]*>Family<\/td>\s*<td[^>]*>6</);
    expect(page.body).toMatch(/Social worker<\/td>\s*<td[^>]*>Professional<\/td>\s*<td[^>]*>3</);
    expect(page.body).toContain("data-trellis-print");
    expect(page.body).toContain('class="trellis-no-print"');
    expect(page.body).toContain("Record a new version");
    expect(await latestAudit(database)).toMatchObject({
      action: "sos_map.view",
      outcome: "allowed",
      subject_type: "sos_map",
    });
  });

  it("saves a new version, pre-filled from the latest, leaving the old one unchanged", async () => {
    const before = await mapsOf(world.workbooks.hartley);
    const tm = await signIn(app, world.users.tmA.email);
    const form = await tm.get(`${mapUrl}/new`);
    expect(form.body).toContain('name="basedOn" value="1"');
    expect(form.body).toContain("Shouting at home late at night; Amelia missed school twice");
    expect(form.body).toContain('value="Joanne Hartley (mum)"');
    expect(form.body).toContain("Saving adds version 2");

    const saved = await tm.post(
      mapUrl,
      mapForm(1, "2026-03-02", {
        worries: "Arguments have eased since the family meeting",
        "scaling-1-score": "7",
        "scaling-3-participant": "Grandma",
        "scaling-3-family": "yes",
        "scaling-3-score": "8",
      }),
    );
    expect(saved.statusCode).toBe(303);
    const maps = await mapsOf(world.workbooks.hartley);
    expect(maps).toHaveLength(2);
    expect(maps[0]).toEqual(before[0]);
    expect(await scalingsOf(maps[0]?.id ?? "")).toHaveLength(2);
    expect(maps[1]).toMatchObject({ version_no: 2, recorded_by: world.users.tmA.id });
    expect(await scalingsOf(maps[1]?.id ?? "")).toHaveLength(3);

    const page = await tm.get(mapUrl);
    expect(page.body).toContain("Version 2, mapped on 2 March 2026");
    expect(page.body).toContain("Arguments have eased since the family meeting");
    expect(page.body).toContain(`href="${mapUrl}/versions/1"`);
    const old = await tm.get(`${mapUrl}/versions/1`);
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain("This is an earlier version");
    expect(old.body).toContain("Shouting at home late at night; Amelia missed school twice");
    expect(old.body).not.toContain("Arguments have eased");
    expect((await tm.get(`${mapUrl}/versions/3`)).statusCode).toBe(404);
    expect((await tm.get(`${mapUrl}/versions/x`)).statusCode).toBe(404);
  });

  it("refuses the second of two forms from the same version (409), saving nothing", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const tm = await signIn(app, world.users.tmA.email);
    expect((await sw.get(`${mapUrl}/new`)).body).toContain('name="basedOn" value="2"');
    expect((await tm.get(`${mapUrl}/new`)).body).toContain('name="basedOn" value="2"');
    expect((await sw.post(mapUrl, mapForm(2, "2026-03-02"))).statusCode).toBe(303);
    const maps = await mapsOf(world.workbooks.hartley);
    const events = await mapEvents();

    const stale = await tm.post(
      mapUrl,
      mapForm(2, "2026-03-02", { worries: "Should not be saved" }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone saved a newer version of this map (version 3)");
    expect(await mapsOf(world.workbooks.hartley)).toEqual(maps);
    expect(await mapEvents()).toEqual(events);
    expect(await latestAudit(database)).toMatchObject({
      action: "sos_map.record",
      outcome: "failed",
      summary: { reason: "conflict" },
    });
  });
});

describe("the rules for a Signs of Safety map", () => {
  const cases: [string, Record<string, string>, string, string][] = [
    [
      "a score above 10",
      mapForm(3, "2026-03-02", {
        "scaling-3-participant": "Grandma",
        "scaling-3-score": "11",
      }),
      "scaling-3-score",
      "Scaling row 3 (Grandma): the score must be a whole number from 0 to 10",
    ],
    [
      "a negative score",
      mapForm(3, "2026-03-02", { "scaling-2-score": "-1" }),
      "scaling-2-score",
      "Scaling row 2 (Social worker): the score must be a whole number from 0 to 10",
    ],
    [
      "a score without a name",
      mapForm(3, "2026-03-02", { "scaling-5-score": "4" }),
      "scaling-5-participant",
      "Scaling row 5: enter who gave the score",
    ],
    [
      "no scaling at all",
      mapForm(3, "2026-03-02", {
        "scaling-1-participant": "",
        "scaling-1-score": "",
        "scaling-2-participant": "",
        "scaling-2-score": "",
      }),
      "scaling-1-participant",
      "Enter at least one scaling",
    ],
    ["a date in the future", mapForm(3, "2026-03-03"), "mappedOn-day", "today or in the past"],
    [
      "a date before the latest version",
      mapForm(3, "2026-02-20"),
      "mappedOn-day",
      "on or after the date of version 3 (2 March 2026)",
    ],
    [
      "no danger statement",
      mapForm(3, "2026-03-02", { dangerStatement: " " }),
      "dangerStatement",
      "Enter the danger statement",
    ],
  ];

  it.each(cases)(
    "refuses %s, naming the field and saving nothing",
    async (_, form, field, text) => {
      const sw = await signIn(app, world.users.swA.email);
      await sw.get(`${mapUrl}/new`);
      const maps = await mapsOf(world.workbooks.hartley);
      const response = await sw.post(mapUrl, form);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(`href="#${field}"`);
      expect(response.body).toContain(text);
      expect(await mapsOf(world.workbooks.hartley)).toEqual(maps);
      expect(await latestAudit(database)).toMatchObject({
        action: "sos_map.record",
        outcome: "failed",
        summary: { reason: "validation", fields: [field] },
      });
    },
  );
});

describe("who may see and record Signs of Safety maps", () => {
  it("is refused (404) to everyone outside the family's LA team, and nothing is saved", async () => {
    const maps = await mapsOf(world.workbooks.hartley);
    for (const user of [
      world.users.swB,
      world.users.police,
      world.users.health,
      world.users.analyst,
      world.users.admin,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      expect((await client.get(mapUrl)).statusCode, user.email).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        action: "sos_map.view",
        outcome: "denied",
      });
      expect((await client.get(`${mapUrl}/versions/1`)).statusCode, user.email).toBe(404);
      expect((await client.get(`${mapUrl}/new`)).statusCode, user.email).toBe(404);
      const attempt = await client.post(mapUrl, mapForm(3, "2026-03-02"));
      expect(attempt.statusCode, user.email).toBe(404);
    }
    expect(await mapsOf(world.workbooks.hartley)).toEqual(maps);
  });

  it("refuses the police, who see the shared child, as the map is the team's own", async () => {
    const police = await signIn(app, world.users.police.email);
    expect((await police.get(mapUrl)).statusCode).toBe(404);
    expect(await latestAudit(database)).toMatchObject({
      action: "sos_map.view",
      outcome: "denied",
      person_ids: [world.people.childA1],
    });
  });

  it("lets business support read the map but not record one", async () => {
    const support = await signIn(app, world.users.businessSupportA.email);
    const page = await support.get(mapUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Version 3");
    expect(page.body).not.toContain("Record a new version");
    expect((await support.get(`${mapUrl}/new`)).statusCode).toBe(404);
    const maps = await mapsOf(world.workbooks.hartley);
    expect((await support.post(mapUrl, mapForm(3, "2026-03-02"))).statusCode).toBe(404);
    expect(await mapsOf(world.workbooks.hartley)).toEqual(maps);
  });

  it("lets someone on emergency access read the map but not record one", async () => {
    const staff = await addStaff(database.db, world, "sw.b2@test.example", "social_worker", [
      world.teams.fsB,
    ]);
    const client = await signIn(app, staff.email);
    expect((await client.get(mapUrl)).statusCode).toBe(404);
    await client.get("/break-glass");
    const grant = await client.post("/break-glass", {
      personId: world.people.childA1,
      reason: "Police called out of hours: need to check the family's safety plan",
    });
    expect(grant.statusCode).toBe(303);
    const page = await client.get(mapUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("Record a new version");
    expect((await client.get(`${mapUrl}/new`)).statusCode).toBe(403);
    const maps = await mapsOf(world.workbooks.hartley);
    expect((await client.post(mapUrl, mapForm(3, "2026-03-02"))).statusCode).toBe(403);
    expect(await latestAudit(database)).toMatchObject({
      action: "sos_map.record",
      outcome: "denied",
    });
    expect(await mapsOf(world.workbooks.hartley)).toEqual(maps);
  });

  it("is a 404 for an unknown family", async () => {
    const sw = await signIn(app, world.users.swA.email);
    expect(
      (await sw.get("/families/00000000-0000-4000-8000-000000000000/workbook/signs-of-safety"))
        .statusCode,
    ).toBe(404);
    expect((await sw.get("/families/not-a-uuid/workbook/signs-of-safety")).statusCode).toBe(404);
  });
});
