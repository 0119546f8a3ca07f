import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import type { Instrument } from "../../domain/instruments/instrument.ts";
import {
  audit,
  dashRiskChecklist,
  gad7,
  phq9,
  readinessToChange,
} from "../../domain/instruments/library.ts";
import type { Database } from "../../platform/database.ts";
import {
  answersOf,
  escaped,
  firstAnswered,
  measureRows,
  scoringForm,
} from "./measure-test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
const clients: Record<string, Client> = {};

// The test clock says Monday 2 March 2026; the Hartley Workbook opened on 2 February 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  clients.swA = await signIn(app, world.users.swA.email);
  clients.mentalHealth = await signIn(app, world.users.adultSpecialistA.email);
  clients.recovery = await signIn(app, world.staff.recoveryA.email);
  clients.da = await signIn(app, world.staff.daA.email);
});

const client = (key: string): Client => {
  const c = clients[key];
  if (!c) throw new Error(`no client ${key}`);
  return c;
};
const base = () => `/families/${world.families.hartley}/workbook/measures`;
const formUrl = (personId: string, code: string) =>
  `${base()}/new?person=${personId}&instrument=${code}`;

interface Case {
  name: string;
  who: string;
  instrument: Instrument;
  answers: Record<string, number>;
  extra?: Record<string, string>;
  total: number;
  level: string;
  label: string;
}

// Each built-in scored at the lowest total of one of its bands.
const cases: Case[] = [
  {
    name: "DASH at 14 (high: MARAC)",
    who: "da",
    instrument: dashRiskChecklist,
    answers: firstAnswered(dashRiskChecklist, 14),
    total: 14,
    level: "high",
    label: "High risk",
  },
  {
    name: "AUDIT at 8 (zone II)",
    who: "recovery",
    instrument: audit,
    answers: { ...firstAnswered(audit, 0), q1: 4, q2: 4 },
    total: 8,
    level: "zone_2",
    label: "Zone II: increasing risk",
  },
  {
    name: "PHQ-9 at 10 (moderate)",
    who: "mentalHealth",
    instrument: phq9,
    answers: { ...firstAnswered(phq9, 0), q1: 3, q2: 3, q3: 3, q4: 1 },
    total: 10,
    level: "moderate",
    label: "Moderate",
  },
  {
    name: "GAD-7 at 15 (severe)",
    who: "mentalHealth",
    instrument: gad7,
    answers: firstAnswered(gad7, 5, 3),
    total: 15,
    level: "severe",
    label: "Severe",
  },
  {
    name: "readiness to change at 7 (ready)",
    who: "swA",
    instrument: readinessToChange,
    answers: { readiness: 7 },
    extra: { goal: "Stop drinking on weekdays" },
    total: 7,
    level: "ready",
    label: "Ready",
  },
];

describe("scoring each built-in measure through the form", () => {
  it.each(cases)("$name", async (c) => {
    const mother = world.people.motherA;
    const form = await client(c.who).get(formUrl(mother, c.instrument.id));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(escaped(c.instrument.name));
    for (const item of c.instrument.items) expect(form.body).toContain(`name="item_${item.id}"`);
    expect(form.body.includes('name="goal"')).toBe(c.instrument === readinessToChange);
    const before = (await measureRows(database.db, mother)).length;

    const saved = await client(c.who).post(
      base(),
      scoringForm(mother, c.instrument, c.answers, c.extra),
    );
    expect(saved.statusCode).toBe(303);
    const rows = await measureRows(database.db, mother);
    expect(rows).toHaveLength(before + 1);
    const row = rows.find((r) => saved.headers.location === `${base()}/${r.id}`);
    expect(row).toMatchObject({
      workbook_id: world.workbooks.hartley,
      instrument_code: c.instrument.id,
      instrument_version: "1",
      administered_on: "2026-03-01",
      answers: c.answers,
      total: c.total,
      computed_level: c.level,
      judged_level: c.level,
      judgement_reason: null,
      goal: c.extra?.goal ?? null,
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "measure.record",
      outcome: "allowed",
      person_ids: [mother],
      subject_type: "measure_result",
      subject_id: row?.id,
    });

    const page = await client(c.who).get(String(saved.headers.location));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(escaped(c.label));
    expect(page.body).toMatch(new RegExp(`Total\\s*</dt>\\s*<dd[^>]*>\\s*${String(c.total)}\\s*<`));
  });

  it("shows the MARAC note for a DASH scoring of 14 or more", async () => {
    const [dash] = (await measureRows(database.db, world.people.motherA)).filter(
      (r) => r.instrument_code === "dash_risk_checklist",
    );
    const page = await client("da").get(`${base()}/${String(dash?.id)}`);
    expect(page.body).toContain("14 or more risk factors prompts a referral to MARAC.");
    expect(page.body).toContain("Current injury");
  });
});

