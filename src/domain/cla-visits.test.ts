import { describe, expect, it } from "vitest";
import { claVisitDue, currentPlacement, inFirstYearOfPlacement } from "./cla-visits.ts";
import { isVisitOverdue } from "./visits.ts";
import type { ClaEpisode } from "./looked-after-rules.ts";

let ids = 0;
/** An episode; `to` ends it with X1 (a change follows the same day). */
function episode(from: string, to: string | null, more: Partial<ClaEpisode> = {}): ClaEpisode {
  ids += 1;
  return {
    id: String(ids),
    startDate: from,
    endDate: to,
    reasonNewEpisode: "S",
    legalStatus: "C2",
    placementType: "U6",
    placementProvider: "PR1",
    placementPostcode: null,
    reasonCeased: to === null ? null : "X1",
    ...more,
  };
}

const due = (
  episodes: ClaEpisode[],
  lastSeenOn: string | null,
  reviewsHeldOn: string[] = [],
  localWorkingDays: number | null = null,
) => claVisitDue({ episodes, lastSeenOn, reviewsHeldOn, localWorkingDays });

describe("the current placement", () => {
  it("starts with the period of care, and again at each change of placement", () => {
    const start = episode("2025-01-06", "2025-06-02");
    const move = episode("2025-06-02", null, { reasonNewEpisode: "P", placementType: "U4" });
    expect(currentPlacement([start])).toBeNull(); // ended with X1 and nothing after: not open
    expect(currentPlacement([start, move])?.startDate).toBe("2025-06-02");
  });

  it("does not restart on a change of legal status alone", () => {
    const start = episode("2025-01-06", "2025-03-03", { legalStatus: "C1" });
    const order = episode("2025-03-03", null, { reasonNewEpisode: "L" });
    expect(currentPlacement([start, order])?.startDate).toBe("2025-01-06");
  });

  it("does not restart for a stay in hospital and the return to the same placement", () => {
    const start = episode("2025-01-06", "2025-04-07");
    const hospital = episode("2025-04-07", "2025-04-14", {
      reasonNewEpisode: "P",
      placementType: "T1",
      placementProvider: null,
    });
    const back = episode("2025-04-14", null, { reasonNewEpisode: "P" });
    expect(currentPlacement([start, hospital, back])?.startDate).toBe("2025-01-06");
    // Going on from hospital to new carers is a new placement.
    const elsewhere = episode("2025-04-14", null, { reasonNewEpisode: "P", placementType: "K2" });
    expect(currentPlacement([start, hospital, elsewhere])?.startDate).toBe("2025-04-14");
  });

  it("is in its first year until the day before its anniversary", () => {
    expect(inFirstYearOfPlacement("2025-03-02", "2026-03-01")).toBe(true);
    expect(inFirstYearOfPlacement("2025-03-02", "2026-03-02")).toBe(false);
  });
});

describe("reg. 28(2): visits to a looked-after child", () => {
  const placed = [episode("2026-01-05", null)];

  it("(a) is due within one week of the start of the placement: day 7 is in time, day 8 late", () => {
    const next = due(placed, null);
    expect(next).toMatchObject({ dueOn: "2026-01-12", placementStart: "2026-01-05" });
    expect(next?.rule.regulation).toBe("reg. 28(2)(a)");
    expect(isVisitOverdue("2026-01-12", "2026-01-12")).toBe(false);
    expect(isVisitOverdue("2026-01-12", "2026-01-13")).toBe(true);
  });

  it("(a) applies again after a change of placement, whatever visits came before", () => {
    const first = episode("2025-06-02", "2026-02-09");
    const move = episode("2026-02-09", null, { reasonNewEpisode: "P", placementType: "K2" });
    // Seen three days before the move: that visit does not count for the new placement.
    const next = due([first, move], "2026-02-06");
    expect(next).toMatchObject({ dueOn: "2026-02-16", placementStart: "2026-02-09" });
    expect(next?.rule.code).toBe("placement_week");
    // Seen on the day of the move: the six-weekly clock runs from there.
    expect(due([first, move], "2026-02-09")?.dueOn).toBe("2026-03-23");
  });

  it("(b) then no more than 6 calendar weeks in the first year: exactly 42 days", () => {
    const next = due(placed, "2026-01-09");
    expect(next?.dueOn).toBe("2026-02-20");
    expect(next?.rule.regulation).toBe("reg. 28(2)(b)");
  });

  it("(c)(i) then 3 months in a long-term placement, once the first year has ended", () => {
    const longTerm = [episode("2025-03-02", null, { placementType: "U4" })];
    // Seen on the last day of the first year: still 6 weeks.
    expect(due(longTerm, "2026-03-01")).toMatchObject({
      dueOn: "2026-04-12",
      rule: { regulation: "reg. 28(2)(b)" },
    });
    // Seen on the anniversary: 3 months.
    expect(due(longTerm, "2026-03-02")).toMatchObject({
      dueOn: "2026-06-02",
      rule: { regulation: "reg. 28(2)(c)(i)" },
    });
  });

  it("(c)(ii) stays at 6 weeks after the first year when the placement is not long-term", () => {
    const shortTerm = [episode("2025-03-02", null, { placementType: "U6" })];
    expect(due(shortTerm, "2026-03-02")).toMatchObject({
      dueOn: "2026-04-13",
      rule: { regulation: "reg. 28(2)(c)(ii)" },
    });
  });

  it("lets the council set a stricter standard, never a looser one", () => {
    const longTerm = [episode("2025-03-02", null, { placementType: "U4" })];
    // 10 working days from Monday 2 March 2026 is Monday 16 March: earlier than 3 months.
    expect(due(longTerm, "2026-03-02", [], 10)).toMatchObject({
      dueOn: "2026-03-16",
      rule: { code: "local", regulation: null },
    });
    // 130 working days is looser than 3 months: the regulation still governs.
    expect(due(longTerm, "2026-03-02", [], 130)?.dueOn).toBe("2026-06-02");
    // And within a week of a new placement, whatever the council has set.
    expect(due([episode("2026-01-05", null)], null, [], 130)?.dueOn).toBe("2026-01-12");
  });
});

