import { describe, expect, it } from "vitest";
import {
  checkChange,
  checkEndOfCare,
  checkNewPeriodOfCare,
  checkPlacement,
  checkReview,
  lookedAfterOn,
  nextClaReviewDue,
  periodsOfCare,
  reasonsThatFit,
  type ClaEpisode,
  type Placement,
} from "./looked-after-rules.ts";

const child = { dateOfBirth: "2015-03-27" };
const today = "2026-03-02";

const foster: Placement = {
  legalStatus: "C1",
  placementType: "U6",
  placementProvider: "PR1",
  placementPostcode: "TS2 2BB",
};

function episode(over: Partial<ClaEpisode> & { startDate: string }): ClaEpisode {
  return {
    id: over.startDate,
    endDate: null,
    reasonNewEpisode: "S",
    legalStatus: "C1",
    placementType: "U6",
    placementProvider: "PR1",
    placementPostcode: "TS2 2BB",
    reasonCeased: null,
    ...over,
  };
}

const fields = (breaches: { field: string }[]) => breaches.map((b) => b.field);

describe("periodsOfCare", () => {
  it("groups episodes joined by X1 into one period and starts another after an ending", () => {
    const periods = periodsOfCare([
      episode({ startDate: "2024-05-01", endDate: "2024-08-01", reasonCeased: "E4A" }),
      episode({ startDate: "2025-01-10", endDate: "2025-03-01", reasonCeased: "X1" }),
      episode({ startDate: "2025-03-01", reasonNewEpisode: "P", placementType: "U4" }),
      episode({ startDate: "2023-01-01", endDate: "2023-02-01", reasonCeased: "E8" }),
    ]);
    expect(periods.map((p) => [p.startDate, p.endDate, p.episodes.length])).toEqual([
      ["2023-01-01", "2023-02-01", 1],
      ["2024-05-01", "2024-08-01", 1],
      ["2025-01-10", null, 2],
    ]);
    expect(periods[1]?.reasonCeased).toBe("E4A");
  });

  it("knows on which days the child was looked after", () => {
    const episodes = [
      episode({ startDate: "2024-05-01", endDate: "2024-08-01", reasonCeased: "E4A" }),
    ];
    expect(lookedAfterOn(episodes, "2024-05-01")).toBe(true);
    expect(lookedAfterOn(episodes, "2024-08-01")).toBe(true);
    expect(lookedAfterOn(episodes, "2024-08-02")).toBe(false);
    expect(lookedAfterOn(episodes, "2024-04-30")).toBe(false);
  });
});

describe("checkPlacement", () => {
  it("needs a provider except for a temporary placement, where it must be empty", () => {
    expect(checkPlacement({ ...foster, placementProvider: null }, today)).toEqual([
      { field: "placementProvider", message: "Select the placement provider" },
    ]);
    expect(
      checkPlacement({ ...foster, placementType: "T1", placementProvider: null }, today),
    ).toEqual([]);
    expect(fields(checkPlacement({ ...foster, placementType: "T1" }, today))).toEqual([
      "placementProvider",
    ]);
  });

  it("pairs placement with parents (P1) with parents as the provider (PR0), both ways", () => {
    expect(fields(checkPlacement({ ...foster, placementType: "P1" }, today))).toEqual([
      "placementProvider",
    ]);
    expect(fields(checkPlacement({ ...foster, placementProvider: "PR0" }, today))).toEqual([
      "placementProvider",
    ]);
    expect(
      checkPlacement({ ...foster, placementType: "P1", placementProvider: "PR0" }, today),
    ).toEqual([]);
  });

  it("refuses freeing orders after 2005 and placement orders before", () => {
    expect(checkPlacement({ ...foster, legalStatus: "D1" }, today)[0]?.message).toMatch(
      /Freeing orders/,
    );
    expect(checkPlacement({ ...foster, legalStatus: "D1" }, "2005-12-29")).toEqual([]);
    expect(checkPlacement({ ...foster, legalStatus: "E1" }, "2005-12-29")[0]?.message).toMatch(
      /Placement orders \(E1\) began on 30 December 2005/,
    );
  });
});

