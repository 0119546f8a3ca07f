import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { latestAudit } from "../../../test/support/database.ts";
import { signIn, type Client } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import {
  chronologyOf,
  day,
  expectNotFoundForOutsiders,
  expectReadOnlyPageFor,
  setUp,
} from "./test-support.ts";

// The test clock reads Monday 2 March 2026, 10:00 UTC.
let database: Database;
let world: World;
let app: FastifyInstance;
let sw: Client;

beforeAll(async () => {
  ({ database, world, app, sw } = await setUp());
});

const fostered = {
  legalStatus: "C1",
  placementType: "U6",
  placementProvider: "PR1",
  placementPostcode: "ts2 2bb",
};

const episodesOf = (personId: string) =>
  database.db
    .selectFrom("cla_episode")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("start_date")
    .execute();

const url = (personId: string, rest = "") => `/people/${personId}/looked-after${rest}`;

describe("starting a period of care", () => {
  it("is offered to the allocated social worker when the child is not looked after", async () => {
    const page = await sw.get(url(world.people.childA1));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Not looked after");
    expect(page.body).toContain(`href="${url(world.people.childA1, "/episodes/new")}"`);
    expect((await sw.get(url(world.people.childA1, "/episodes/new"))).statusCode).toBe(200);
  });

  it("names every wrong field and saves nothing", async () => {
    const response = await sw.post(url(world.people.childA1, "/episodes"), {
      "startDate-day": "31",
      "startDate-month": "2",
      "startDate-year": "2026",
      legalStatus: "Z9",
      placementType: "",
      placementProvider: "PR1",
      placementPostcode: "not a postcode",
    });
    expect(response.statusCode).toBe(400);
    for (const field of ["startDate-day", "legalStatus", "placementType", "placementPostcode"]) {
      expect(response.body).toContain(`href="#${field}"`);
    }
    expect(response.body).toContain("must be a real date");
    expect(await episodesOf(world.people.childA1)).toEqual([]);
    expect(await latestAudit(database)).toMatchObject({ action: "cla.record", outcome: "failed" });
  });

  it("refuses a start before the child's birth or in the future", async () => {
    const early = await sw.post(url(world.people.childA1, "/episodes"), {
      ...day("startDate", "2015-03-26"),
      ...fostered,
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain(
      "The period of care cannot start before the child&#39;s date of birth (27 March 2015)",
    );
    const future = await sw.post(url(world.people.childA1, "/episodes"), {
      ...day("startDate", "2026-03-03"),
      ...fostered,
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain("The period of care cannot start in the future");
    expect(await episodesOf(world.people.childA1)).toEqual([]);
  });

  it("records the episode, its chronology entry and audit row", async () => {
    const response = await sw.post(url(world.people.childA1, "/episodes"), {
      ...day("startDate", "2026-01-05"),
      ...fostered,
    });
    expect(response.statusCode).toBe(303);
    const [episode] = await episodesOf(world.people.childA1);
    expect(episode).toMatchObject({
      start_date: "2026-01-05",
      reason_new_episode: "S",
      legal_status: "C1",
      placement_type: "U6",
      placement_provider: "PR1",
      placement_postcode: "TS2 2BB",
      end_date: null,
      recorded_by: world.users.swA.id,
      version: 1,
    });
    expect(await latestAudit(database)).toMatchObject({
      action: "cla.record",
      outcome: "allowed",
      person_ids: [world.people.childA1],
      subject_type: "cla_episode",
      subject_id: episode?.id,
    });
    expect(await chronologyOf(database.db, world.people.childA1, "cla_started")).toEqual([
      {
        occurred_on: "2026-01-05",
        summary:
          "Became looked after: Interim care order (C1); Fostered with other foster carers: other fostering (U6)",
        subject_type: "cla_episode",
        subject_id: episode?.id,
      },
    ]);
  });

  it("shows the period, the postcode to LA staff and the overdue first review", async () => {
    const page = await sw.get(url(world.people.childA1));
    expect(page.body).toContain("Looked after since 5 January 2026");
    expect(page.body).toContain("Interim care order (C1)");
    expect(page.body).toContain("Started to be looked after (S)");
    expect(page.body).toContain("TS2 2BB");
    // 20 working days from Monday 5 January 2026.
    expect(page.body).toMatch(/2 February 2026\s*<strong class="govuk-tag govuk-tag--red">Overdue/);
    expect(await latestAudit(database)).toMatchObject({
      action: "cla.view",
      outcome: "allowed",
      person_ids: [world.people.childA1],
    });
  });

  it("refuses a second period while the first is open", async () => {
    const response = await sw.post(url(world.people.childA1, "/episodes"), {
      ...day("startDate", "2026-02-01"),
      ...fostered,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("The child is already looked after");
    expect(await episodesOf(world.people.childA1)).toHaveLength(1);
  });
});

describe("who sees the looked-after page", () => {
  it("shows partners with a share and other LA staff everything but the postcode to partners", async () => {
    const police = await signIn(app, world.users.police.email);
    const seen = await police.get(url(world.people.childA1));
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain("Interim care order (C1)");
    expect(seen.body).toContain("Withheld");
    expect(seen.body).not.toContain("TS2 2BB");
    expect(seen.body).not.toContain("/change");
    expect((await police.get(url(world.people.childA2))).statusCode).toBe(404);

    const staff = [world.users.adultSpecialistA, world.users.businessSupportA];
    await expectReadOnlyPageFor(app, staff, url(world.people.childA1), {
      shows: "TS2 2BB",
      hides: "Record a change",
    });
  });

  it("is not found for anyone who may not see the child", async () => {
    await expectNotFoundForOutsiders(
      { app, database, world },
      url(world.people.childA1),
      "cla.view",
    );
    const restricted = await sw.get(url(world.people.restrictedChildA));
    expect(restricted.statusCode).toBe(404);
    const tm = await signIn(app, world.users.tmA.email);
    expect((await tm.get(url(world.people.restrictedChildA))).statusCode).toBe(200);
  });

  it("withholds the postcode from emergency access, which may read but not record", async () => {
    const swB = await signIn(app, world.users.swB.email);
    const grant = await swB.post("/break-glass", {
      personId: world.people.childA1,
      reason: "Police called out of hours about this child",
    });
    expect(grant.statusCode).toBe(303);
    const page = await swB.get(url(world.people.childA1));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("emergency access");
    expect(page.body).toContain("Withheld");
    expect(page.body).not.toContain("TS2 2BB");
    expect(page.body).not.toContain("Record a change");
    const [open] = await episodesOf(world.people.childA1);
    const attempt = await swB.post(url(world.people.childA1, `/episodes/${open?.id ?? ""}/end`), {
      ...day("endDate", "2026-03-01"),
      reasonCeased: "E4A",
      version: "1",
    });
    expect(attempt.statusCode).toBe(403);
    expect((await swB.get(url(world.people.childA1, "/reviews"))).statusCode).toBe(403);
    expect((await episodesOf(world.people.childA1))[0]?.end_date).toBeNull();
  });
});

describe("who may not record", () => {
  it("refuses adult specialists, business support, partners and anyone who cannot see the child", async () => {
    const [open] = await episodesOf(world.people.childA1);
    const episodeUrl = url(world.people.childA1, `/episodes/${open?.id ?? ""}`);
    for (const user of [
      world.users.adultSpecialistA,
      world.users.businessSupportA,
      world.users.police,
      world.users.health,
      world.users.analyst,
      world.users.swB,
      world.users.otherLaSw,
    ]) {
      const client = await signIn(app, user.email);
      const attempts = [
        client.post(url(world.people.childA1, "/episodes"), {
          ...day("startDate", "2026-02-01"),
          ...fostered,
        }),
        client.post(`${episodeUrl}/change`, {
          ...day("changeDate", "2026-02-01"),
          ...fostered,
          legalStatus: "C2",
          reasonNewEpisode: "L",
          version: "1",
        }),
        client.post(`${episodeUrl}/end`, {
          ...day("endDate", "2026-02-01"),
          reasonCeased: "E4A",
          version: "1",
        }),
        client.post(url(world.people.childA1, "/reviews"), {
          ...day("heldOn", "2026-02-01"),
          participation: "PN1",
        }),
      ];
      // swB holds emergency access from the test above: seen, but for reading only.
      const refused = user === world.users.swB ? 403 : 404;
      for (const response of await Promise.all(attempts)) {
        expect(response.statusCode, user.email).toBe(refused);
      }
      expect((await client.get(`${episodeUrl}/change`)).statusCode, user.email).toBe(refused);
    }
    expect(await episodesOf(world.people.childA1)).toHaveLength(1);
    // Without emergency access, swB cannot even find a child of another team.
    const swB = await signIn(app, world.users.swB.email);
    const other = await swB.post(url(world.people.childA2, "/episodes"), {
      ...day("startDate", "2026-02-01"),
      ...fostered,
    });
    expect(other.statusCode).toBe(404);
    expect(await episodesOf(world.people.childA2)).toEqual([]);
    const reviews = await database.db.selectFrom("cla_review").select("id").execute();
    expect(reviews).toEqual([]);
  });
});

describe("a change of legal status or placement", () => {
  it("shows the current episode in the form", async () => {
    const [open] = await episodesOf(world.people.childA1);
    const form = await sw.get(url(world.people.childA1, `/episodes/${open?.id ?? ""}/change`));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="version" value="1"');
    expect(form.body).toContain('value="TS2 2BB"');
    expect(form.body).toMatch(/<option value="C1" selected>/);
  });

  it("refuses a reason that does not match what changed, and a change on the start date", async () => {
    const [open] = await episodesOf(world.people.childA1);
    const changeUrl = url(world.people.childA1, `/episodes/${open?.id ?? ""}/change`);
    const wrong = await sw.post(changeUrl, {
      ...day("changeDate", "2026-02-10"),
      ...fostered,
      legalStatus: "C2",
      reasonNewEpisode: "P",
      version: "1",
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("The details show that only the legal status changed: choose L");
    expect(wrong.body).toContain('href="#reasonNewEpisode"');
    const sameDay = await sw.post(changeUrl, {
      ...day("changeDate", "2026-01-05"),
      ...fostered,
      legalStatus: "C2",
      reasonNewEpisode: "L",
      version: "1",
    });
    expect(sameDay.statusCode).toBe(400);
    expect(sameDay.body).toContain("must be after the current episode started (5 January 2026)");
    expect(await episodesOf(world.people.childA1)).toHaveLength(1);
  });

  it("ends the open episode with X1 and opens the next the same day", async () => {
    const [open] = await episodesOf(world.people.childA1);
    const changeUrl = url(world.people.childA1, `/episodes/${open?.id ?? ""}/change`);
    const form = {
      ...day("changeDate", "2026-02-10"),
      ...fostered,
      legalStatus: "C2",
      reasonNewEpisode: "L",
      version: "1",
    };
    expect((await sw.post(changeUrl, form)).statusCode).toBe(303);
    const episodes = await episodesOf(world.people.childA1);
    expect(
      episodes.map((e) => [
        e.start_date,
        e.end_date,
        e.reason_new_episode,
        e.reason_ceased,
        e.legal_status,
        e.version,
      ]),
    ).toEqual([
      ["2026-01-05", "2026-02-10", "S", "X1", "C1", 2],
      ["2026-02-10", null, "L", null, "C2", 1],
    ]);
    expect(await chronologyOf(database.db, world.people.childA1, "cla_changed")).toMatchObject([
      {
        occurred_on: "2026-02-10",
        summary: "Change of legal status only (L): legal status now Full care order (C2)",
        subject_id: episodes[1]?.id,
      },
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "cla.record",
      outcome: "allowed",
      subject_id: episodes[1]?.id,
      summary: { reasonNewEpisode: "L", endedEpisode: open?.id },
    });

    // The same form sent again is stale: the episode it was loaded from has moved on.
    const again = await sw.post(changeUrl, form);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("Someone else changed this record");
    expect(await episodesOf(world.people.childA1)).toHaveLength(2);
    expect(await latestAudit(database)).toMatchObject({ action: "cla.record", outcome: "failed" });
  });
});

describe("looked-after reviews", () => {
  it("records a review against the due date it answered and moves the next one on", async () => {
    const response = await sw.post(url(world.people.childA1, "/reviews"), {
      ...day("heldOn", "2026-02-20"),
      participation: "PN1",
    });
    expect(response.statusCode).toBe(303);
    const reviews = await database.db.selectFrom("cla_review").selectAll().execute();
    expect(reviews).toMatchObject([
      {
        person_id: world.people.childA1,
        held_on: "2026-02-20",
        due_on: "2026-02-02",
        participation: "PN1",
      },
    ]);
    expect(await chronologyOf(database.db, world.people.childA1, "cla_review")).toMatchObject([
      {
        occurred_on: "2026-02-20",
        summary: "Looked-after review held late: Attended and spoke for themselves (PN1)",
      },
    ]);
    expect(await latestAudit(database)).toMatchObject({
      action: "cla.record",
      subject_type: "cla_review",
    });
    const page = await sw.get(url(world.people.childA1));
    expect(page.body).toContain("Late");
    // The second review is due 3 months after the first, so nothing is overdue now.
    expect(page.body).toContain("20 May 2026");
    expect(page.body).not.toContain("Overdue");
  });

  it("refuses participation PN0 for a child of 4 or over, a review out of order, and bad input", async () => {
    const pn0 = await sw.post(url(world.people.childA1, "/reviews"), {
      ...day("heldOn", "2026-02-25"),
      participation: "PN0",
    });
    expect(pn0.statusCode).toBe(400);
    expect(pn0.body).toContain("The child was 4 or over at the review");
    const earlier = await sw.post(url(world.people.childA1, "/reviews"), {
      ...day("heldOn", "2026-02-15"),
      participation: "PN1",
    });
    expect(earlier.body).toContain("after the last review recorded (20 February 2026)");
    const empty = await sw.post(url(world.people.childA1, "/reviews"), {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#heldOn-day"');
    expect(empty.body).toContain('href="#participation"');
    expect(await database.db.selectFrom("cla_review").select("id").execute()).toHaveLength(1);
  });

  it("refuses a review for a child who is not looked after", async () => {
    const response = await sw.post(url(world.people.childA2, "/reviews"), {
      ...day("heldOn", "2026-02-20"),
      participation: "PN1",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("The child was not looked after on 20 February 2026");
  });
});

describe("ending a period of care", () => {
  it("refuses X1, an end before the episode started and a stale form", async () => {
    const [, open] = await episodesOf(world.people.childA1);
    const endUrl = url(world.people.childA1, `/episodes/${open?.id ?? ""}/end`);
    const form = await sw.get(endUrl);
    expect(form.body).not.toContain('<option value="X1"');
    const x1 = await sw.post(endUrl, {
      ...day("endDate", "2026-03-01"),
      reasonCeased: "X1",
      version: "1",
    });
    expect(x1.statusCode).toBe(400);
    expect(x1.body).toContain("X1 is for a change of legal status or placement");
    const early = await sw.post(endUrl, {
      ...day("endDate", "2026-02-09"),
      reasonCeased: "E4A",
      version: "1",
    });
    expect(early.body).toContain("on or after the current episode started (10 February 2026)");
    const stale = await sw.post(endUrl, {
      ...day("endDate", "2026-03-01"),
      reasonCeased: "E4A",
      version: "7",
    });
    expect(stale.statusCode).toBe(409);
    expect((await episodesOf(world.people.childA1))[1]?.end_date).toBeNull();
  });

  it("ends care with the reason, on the chronology, and allows a later period", async () => {
    const [, open] = await episodesOf(world.people.childA1);
    const response = await sw.post(url(world.people.childA1, `/episodes/${open?.id ?? ""}/end`), {
      ...day("endDate", "2026-03-01"),
      reasonCeased: "E4A",
      version: "1",
    });
    expect(response.statusCode).toBe(303);
    expect((await episodesOf(world.people.childA1))[1]).toMatchObject({
      end_date: "2026-03-01",
      reason_ceased: "E4A",
      version: 2,
    });
    expect(await chronologyOf(database.db, world.people.childA1, "cla_ceased")).toMatchObject([
      {
        occurred_on: "2026-03-01",
        summary: expect.stringMatching(/^Ceased to be looked after: Returned home/) as string,
      },
    ]);
    const page = await sw.get(url(world.people.childA1));
    expect(page.body).toContain("Not looked after (last looked after until 1 March 2026)");
    expect(page.body).toContain("5 January 2026 to 1 March 2026");

    const sameDay = await sw.post(url(world.people.childA1, "/episodes"), {
      ...day("startDate", "2026-03-01"),
      ...fostered,
    });
    expect(sameDay.statusCode).toBe(400);
    expect(sameDay.body).toContain("must start after 1 March 2026");
    const next = await sw.post(url(world.people.childA1, "/episodes"), {
      ...day("startDate", "2026-03-02"),
      ...fostered,
    });
    expect(next.statusCode).toBe(303);
    expect(await episodesOf(world.people.childA1)).toHaveLength(3);
  });
});

describe("two people starting a period of care at once", () => {
  it("saves one; the other sees it and is refused, not half-saved", async () => {
    const other = await signIn(app, world.users.tmA.email);
    const [first, second] = await Promise.all([
      sw.post(url(world.people.childA2, "/episodes"), {
        ...day("startDate", "2026-01-12"),
        ...fostered,
      }),
      other.post(url(world.people.childA2, "/episodes"), {
        ...day("startDate", "2026-02-09"),
        ...fostered,
      }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([303, 400]);
    expect([first.body, second.body].join()).toContain("The child is already looked after");
    expect(await episodesOf(world.people.childA2)).toHaveLength(1);
  });
});