describe("reg. 28(3) to (5): placed with parents, or with a connected person", () => {
  const withParents = (legalStatus: string) =>
    episode("2026-01-05", null, { placementType: "P1", placementProvider: "PR0", legalStatus });

  it("(3) is weekly until the first review, then no more than 6 weeks", () => {
    const placed = [withParents("V2")];
    expect(due(placed, "2026-01-09")).toMatchObject({
      dueOn: "2026-01-16",
      rule: { regulation: "reg. 28(3)(a)" },
    });
    // A review before the placement started does not end the weekly visits.
    expect(due(placed, "2026-01-09", ["2026-01-02"])?.dueOn).toBe("2026-01-16");
    expect(due(placed, "2026-01-30", ["2026-01-29"])).toMatchObject({
      dueOn: "2026-03-13",
      rule: { regulation: "reg. 28(3)(b)" },
    });
  });

  it("(4) on an interim care order with parents: weekly until the first review, then 4 weeks", () => {
    const placed = [withParents("C1")];
    expect(due(placed, "2026-01-09")?.rule.regulation).toBe("reg. 28(4)(a)");
    expect(due(placed, "2026-01-30", ["2026-01-29"])).toMatchObject({
      dueOn: "2026-02-27",
      rule: { regulation: "reg. 28(4)(b)" },
    });
  });

  it("(4) with a relative or friend who may be approved only temporarily (reg. 24)", () => {
    const placed = [episode("2026-01-05", null, { placementType: "U3" })];
    expect(due(placed, "2026-01-09")).toMatchObject({
      dueOn: "2026-01-16",
      rule: { regulation: "reg. 28(4)(a)" },
    });
    expect(due(placed, "2026-01-30", ["2026-01-29"])?.dueOn).toBe("2026-02-27");
    // Long-term fostering with a relative needs full approval: reg. 28(2) applies.
    const longTerm = [episode("2026-01-05", null, { placementType: "U1" })];
    expect(due(longTerm, "2026-01-09")?.rule.regulation).toBe("reg. 28(2)(b)");
  });

  it("(5) a care order made while with parents: a visit within a week of it", () => {
    const ico = episode("2026-01-05", "2026-02-16", {
      placementType: "P1",
      placementProvider: "PR0",
      legalStatus: "C1",
    });
    const order = episode("2026-02-16", null, {
      reasonNewEpisode: "L",
      placementType: "P1",
      placementProvider: "PR0",
      legalStatus: "C2",
    });
    // Reviewed and seen on 13 February, three days before the order: due by 23 February.
    const next = due([ico, order], "2026-02-13", ["2026-01-29"]);
    expect(next).toMatchObject({ dueOn: "2026-02-23", rule: { regulation: "reg. 28(5)(a)" } });
    expect(next?.placementStart).toBe("2026-01-05");
    // Seen after the order: six-weekly (reg. 28(3)(b), the stricter reading of (5)(b)).
    expect(due([ico, order], "2026-02-18", ["2026-01-29"])?.dueOn).toBe("2026-04-01");
  });
});
