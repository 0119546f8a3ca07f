import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { phq9, readinessToChange } from "../../domain/instruments/library.ts";
import type { Database } from "../../platform/database.ts";
import { answersOf, scoringForm } from "./measure-test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

/** Change over time: the mother's PHQ-9 falls from 16 to 2; her readiness rises from 3 to 8. */
let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let sw: Client;

const base = () => `/families/${world.families.hartley}/workbook/measures`;
const goal = { goal: "Stay sober at weekends" };

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  const mh = await signIn(app, world.users.adultSpecialistA.email);
  sw = await signIn(app, world.users.swA.email);
  const mother = world.people.motherA;
  const phq = (answers: Record<string, number | undefined>, date: string) =>
    mh.post(base(), scoringForm(mother, phq9, answers, {}, date));
  for (const response of [
    await phq(answersOf(phq9, 2, { q9: 0 }), "2026-02-05"),
    await phq(answersOf(phq9, 1, { q9: 0, q1: 3 }), "2026-02-16"),
    await phq(answersOf(phq9, 0, { q1: 2 }), "2026-03-01"),
    await sw.post(
      base(),
      scoringForm(mother, readinessToChange, { readiness: 3 }, goal, "2026-02-10"),
    ),
    await sw.post(
      base(),
      scoringForm(mother, readinessToChange, { readiness: 8 }, goal, "2026-02-28"),
    ),
  ]) {
    expect(response.statusCode).toBe(303);
  }
});

/** The summary table's row for a measure, as text without tags. */
function summaryRow(body: string, measure: string): string {
  const table = body.slice(body.indexOf('data-testid="change-summary"'));
  const rows = table.slice(0, table.indexOf("</table>")).split("<tr").slice(2);
  const row = rows.find((r) => r.includes(measure)) ?? "";
  return `<tr${row}`
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("change over time", () => {
  it("shows the first and latest scoring of each measure and the change", async () => {
    const page = await sw.get(base());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("The Workbook was opened on 2 February 2026");
    expect(summaryRow(page.body, "PHQ-9")).toBe(
      "Joanne Hartley PHQ-9 (depression) 5 February 2026: 16 , Moderately severe 1 March 2026: 2 , Minimal Down 14",
    );
    expect(summaryRow(page.body, "Readiness")).toBe(
      "Joanne Hartley Readiness to change (scaling question) Goal: Stay sober at weekends 10 February 2026: 3 , Not ready 28 February 2026: 8 , Ready Up 5",
    );
    expect(await latestAudit(database)).toMatchObject({
      action: "measure.view",
      outcome: "allowed",
      subject_type: "family",
      summary: { scorings: 5 },
    });
    const audit = await latestAudit(database);
    expect([...audit.person_ids].sort()).toEqual(
      [world.people.childA1, world.people.childA2, world.people.motherA, world.fatherA].sort(),
    );
  });

  it("draws a chart for each person and measure, described for screen readers", async () => {
    const page = await sw.get(base());
    const charts = page.body.match(/<svg[^>]*role="img"[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(2);
    for (const chart of charts) expect(chart).not.toMatch(/<script|<foreignObject| on\w+=/);
    expect(page.body).toContain(
      'aria-label="PHQ-9 (depression) for Joanne Hartley: 3 scorings, first 5 February 2026: total 16, Moderately severe; latest 1 March 2026: total 2, Minimal; total down 14"',
    );
    expect(page.body.match(/<circle /g)).toHaveLength(5);
    // Each scoring is also in a table beside the chart, linked to its result.
    expect(page.body.match(/workbook\/measures\/[0-9a-f-]{36}"/g)).toHaveLength(5);
  });

  it("narrows the scorings to a period given in date inputs", async () => {
    const page = await sw.get(
      `${base()}?from-day=10&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Showing scorings from 10 February 2026 to 1 March 2026");
    expect(summaryRow(page.body, "PHQ-9")).toContain(
      "16 February 2026: 10 , Moderate 1 March 2026: 2 , Minimal Down 8",
    );
    expect(page.body).not.toContain("5 February 2026");
    expect(summaryRow(page.body, "Readiness")).toContain("Up 5");
    expect(await latestAudit(database)).toMatchObject({
      action: "measure.view",
      summary: { scorings: 4, from: "2026-02-10", to: "2026-03-01" },
    });
  });

  it("takes the period as ISO dates in a link too", async () => {
    const page = await sw.get(`${base()}?from=2026-02-01&to=2026-02-20`);
    expect(summaryRow(page.body, "PHQ-9")).toContain(
      "5 February 2026: 16 , Moderately severe 16 February 2026: 10 , Moderate Down 6",
    );
    expect(summaryRow(page.body, "Readiness")).toContain("Scored once");
    expect(page.body).not.toContain("1 March 2026: 2");
  });

  it("says when nothing was scored in the period", async () => {
    const page = await sw.get(`${base()}?from=2026-03-02`);
    expect(page.body).toContain("No measures you may see have been scored between these dates");
    expect(page.body).not.toContain('data-testid="change-summary"');
  });

  it("refuses a period that ends before it starts, or a date that is not real", async () => {
    const backwards = await sw.get(`${base()}?from=2026-02-20&to=2026-02-10`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('href="#to-day"');
    expect(backwards.body).toContain("The end date must be the same as or after the start date");
    const unreal = await sw.get(`${base()}?from-day=31&from-month=2&from-year=2026`);
    expect(unreal.statusCode).toBe(400);
    expect(unreal.body).toContain('href="#from-day"');
    expect(unreal.body).toContain("must be a real date");
  });
});