describe("checkNewPeriodOfCare", () => {
  const start = (startDate: string, over: Partial<Placement> = {}) => ({
    ...foster,
    ...over,
    startDate,
  });

  it("allows a first period of care", () => {
    expect(checkNewPeriodOfCare(child, [], start("2026-01-05"), today)).toEqual([]);
    expect(checkNewPeriodOfCare(child, [], start(today), today)).toEqual([]);
    expect(checkNewPeriodOfCare(child, [], start(child.dateOfBirth), today)).toEqual([]);
  });

  it("refuses a start in the future", () => {
    expect(checkNewPeriodOfCare(child, [], start("2026-03-03"), today)).toEqual([
      { field: "startDate", message: "The period of care cannot start in the future" },
    ]);
  });

  it("refuses a start before the child's date of birth, naming it", () => {
    expect(checkNewPeriodOfCare(child, [], start("2015-03-26"), today)).toEqual([
      {
        field: "startDate",
        message: "The period of care cannot start before the child's date of birth (27 March 2015)",
      },
    ]);
  });

  it("refuses a start at 18 or over", () => {
    const adult = { dateOfBirth: "2008-03-02" };
    expect(checkNewPeriodOfCare(adult, [], start(today), today)[0]?.message).toMatch(/18 or over/);
    expect(checkNewPeriodOfCare(adult, [], start("2026-03-01"), today)).toEqual([]);
  });

  it("refuses a start while an episode is open", () => {
    const breaches = checkNewPeriodOfCare(
      child,
      [episode({ startDate: "2025-06-01" })],
      start(today),
      today,
    );
    expect(breaches).toHaveLength(1);
    expect(breaches[0]?.message).toMatch(/already looked after .* 1 June 2025.*Record a change/);
  });

  it("refuses a start that overlaps an earlier period, or begins the day it ended", () => {
    const ended = [
      episode({ startDate: "2025-01-10", endDate: "2025-06-30", reasonCeased: "E4A" }),
    ];
    for (const date of ["2025-03-01", "2025-06-30", "2024-12-01"]) {
      expect(checkNewPeriodOfCare(child, ended, start(date), today)[0]?.message, date).toBe(
        "The period of care must start after 30 June 2025: the child was looked after from 10 January 2025 to 30 June 2025",
      );
    }
    expect(checkNewPeriodOfCare(child, ended, start("2025-07-01"), today)).toEqual([]);
  });

  it("refuses a new period after the child died", () => {
    const died = [episode({ startDate: "2025-01-10", endDate: "2025-06-30", reasonCeased: "E2" })];
    expect(checkNewPeriodOfCare(child, died, start("2025-08-01"), today)[0]?.message).toMatch(
      /died/,
    );
  });

  it("refuses to start in a temporary placement, and checks the placement", () => {
    expect(
      fields(
        checkNewPeriodOfCare(
          child,
          [],
          start(today, { placementType: "T2", placementProvider: null }),
          today,
        ),
      ),
    ).toEqual(["placementType"]);
    expect(
      fields(checkNewPeriodOfCare(child, [], start(today, { placementProvider: null }), today)),
    ).toEqual(["placementProvider"]);
  });
});

