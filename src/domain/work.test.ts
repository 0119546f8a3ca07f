import { describe, expect, it } from "vitest";
import { nextStepDue, referrerFeedbackDue, strategyDiscussionDue } from "./timescales.ts";
import { daysWaiting, ragStatus } from "./work.ts";

describe("the next step's due date", () => {
  it("makes a strategy discussion due the next working day, or as the council sets", () => {
    // Friday 27 February 2026: due Monday.
    expect(strategyDiscussionDue("2026-02-27")).toBe("2026-03-02");
    expect(strategyDiscussionDue("2026-02-27", 0)).toBe("2026-02-27");
    // Decided on a Saturday, "the same day" is the next working day.
    expect(strategyDiscussionDue("2026-02-28", 0)).toBe("2026-03-02");
    expect(strategyDiscussionDue("2026-03-02", 3)).toBe("2026-03-05");
    expect(() => strategyDiscussionDue("2026-03-02", -1)).toThrow(RangeError);
  });

  it("gives the referrer an answer the next working day and other steps ten working days", () => {
    expect(referrerFeedbackDue("2026-03-02")).toBe("2026-03-03");
    expect(nextStepDue("2026-03-02")).toBe("2026-03-16");
  });
});

describe("red, amber, green", () => {
  it("is red once overdue, amber within two working days, green after", () => {
    expect(ragStatus("2026-02-27", "2026-03-02")).toBe("red");
    expect(ragStatus("2026-03-02", "2026-03-02")).toBe("amber");
    expect(ragStatus("2026-03-04", "2026-03-02")).toBe("amber");
    expect(ragStatus("2026-03-05", "2026-03-02")).toBe("green");
    // Friday: two working days on is Tuesday.
    expect(ragStatus("2026-03-03", "2026-02-27")).toBe("amber");
    expect(ragStatus("2026-03-04", "2026-02-27")).toBe("green");
  });

  it("counts the calendar days an item has waited", () => {
    expect(daysWaiting("2026-03-02", "2026-03-02")).toBe(0);
    expect(daysWaiting("2026-02-27", "2026-03-02")).toBe(3);
    expect(daysWaiting("2026-03-03", "2026-03-02")).toBe(0);
  });
});
