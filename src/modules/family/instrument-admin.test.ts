import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import type { Instrument } from "../../domain/instruments/instrument.ts";
import type { Database } from "../../platform/database.ts";
import { resolveInstrument } from "./instruments.ts";
import { escaped, measureRows, scoringForm } from "./measure-test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

/** A council's own measure: a made-up three-item parenting stress scale. */
let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let admin: Client;

const often = [
  { value: 0, label: "Never" },
  { value: 1, label: "Sometimes" },
  { value: 2, label: "Often" },
  { value: 3, label: "Always" },
];

const parentingStress: Instrument = {
  id: "parenting_stress",
  name: "Parenting stress (Testshire scale)",
  version: "1",
  purpose: "How stretched the parent feels by day-to-day care. For discussion, not diagnosis.",
  items: [
    { id: "overwhelmed", label: "Feels overwhelmed by the children's needs", options: often },
    { id: "no_time", label: "No time for themselves", options: often },
    { id: "short_temper", label: "Loses temper with the children", options: often },
  ],
  scoring: { kind: "sum" },
  bands: [
    { min: 0, max: 3, level: "low", label: "Low stress" },
    { min: 4, max: 6, level: "moderate", label: "Moderate stress" },
    { min: 7, max: 9, level: "high", label: "High stress", note: "Discuss at group supervision." },
  ],
};

const submit = (definition: unknown, discipline = "general") => ({
  definition: typeof definition === "string" ? definition : JSON.stringify(definition, null, 2),
  discipline,
});

async function instrumentRows() {
  return database.db.selectFrom("measure_instrument").selectAll().execute();
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  admin = await signIn(app, world.users.admin.email);
});

describe("the council's own measures", () => {
  it("lists the built-ins with their items, bands and discipline", async () => {
    const page = await admin.get("/admin/instruments");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("PHQ-9 (depression)");
    expect(page.body).toContain("Thoughts of death or self-harm");
    expect(page.body).toContain("14 to 27: High risk");
    expect(page.body).toContain("Substance misuse");
    expect(page.body).toContain("Your council has not added any measures of its own.");
    expect(await latestAudit(database)).toMatchObject({
      action: "instrument.view",
      outcome: "allowed",
    });
  });

  const refusals: [string, Record<string, string>, string, string[]][] = [
    ["an empty definition", submit(""), "definition", ["Paste the measure&#39;s definition"]],
    ["JSON that does not parse", submit("{ id: nope"), "definition", ["is not valid JSON"]],
    [
      "a definition with a gap in its bands and an alert on a missing item",
      submit({
        ...parentingStress,
        bands: [
          { min: 0, max: 3, level: "low", label: "Low stress" },
          { min: 5, max: 9, level: "high", label: "High stress" },
        ],
        alerts: [{ code: "x", itemId: "nope", when: { kind: "non_zero" }, message: "Act" }],
      }),
      "definition",
      [
        "bands.1: Bands leave a gap: no band covers 4",
        escaped('alerts.0.itemId: Alert "x" names item "nope", which the instrument does not have'),
      ],
    ],
    [
      "a built-in's code",
      submit({ ...parentingStress, id: "phq9" }),
      "definition",
      ["is the code of a built-in measure, which cannot be replaced"],
    ],
    ["no discipline", submit(parentingStress, ""), "discipline", ["Select the discipline"]],
  ];

  it.each(refusals)("refuses %s, saving nothing", async (_, form, field, texts) => {
    await admin.get("/admin/instruments");
    const response = await admin.post("/admin/instruments", form);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#${field}"`);
    for (const text of texts) expect(response.body).toContain(text);
    expect(await instrumentRows()).toEqual([]);
    expect(await latestAudit(database)).toMatchObject({
      action: "instrument.manage",
      outcome: "failed",
    });
  });

  it("adds a valid measure, and refuses the same code and version again", async () => {
    const added = await admin.post("/admin/instruments", submit(parentingStress));
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe("/admin/instruments?added=parenting_stress");
    const [row] = await instrumentRows();
    expect(row).toMatchObject({
      la_id: world.laId,
      code: "parenting_stress",
      version: "1",
      discipline: "general",
      definition: parentingStress,
      active: true,
      added_by: world.users.admin.id,
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "instrument.manage",
      outcome: "allowed",
      subject_type: "measure_instrument",
      subject_id: row?.id,
    });
    const page = await admin.get(String(added.headers.location));
    expect(page.body).toContain("has been added");
    expect(page.body).toContain('data-testid="instrument-parenting_stress"');

    const again = await admin.post("/admin/instruments", submit(parentingStress));
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain(
      "Version 1 of &quot;parenting_stress&quot; has already been added",
    );
    expect(await instrumentRows()).toHaveLength(1);
  });

  it("is refused (404) to everyone without settings.manage", async () => {
    for (const user of [
      world.users.swA,
      world.users.tmA,
      world.users.analyst,
      world.users.police,
    ]) {
      const c = await signIn(app, user.email);
      expect((await c.get("/admin/instruments")).statusCode, user.email).toBe(404);
      const attempt = await c.post(
        "/admin/instruments",
        submit({ ...parentingStress, version: "2" }),
      );
      expect(attempt.statusCode, user.email).toBe(404);
    }
    expect(await instrumentRows()).toHaveLength(1);
  });

  it("can then be scored in a Workbook by its discipline, in this council only", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const base = `/families/${world.families.hartley}/workbook/measures`;
    expect((await sw.get(`${base}/new`)).body).toContain('value="parenting_stress"');
    const form = await sw.get(
      `${base}/new?person=${world.people.motherA}&instrument=parenting_stress`,
    );
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Loses temper with the children");
    const saved = await sw.post(
      base,
      scoringForm(world.people.motherA, parentingStress, {
        overwhelmed: 3,
        no_time: 2,
        short_temper: 2,
      }),
    );
    expect(saved.statusCode).toBe(303);
    expect(await measureRows(database.db, world.people.motherA)).toMatchObject([
      {
        instrument_code: "parenting_stress",
        instrument_version: "1",
        discipline: "general",
        total: 7,
        computed_level: "high",
      },
    ]);
    const result = await sw.get(String(saved.headers.location));
    expect(result.body).toContain("Parenting stress (Testshire scale)");
    expect(result.body).toContain("High stress");
    expect(result.body).toContain("Discuss at group supervision.");
    expect(await resolveInstrument(database.db, world.otherLaId, "parenting_stress", "1")).toBe(
      undefined,
    );
  });
});