describe("professional judgement", () => {
  const mother = () => world.people.motherA;
  const thirteen = () => firstAnswered(dashRiskChecklist, 13);

  it("accepts a DASH raised above the computed level with a reason", async () => {
    const saved = await client("da").post(
      base(),
      scoringForm(mother(), dashRiskChecklist, thirteen(), {
        judgedLevel: "high",
        judgementReason: "New threats to kill reported after the checklist was completed",
      }),
    );
    expect(saved.statusCode).toBe(303);
    const rows = await measureRows(database.db, mother());
    const row = rows.find((r) => String(saved.headers.location).endsWith(r.id));
    expect(row).toMatchObject({
      total: 13,
      computed_level: "medium",
      judged_level: "high",
      judgement_reason: "New threats to kill reported after the checklist was completed",
    });
    const page = await client("da").get(String(saved.headers.location));
    expect(page.body).toContain("raised by professional judgement from Medium risk");
  });

  const refusals: [string, Instrument, () => Record<string, string>, string, string][] = [
    [
      "a DASH lowered below the computed level",
      dashRiskChecklist,
      () =>
        scoringForm(mother(), dashRiskChecklist, thirteen(), {
          judgedLevel: "standard",
          judgementReason: "She is moving away",
        }),
      "judgedLevel",
      "Professional judgement can raise the level but not lower it",
    ],
    [
      "a DASH raised without a reason",
      dashRiskChecklist,
      () => scoringForm(mother(), dashRiskChecklist, thirteen(), { judgedLevel: "high" }),
      "judgementReason",
      "Give a reason for raising the level from",
    ],
    [
      "a different level on a measure without an override policy",
      phq9,
      () =>
        scoringForm(mother(), phq9, answersOf(phq9, 0), {
          judgedLevel: "severe",
          judgementReason: "Presents worse than the answers",
        }),
      "judgedLevel",
      "does not allow its level to be changed",
    ],
  ];

  it.each(refusals)("refuses %s, saving nothing", async (_, instrument, form, field, text) => {
    const who = instrument === phq9 ? "mentalHealth" : "da";
    const before = await measureRows(database.db, mother());
    const response = await client(who).post(base(), form());
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#${field}"`);
    expect(response.body).toContain(text);
    expect(await measureRows(database.db, mother())).toEqual(before);
    expect(await latestAudit(database)).toMatchObject({
      action: "measure.record",
      outcome: "failed",
      summary: { reason: "validation", fields: [field] },
    });
  });
});

