import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { escaped, useRulesHarness } from "./rules-harness.ts";
import { dateFields, openEpisode, strategyForm } from "./test-support.ts";

// The strategy discussion and section 47 rules, through the routes. Each refusal must name the
// field, save nothing and be audited as failed. Today is Monday 2 March 2026.
const h = useRulesHarness();
const { url, counts, expectRefused, latestS47 } = h;
let database: Database;
let world: World;
let sw: Client;
let child: string;

beforeAll(() => {
  ({ database, world, sw, child } = h);
});

describe("strategy discussion rules", () => {
  it("needs an open episode of need", async () => {
    const form = await sw.get(url("/strategy-discussions/new"));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("has no open episode of need");
    expect(form.body).not.toContain(`action="/people/${child}/strategy-discussions"`);
    expect((await sw.get(url("/protection"))).body).not.toContain("Record a strategy discussion");
    await expectRefused(
      () => sw.post(url("/strategy-discussions"), strategyForm("2026-02-10")),
      ["main-content"],
      "A strategy discussion needs an open episode of need",
    );
    await openEpisode(database.db, world, child, "2026-02-02");
  });

  it("refuses a date in the future, before the referral or not real", async () => {
    const post = (heldOn: Record<string, string>) => () =>
      sw.post(url("/strategy-discussions"), { ...strategyForm("2026-02-10"), ...heldOn });
    await expectRefused(
      post(dateFields("heldOn", "2026-03-03")),
      ["heldOn-day"],
      "The strategy discussion cannot be in the future",
    );
    await expectRefused(
      post(dateFields("heldOn", "2026-02-01")),
      ["heldOn-day"],
      "The strategy discussion cannot be before the referral date (2 February 2026)",
    );
    await expectRefused(
      post({ "heldOn-day": "31", "heldOn-month": "2", "heldOn-year": "2026" }),
      ["heldOn-day"],
      "must be a real date",
    );
  });

  it("names every missing answer: concerns, attendees and outcome, in the page's order", async () => {
    const response = await expectRefused(
      () => sw.post(url("/strategy-discussions"), dateFields("heldOn", "2026-02-10")),
      ["concerns", "attendees", "outcome"],
      "Add at least one attendee, with their agency and name",
    );
    const summary = response.body.slice(0, response.body.indexOf("<form"));
    const order = ["#concerns", "#attendees", "#outcome"].map((href) => summary.indexOf(href));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("refuses a half-filled attendee row and an unknown agency", async () => {
    await expectRefused(
      () =>
        sw.post(url("/strategy-discussions"), {
          ...strategyForm("2026-02-10"),
          "attendee-0-agency": "secret_service",
          "attendee-3-role": "Teacher",
        }),
      ["attendee-0-agency", "attendee-3-agency", "attendee-3-name"],
      "Select the agency of attendee 1 from the list",
    );
    // A row with a mistake counts as an attendee: its own error is enough.
    const response = await expectRefused(
      () =>
        sw.post(url("/strategy-discussions"), {
          ...dateFields("heldOn", "2026-02-10"),
          concerns: "Synthetic concerns",
          outcome: "no_s47",
          "attendee-0-name": "Sam Testworker",
        }),
      ["attendee-0-agency"],
      "Select the agency of attendee 1",
    );
    expect(response.body).not.toContain("Add at least one attendee");
  });

  it("ignores blank rows and does not start a second S47 while one is in progress", async () => {
    const form = strategyForm("2026-02-02");
    expect((await sw.post(url("/strategy-discussions"), form)).statusCode).toBe(303);
    expect(await counts()).toMatchObject({ discussions: 1, attendees: 3, s47s: 1 });
    // Due 15 working days after 2 February: 23 February, so overdue today.
    expect((await latestS47()).icpc_due_on).toBe("2026-02-23");
    const page = await sw.get(url("/protection"));
    expect(page.body).toMatch(
      /23 February 2026\s*<strong class="govuk-tag govuk-tag--red">Overdue/,
    );

    await expectRefused(
      () => sw.post(url("/strategy-discussions"), strategyForm("2026-02-03")),
      ["outcome"],
      "A section 47 enquiry is already in progress (started 2 February 2026)",
    );
    const noS47 = await sw.post(url("/strategy-discussions"), {
      ...strategyForm("2026-02-03"),
      outcome: "no_s47",
    });
    expect(noS47.statusCode).toBe(303);
    expect(await counts()).toMatchObject({ discussions: 2, s47s: 1 });
  });
});

describe("section 47 enquiry rules", () => {
  it("refuses an ICPC before the enquiry's outcome", async () => {
    const s47 = await latestS47();
    const form = await sw.get(url(`/conferences/new?s47=${s47.id}`));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(escaped("Record the enquiry's outcome first"));
    expect(form.body).not.toContain('name="decision"');
    await expectRefused(
      () =>
        sw.post(url("/conferences"), {
          s47Id: s47.id,
          ...dateFields("heldOn", "2026-02-20"),
          decision: "no_plan",
        }),
      ["main-content"],
      "Record the enquiry's outcome first",
    );
  });

  it("names the missing answers and refuses a completion before the start or in the future", async () => {
    const s47 = await latestS47();
    const post = (form: Record<string, string>) => () =>
      sw.post(url(`/s47/${s47.id}/complete`), { version: "1", ...form });
    await expectRefused(post({}), ["completedOn-day", "outcome", "findings"]);
    const answers = { outcome: "no_icpc", findings: "Synthetic: no evidence of harm" };
    await expectRefused(
      post({ ...answers, ...dateFields("completedOn", "2026-02-01") }),
      ["completedOn-day"],
      "The enquiry's completion cannot be before the day it started (2 February 2026)",
    );
    await expectRefused(
      post({ ...answers, ...dateFields("completedOn", "2026-03-03") }),
      ["completedOn-day"],
      "cannot be in the future",
    );
  });

  it("refuses a stale completion with a conflict", async () => {
    const s47 = await latestS47();
    await expectRefused(
      () =>
        sw.post(url(`/s47/${s47.id}/complete`), {
          version: "7",
          ...dateFields("completedOn", "2026-02-20"),
          outcome: "no_icpc",
          findings: "Synthetic",
        }),
      [],
      "Someone else changed this section 47 enquiry",
      409,
    );
    expect((await latestS47()).outcome).toBeNull();
  });

  it("records the outcome once; after no ICPC, no conference can follow", async () => {
    const s47 = await latestS47();
    const done = await sw.post(url(`/s47/${s47.id}/complete`), {
      version: "1",
      ...dateFields("completedOn", "2026-02-20"),
      outcome: "no_icpc",
      findings: "Synthetic: no evidence of harm",
    });
    expect(done.statusCode).toBe(303);
    expect((await sw.get(url(`/s47/${s47.id}/complete`))).body).toContain("already recorded");
    await expectRefused(
      () =>
        sw.post(url(`/s47/${s47.id}/complete`), {
          version: "2",
          ...dateFields("completedOn", "2026-02-21"),
          outcome: "icpc",
          findings: "Synthetic",
        }),
      ["main-content"],
      "The outcome of this section 47 enquiry is already recorded",
    );
    await expectRefused(
      () =>
        sw.post(url("/conferences"), {
          s47Id: s47.id,
          ...dateFields("heldOn", "2026-02-24"),
          decision: "plan",
          category: "NEG",
        }),
      ["main-content"],
      "found that no initial child protection conference was needed",
    );
  });
});
