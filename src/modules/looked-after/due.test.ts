import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/support/database.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { claReviewsDue, returnInterviewsDue } from "./due.ts";

let database: Database;
let world: World;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
});

interface EpisodeRow {
  person: string;
  start: string;
  rne: string;
  end?: string;
  rec?: string;
  la?: string;
}

async function episodes(rows: EpisodeRow[]): Promise<void> {
  await database.db
    .insertInto("cla_episode")
    .values(
      rows.map((r) => ({
        la_id: r.la ?? world.laId,
        person_id: r.person,
        start_date: r.start,
        reason_new_episode: r.rne,
        legal_status: "C2",
        placement_type: "U4",
        placement_provider: "PR1",
        end_date: r.end ?? null,
        reason_ceased: r.rec ?? null,
        recorded_by: world.users.swA.id,
      })),
    )
    .execute();
}

async function reviews(person: string, heldOn: string[]): Promise<void> {
  await database.db
    .insertInto("cla_review")
    .values(
      heldOn.map((held) => ({
        la_id: world.laId,
        person_id: person,
        held_on: held,
        due_on: held,
        participation: "PN1",
        recorded_by: world.users.swA.id,
      })),
    )
    .execute();
}

describe("claReviewsDue", () => {
  it("gives each looked-after child's next review, counting reviews in the current period only", async () => {
    const { childA1, childA2, childB1, otherLaChild } = world.people;
    await episodes([
      { person: childA1, start: "2026-01-05", rne: "S" },
      // childA2: an earlier period with its own review, then a period with a change of placement.
      { person: childA2, start: "2024-01-08", rne: "S", end: "2024-05-01", rec: "E4A" },
      { person: childA2, start: "2025-06-02", rne: "S", end: "2025-09-01", rec: "X1" },
      { person: childA2, start: "2025-09-01", rne: "P" },
      { person: childB1, start: "2025-01-06", rne: "S", end: "2025-12-01", rec: "E13" },
      { person: otherLaChild, start: "2026-01-05", rne: "S", la: world.otherLaId },
    ]);
    await reviews(childA2, ["2024-02-01", "2025-06-20", "2025-09-15"]);

    const due = await claReviewsDue(
      database.db,
      world.laId,
      [childA1, childA2, childB1, otherLaChild],
      "2026-03-02",
    );
    expect(due).toEqual([
      // 20 working days from the start, and no review yet.
      { personId: childA1, dueOn: "2026-02-02", overdue: true },
      // Third review of the period: 6 months after the second.
      { personId: childA2, dueOn: "2026-03-15", overdue: false },
    ]);
  });

  it("answers nothing for no children, or children not asked about", async () => {
    expect(await claReviewsDue(database.db, world.laId, [], "2026-03-02")).toEqual([]);
    expect(
      await claReviewsDue(database.db, world.laId, [world.people.motherA], "2026-03-02"),
    ).toEqual([]);
  });
});

describe("returnInterviewsDue", () => {
  it("lists children back from missing whose interview is not yet held, oldest first", async () => {
    const { childA1, childA2, childB1, otherLaChild } = world.people;
    const episode = (
      person: string,
      startedAt: string,
      endedAt: string | null,
      offeredAt: string | null = null,
      la = world.laId,
      interview: { accepted?: boolean; heldAt?: string } = {},
    ) => ({
      la_id: la,
      person_id: person,
      kind: "M" as const,
      started_at: new Date(startedAt),
      ended_at: endedAt ? new Date(endedAt) : null,
      interview_offered_at: offeredAt ? new Date(offeredAt) : null,
      interview_accepted: interview.accepted ?? null,
      interview_held_at: interview.heldAt ? new Date(interview.heldAt) : null,
      recorded_by: world.users.swA.id,
    });
    const rows = await database.db
      .insertInto("missing_episode")
      .values([
        episode(childA1, "2026-02-26T20:00:00Z", "2026-02-27T09:00:00Z"),
        episode(childA2, "2026-03-01T08:00:00Z", "2026-03-01T12:00:00Z"),
        // Offered in time on 2 February but never held: still listed, and overdue.
        episode(childA2, "2026-02-01T08:00:00Z", "2026-02-01T12:00:00Z", "2026-02-02T10:00:00Z"),
        // Held (late, on 10 January) and declined: closed, not listed.
        episode(
          childA1,
          "2026-01-05T08:00:00Z",
          "2026-01-05T12:00:00Z",
          "2026-01-06T10:00:00Z",
          undefined,
          {
            accepted: true,
            heldAt: "2026-01-10T10:00:00Z",
          },
        ),
        episode(
          childA1,
          "2026-01-15T08:00:00Z",
          "2026-01-15T12:00:00Z",
          "2026-01-16T10:00:00Z",
          undefined,
          {
            accepted: false,
          },
        ),
        episode(childB1, "2026-03-01T08:00:00Z", null),
        episode(
          otherLaChild,
          "2026-03-01T08:00:00Z",
          "2026-03-01T12:00:00Z",
          null,
          world.otherLaId,
        ),
      ])
      .returning(["id", "person_id"])
      .execute();
    const now = new Date("2026-03-02T10:00:00Z");
    const due = await returnInterviewsDue(
      database.db,
      world.laId,
      [childA1, childA2, childB1, otherLaChild],
      now,
    );
    expect(due).toEqual([
      {
        personId: childA2,
        episodeId: rows[2]?.id,
        dueAt: new Date("2026-02-04T12:00:00Z"),
        overdue: true,
        offered: true,
      },
      {
        personId: childA1,
        episodeId: rows[0]?.id,
        dueAt: new Date("2026-03-02T09:00:00Z"),
        overdue: true,
        offered: false,
      },
      {
        personId: childA2,
        episodeId: rows[1]?.id,
        dueAt: new Date("2026-03-04T12:00:00Z"),
        overdue: false,
        offered: false,
      },
    ]);
    expect(await returnInterviewsDue(database.db, world.laId, [childA2], now)).toHaveLength(2);
    expect(await returnInterviewsDue(database.db, world.laId, [], now)).toEqual([]);
  });
});