describe("answers and dates that are refused", () => {
  const mother = () => world.people.motherA;
  const cases: [string, () => Record<string, string>, string, string][] = [
    [
      "a missing item",
      () => scoringForm(mother(), phq9, answersOf(phq9, 1, { q4: undefined })),
      "item_q4",
      escaped('No answer for "Tiredness or low energy"'),
    ],
    [
      "an answer out of range",
      () => scoringForm(mother(), phq9, answersOf(phq9, 1, { q2: 7 })),
      "item_q2",
      escaped('7 is not an answer to "Feeling low or hopeless": allowed values are 0, 1, 2, 3'),
    ],
    [
      "a date in the future",
      () => scoringForm(mother(), phq9, answersOf(phq9, 1), {}, "2026-03-03"),
      "administeredOn-day",
      "today or in the past",
    ],
    [
      "a date before the Workbook opened",
      () => scoringForm(mother(), phq9, answersOf(phq9, 1), {}, "2026-02-01"),
      "administeredOn-day",
      "on or after the day the Workbook was opened (2 February 2026)",
    ],
  ];

  it.each(cases)("refuses %s, naming it and saving nothing", async (_, form, field, text) => {
    const before = await measureRows(database.db, mother());
    const response = await client("mentalHealth").post(base(), form());
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`href="#${field}"`);
    expect(response.body).toContain(text);
    expect(await measureRows(database.db, mother())).toEqual(before);
  });

  it("names every missing item at once", async () => {
    const response = await client("mentalHealth").post(
      base(),
      scoringForm(mother(), gad7, answersOf(gad7, 0, { q1: undefined, q7: undefined })),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#item_q1"');
    expect(response.body).toContain('href="#item_q7"');
  });

  it("requires the goal for readiness to change", async () => {
    const before = await measureRows(database.db, mother());
    const response = await client("swA").post(
      base(),
      scoringForm(mother(), readinessToChange, { readiness: 5 }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#goal"');
    expect(await measureRows(database.db, mother())).toEqual(before);
  });
});

describe("who scores which measure", () => {
  it("offers each practitioner only the measures of their discipline", async () => {
    const recovery = await client("recovery").get(`${base()}/new`);
    expect(recovery.statusCode).toBe(200);
    expect(recovery.body).toContain('value="audit"');
    expect(recovery.body).toContain('value="readiness_to_change"');
    expect(recovery.body).not.toContain('value="phq9"');
    expect(recovery.body).not.toContain('value="dash_risk_checklist"');
    const sw = await client("swA").get(`${base()}/new`);
    expect(sw.body).toContain('value="dash_risk_checklist"');
    expect(sw.body).not.toContain('value="phq9"');
    const mh = await client("mentalHealth").get(`${base()}/new`);
    expect(mh.body).toContain('value="phq9"');
    expect(mh.body).toContain('value="gad7"');
    expect(mh.body).not.toContain('value="audit"');
  });

  it("takes the chosen person and measure to the form, or asks for them", async () => {
    const missing = await client("swA").get(`${base()}/new?person=${world.people.motherA}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#instrument"');
  });

  it("refuses PHQ-9 to the recovery worker and the social worker, saving nothing", async () => {
    const mother = world.people.motherA;
    const before = await measureRows(database.db, mother);
    for (const who of ["recovery", "swA"]) {
      expect((await client(who).get(formUrl(mother, "phq9"))).statusCode, who).toBe(403);
      const attempt = await client(who).post(base(), scoringForm(mother, phq9, answersOf(phq9, 0)));
      expect(attempt.statusCode, who).toBe(403);
      expect(await latestAudit(database)).toMatchObject({
        action: "measure.record",
        outcome: "denied",
        person_ids: [mother],
      });
    }
    expect(await measureRows(database.db, mother)).toEqual(before);
  });

  it("lets the social worker score DASH, and refuses AUDIT to them", async () => {
    const mother = world.people.motherA;
    expect((await client("swA").get(formUrl(mother, "dash_risk_checklist"))).statusCode).toBe(200);
    expect((await client("swA").get(formUrl(mother, "audit"))).statusCode).toBe(403);
  });

  it("answers 404 for an unknown measure or a person outside the family", async () => {
    expect((await client("swA").get(formUrl(world.people.motherA, "nonsense"))).statusCode).toBe(
      404,
    );
    expect(
      (await client("swA").get(formUrl(world.people.childB1, "readiness_to_change"))).statusCode,
    ).toBe(404);
  });
});
