import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { latestAudit } from "../../../test/support/database.ts";
import { signIn, type Client } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import { loadActor } from "../../access/actor.ts";
import { AppError } from "../../platform/errors.ts";
import type { Database } from "../../platform/database.ts";
import { recordPreviousPermanence } from "./permanence-service.ts";
import { chronologyOf, day, expectNotFoundForOutsiders, setUp } from "./test-support.ts";

// The test clock reads 2 March 2026.
let database: Database;
let world: World;
let app: FastifyInstance;
let sw: Client;

beforeAll(async () => {
  ({ database, world, app, sw } = await setUp());
  await database.db
    .updateTable("person")
    .set({ date_of_birth: "2012-05-10" })
    .where("id", "=", world.people.childA1)
    .execute();
});

const base = () => `/people/${world.people.childA1}/looked-after`;
const rows = (table: "adoption" | "adoption_decision" | "previous_permanence" | "cla_outcomes") =>
  database.db.selectFrom(table).selectAll().where("person_id", "=", world.people.childA1).execute();

describe("decisions that a child should be placed for adoption", () => {
  it("refuses a placement before the decision, saying what to do, and saves nothing", async () => {
    const refused = await sw.post(`${base()}/adoption-decisions/new`, {
      ...day("decidedOn", "2025-06-10"),
      ...day("placedOn", "2025-06-01"),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("only after the decision that they should be");
    expect(refused.body).toContain("record the decision");
    const noReason = await sw.post(`${base()}/adoption-decisions/new`, {
      ...day("decidedOn", "2025-06-10"),
      ...day("ceasedOn", "2025-08-01"),
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain("Select why the child should no longer be placed");
    expect(await rows("adoption_decision")).toEqual([]);
  });

  it("records a decision and the placement, on the chronology, and refuses a second while it is open", async () => {
    const saved = await sw.post(`${base()}/adoption-decisions/new`, {
      ...day("decidedOn", "2025-06-10"),
      ...day("placedOn", "2025-09-01"),
    });
    expect(saved.statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "cla.record",
      outcome: "allowed",
      person_ids: [world.people.childA1],
    });
    const [decision] = await rows("adoption_decision");
    expect(decision).toMatchObject({ decided_on: "2025-06-10", placed_on: "2025-09-01" });
    expect(await chronologyOf(database.db, world.people.childA1, "placed_for_adoption")).toEqual([
      expect.objectContaining({
        occurred_on: "2025-09-01",
        summary: "Placed for adoption on 1 September 2025",
      }),
    ]);
    const second = await sw.post(`${base()}/adoption-decisions/new`, {
      ...day("decidedOn", "2025-12-01"),
    });
    expect(second.statusCode).toBe(400);
    expect(second.body).toContain("is still open");
    // The form for the decision shows it as saved, and the summary page lists it.
    const form = await sw.get(`${base()}/adoption-decisions/${decision?.id ?? ""}`);
    expect(form.body).toContain('value="2025"');
    const page = await sw.get(`${base()}/permanence`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("1 September 2025");
    expect(await latestAudit(database)).toMatchObject({ action: "cla.view", outcome: "allowed" });
  });
});

describe("the adoption (AD1)", () => {
  it("refuses a match before the placement order and adopters described two ways", async () => {
    const refused = await sw.post(`${base()}/adoption`, {
      ...day("bestInterestOn", "2025-06-10"),
      ...day("placementOrderOn", "2025-10-01"),
      ...day("matchedOn", "2025-09-15"),
      numberOfAdopters: "1",
      sexOfAdopters: "MF",
      legalStatusOfAdopters: "L3",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("Matching cannot be before the placement order");
    expect(refused.body).toContain("One adopter is a single male or a single female adopter");
    expect(await rows("adoption")).toEqual([]);
  });

  it("records the adoption, and the adoption order on the chronology", async () => {
    const saved = await sw.post(`${base()}/adoption`, {
      ...day("bestInterestOn", "2025-06-10"),
      ...day("placementOrderOn", "2025-08-01"),
      ...day("matchedOn", "2025-08-20"),
      fosterCare: "no",
      numberOfAdopters: "2",
      sexOfAdopters: "MF",
      legalStatusOfAdopters: "L11",
      ...day("adoptedOn", "2026-02-02"),
    });
    expect(saved.statusCode).toBe(303);
    expect(await rows("adoption")).toEqual([
      expect.objectContaining({
        matched_on: "2025-08-20",
        sex_of_adopters: "MF",
        number_of_adopters: 2,
      }),
    ]);
    expect(await chronologyOf(database.db, world.people.childA1, "adoption_order")).toEqual([
      expect.objectContaining({
        occurred_on: "2026-02-02",
        summary: "Adoption order made on 2 February 2026",
      }),
    ]);
  });
});

describe("previous permanence (PrevPerm)", () => {
  it("keeps a date known only to the year, and refuses a date with no order", async () => {
    const none = await sw.post(`${base()}/previous-permanence`, {
      prevPerm: "Z1",
      laPerm: "202",
      "permDate-year": "2019",
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain("leave the council and the date empty");
    const dayNoMonth = await sw.post(`${base()}/previous-permanence`, {
      prevPerm: "P2",
      "permDate-day": "4",
      "permDate-year": "2019",
    });
    expect(dayNoMonth.statusCode).toBe(400);
    expect(dayNoMonth.body).toContain("a day needs its month");
    const notReal = await sw.post(`${base()}/previous-permanence`, {
      prevPerm: "P2",
      "permDate-day": "31",
      "permDate-month": "2",
      "permDate-year": "0",
    });
    expect(notReal.statusCode).toBe(400);
    expect(notReal.body).toContain("must be a real date");
    expect(await rows("previous_permanence")).toEqual([]);
    const saved = await sw.post(`${base()}/previous-permanence`, {
      prevPerm: "P2",
      laPerm: "202",
      "permDate-month": "7",
      "permDate-year": "2019",
    });
    expect(saved.statusCode).toBe(303);
    expect(await rows("previous_permanence")).toEqual([
      expect.objectContaining({
        prev_perm: "P2",
        la_perm: "202",
        perm_year: 2019,
        perm_month: 7,
        perm_day: null,
      }),
    ]);
    expect((await sw.get(`${base()}/permanence`)).body).toContain("zz/07/2019");
  });
});

describe("outcomes for children looked after 12 months (OC2)", () => {
  it("refuses a score with a reason and interventions without a problem; saves a year's answers", async () => {
    const answers = {
      immunisations: "yes",
      teethCheck: "yes",
      healthAssessment: "no",
      convicted: "no",
    };
    const refused = await sw.post(`${base()}/outcomes/2024-25`, {
      ...answers,
      sdqScore: "14",
      sdqReason: "SDQ2",
      substanceMisuse: "no",
      interventionReceived: "no",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("not both");
    expect(refused.body).toContain("leave the interventions unanswered");
    const badScore = await sw.post(`${base()}/outcomes/2024-25`, { ...answers, sdqScore: "41" });
    expect(badScore.statusCode).toBe(400);
    expect(await rows("cla_outcomes")).toEqual([]);
    const saved = await sw.post(`${base()}/outcomes/2024-25`, {
      ...answers,
      sdqScore: "14",
      substanceMisuse: "yes",
      interventionReceived: "yes",
    });
    expect(saved.statusCode).toBe(303);
    expect(await rows("cla_outcomes")).toEqual([
      expect.objectContaining({
        collection_year: "2024-25",
        sdq_score: 14,
        health_assessment: false,
        intervention_received: true,
      }),
    ]);
    expect((await sw.get(`${base()}/outcomes/2023-25`)).statusCode).toBe(404);
  });
});

describe("who may record adoption and permanence", () => {
  it("is not found for anyone who may not record on the child, and a partner's post saves nothing", async () => {
    for (const path of [
      "adoption",
      "adoption-decisions/new",
      "previous-permanence",
      "outcomes/2024-25",
    ]) {
      await expectNotFoundForOutsiders({ app, database, world }, `${base()}/${path}`, "cla.view");
    }
    await expectNotFoundForOutsiders({ app, database, world }, `${base()}/permanence`, "cla.view");
    const police = await signIn(app, world.users.police.email);
    const posted = await police.post(`${base()}/previous-permanence`, { prevPerm: "P1" });
    expect(posted.statusCode).toBe(404);
    expect(await rows("previous_permanence")).toHaveLength(1);
  });

  it("refuses in the service too: a social worker who does not have the child records nothing", async () => {
    const other = await loadActor(database.db, world.users.swB.id);
    if (!other) throw new Error("no swB");
    const attempt = recordPreviousPermanence(database.db, other, {
      personId: world.people.childA1,
      now: new Date("2026-03-02T10:00:00Z"),
      today: "2026-03-02",
      permanence: { prevPerm: "P1", laPerm: null, year: null, month: null, day: null },
    });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "not_found" });
    expect(await rows("previous_permanence")).toHaveLength(1);
  });
});