describe("reasonsThatFit and checkChange", () => {
  const open = episode({ startDate: "2025-06-01" });
  const change = (
    over: Partial<Placement>,
    reasonNewEpisode: "L" | "P" | "T" | "B" | "U" | "S",
    changeDate = "2026-01-05",
  ) => ({
    ...foster,
    ...over,
    changeDate,
    reasonNewEpisode,
  });

  it("matches the reason to what changed", () => {
    expect(reasonsThatFit(open, { ...foster, legalStatus: "C2" })).toEqual(["L"]);
    expect(reasonsThatFit(open, { ...foster, placementType: "U4" })).toEqual(["P", "T"]);
    expect(reasonsThatFit(open, { ...foster, placementPostcode: "TS9 9ZZ" })).toEqual(["P", "T"]);
    expect(reasonsThatFit(open, { ...foster, placementProvider: "PR4" })).toEqual(["P", "T"]);
    expect(reasonsThatFit(open, { ...foster, legalStatus: "C2", placementType: "K2" })).toEqual([
      "B",
      "U",
    ]);
    expect(reasonsThatFit(open, foster)).toEqual([]);
  });

  it("accepts a change whose reason fits", () => {
    expect(checkChange(open, change({ legalStatus: "C2" }, "L"), today)).toEqual([]);
    expect(checkChange(open, change({ placementType: "U4" }, "T"), today)).toEqual([]);
    expect(checkChange(open, change({ placementType: "U4" }, "P"), today)).toEqual([]);
    expect(
      checkChange(open, change({ legalStatus: "C2", placementType: "K2" }, "B"), today),
    ).toEqual([]);
    expect(
      checkChange(open, change({ legalStatus: "E1", placementType: "A5" }, "U"), today),
    ).toEqual([]);
  });

  it("refuses a reason that does not fit, saying which would", () => {
    expect(checkChange(open, change({ legalStatus: "C2" }, "P"), today)).toEqual([
      {
        field: "reasonNewEpisode",
        message: "The details show that only the legal status changed: choose L",
      },
    ]);
    expect(checkChange(open, change({ placementType: "U4" }, "B"), today)[0]?.message).toBe(
      "The details show that only the placement changed: choose P or T",
    );
    expect(
      checkChange(open, change({ legalStatus: "C2", placementType: "K2" }, "L"), today)[0]?.message,
    ).toBe("The details show that both the legal status and the placement changed: choose B or U");
    expect(fields(checkChange(open, change({ legalStatus: "C2" }, "S"), today))).toEqual([
      "reasonNewEpisode",
    ]);
  });

  it("refuses a change where nothing changed", () => {
    expect(checkChange(open, change({}, "L"), today)[0]?.message).toMatch(/^Nothing has changed/);
  });

  it("records adoption with the current foster carers, legal status unchanged, as T (DfE 217)", () => {
    expect(checkChange(open, change({ placementType: "A3" }, "T"), today)).toEqual([]);
    const breaches = checkChange(open, change({ placementType: "A3" }, "P"), today);
    expect(breaches[0]?.message).toMatch(/A3, A5/);
    expect(
      checkChange(open, change({ legalStatus: "E1", placementType: "A5" }, "B"), today)[0]?.message,
    ).toMatch(/A3, A5/);
  });

  it("refuses a change in the future, on or before the episode's start, or on an ended episode", () => {
    expect(
      checkChange(open, change({ legalStatus: "C2" }, "L", "2026-03-03"), today)[0]?.message,
    ).toMatch(/future/);
    expect(
      checkChange(open, change({ legalStatus: "C2" }, "L", "2025-06-01"), today)[0]?.message,
    ).toBe("The date of the change must be after the current episode started (1 June 2025)");
    const ended = { ...open, endDate: "2025-12-01", reasonCeased: "E8" };
    expect(checkChange(ended, change({ legalStatus: "C2" }, "L"), today)[0]?.message).toMatch(
      /already ended/,
    );
  });
});

describe("checkEndOfCare", () => {
  const open = episode({ startDate: "2025-06-01" });

  it("accepts an ending with a reason other than X1, on or after the start and not in the future", () => {
    expect(
      checkEndOfCare(child, open, { endDate: "2025-06-01", reasonCeased: "E4A" }, today),
    ).toEqual([]);
    expect(checkEndOfCare(child, open, { endDate: today, reasonCeased: "E13" }, today)).toEqual([]);
  });

  it("refuses X1, which is for changes", () => {
    expect(
      fields(checkEndOfCare(child, open, { endDate: today, reasonCeased: "X1" }, today)),
    ).toEqual(["reasonCeased"]);
  });

  it("refuses an end before the start or in the future", () => {
    expect(
      checkEndOfCare(child, open, { endDate: "2025-05-31", reasonCeased: "E4A" }, today)[0]
        ?.message,
    ).toBe("The date care ended must be on or after the current episode started (1 June 2025)");
    expect(
      checkEndOfCare(child, open, { endDate: "2026-03-03", reasonCeased: "E4A" }, today)[0]
        ?.message,
    ).toMatch(/future/);
  });

  it("checks age against the reasons that depend on it", () => {
    expect(
      checkEndOfCare(child, open, { endDate: today, reasonCeased: "E17" }, today)[0]?.message,
    ).toMatch(/18 or over/);
    const adult = { dateOfBirth: "2008-01-01" };
    expect(checkEndOfCare(adult, open, { endDate: today, reasonCeased: "E17" }, today)).toEqual([]);
    expect(
      checkEndOfCare(adult, open, { endDate: today, reasonCeased: "E45" }, today)[0]?.message,
    ).toMatch(/special guardianship/i);
  });

  it("refuses to end care in a temporary placement, or an episode already ended", () => {
    const temporary = { ...open, placementType: "T1", placementProvider: null };
    expect(
      checkEndOfCare(child, temporary, { endDate: today, reasonCeased: "E4A" }, today)[0]?.message,
    ).toMatch(/temporary placement/);
    const ended = { ...open, endDate: "2025-12-01", reasonCeased: "E8" };
    expect(
      checkEndOfCare(child, ended, { endDate: today, reasonCeased: "E4A" }, today)[0]?.message,
    ).toMatch(/already ended/);
  });
});

describe("looked-after reviews", () => {
  it("are due within 20 working days, then 3 months, then every 6 months", () => {
    // Monday 5 January 2026 + 20 working days = Monday 2 February 2026.
    expect(nextClaReviewDue("2026-01-05", [])).toBe("2026-02-02");
    expect(nextClaReviewDue("2026-01-05", ["2026-01-30"])).toBe("2026-04-30");
    expect(nextClaReviewDue("2026-01-05", ["2026-04-20", "2026-01-30"])).toBe("2026-10-20");
  });

  const episodes = [
    episode({ startDate: "2024-01-08", endDate: "2024-06-01", reasonCeased: "E4A" }),
    episode({ startDate: "2025-09-01" }),
  ];

  it("store the due date the review answered, counted within its period of care", () => {
    // Reviews of the earlier period do not count towards this one.
    const result = checkReview(
      child,
      episodes,
      ["2024-02-01"],
      { heldOn: "2025-09-20", participation: "PN1" },
      today,
    );
    expect(result).toEqual({ breaches: [], dueOn: "2025-09-29" });
    const second = checkReview(
      child,
      episodes,
      ["2024-02-01", "2025-09-20"],
      { heldOn: "2025-12-01", participation: "PN1" },
      today,
    );
    expect(second).toEqual({ breaches: [], dueOn: "2025-12-20" });
  });

  it("are refused when the child was not looked after, in the future or out of order", () => {
    const held = (heldOn: string, reviews: string[] = []) =>
      checkReview(child, episodes, reviews, { heldOn, participation: "PN1" }, today).breaches[0]
        ?.message;
    expect(held("2024-07-01")).toBe(
      "The child was not looked after on 1 July 2024: a looked-after review is held only while a child is looked after",
    );
    expect(held("2026-03-03")).toMatch(/future/);
    expect(held("2025-10-01", ["2025-10-01"])).toMatch(
      /after the last review recorded \(1 October 2025\)/,
    );
  });

  it("use PN0 exactly when the child is under 4", () => {
    const baby = { dateOfBirth: "2021-12-01" };
    const review = (participation: "PN0" | "PN1", heldOn: string) =>
      fields(checkReview(baby, episodes, [], { heldOn, participation }, today).breaches);
    expect(review("PN0", "2025-10-01")).toEqual([]);
    expect(review("PN1", "2025-10-01")).toEqual(["participation"]);
    expect(review("PN0", "2026-01-02")).toEqual(["participation"]);
    expect(review("PN1", "2026-01-02")).toEqual([]);
  });
});
