import { describe, expect, it } from "vitest";
import {
  currentPlanType,
  DEFAULT_VISIT_WORKING_DAYS,
  isVisitOverdue,
  nextVisitDue,
  planTypeLabel,
  seenAloneProblem,
  visitFrequencies,
  visitFrequencyProblem,
  visitSummary,
} from "./visits.ts";
import { isWorkingDay } from "./working-days.ts";

describe("default visit frequencies", () => {
  it("are 10 working days on a CP plan and 20 on a CIN plan; looked after, the regulations", () => {
    expect(DEFAULT_VISIT_WORKING_DAYS).toEqual({ cp: 10, cla: null, cin: 20 });
  });

  it("give way to the LA's own settings, plan type by plan type", () => {
    expect(visitFrequencies([])).toEqual({ cp: 10, cla: null, cin: 20 });
    expect(visitFrequencies([{ plan_type: "cla", working_days: 25 }])).toEqual({
      cp: 10,
      cla: 25,
      cin: 20,
    });
    // The defaults themselves are not changed by an LA's settings.
    expect(DEFAULT_VISIT_WORKING_DAYS.cla).toBeNull();
  });
});

describe("validating a frequency", () => {
  it("accepts whole numbers from 1 to 130", () => {
    for (const value of ["1", "10", "130"]) expect(visitFrequencyProblem(value), value).toBeNull();
    // Empty only where it is optional (looked after: the regulations alone).
    expect(visitFrequencyProblem("", true)).toBeNull();
    expect(visitFrequencyProblem("")).toMatch(/Enter/);
  });

  it("refuses empty, fractional, negative and out-of-range values with a reason", () => {
    expect(visitFrequencyProblem("")).toBe("Enter the number of working days");
    expect(visitFrequencyProblem("10.5")).toMatch(/whole number/);
    expect(visitFrequencyProblem("-3")).toMatch(/whole number/);
    expect(visitFrequencyProblem("ten")).toMatch(/whole number/);
    expect(visitFrequencyProblem("0")).toMatch(/between 1 and 130/);
    expect(visitFrequencyProblem("131")).toMatch(/between 1 and 130/);
  });
});

describe("the plan that governs visits", () => {
  const none = { cpOpen: false, claOpen: false, cinOpen: false };

  it("is child protection over looked after over child in need", () => {
    expect(currentPlanType({ cpOpen: true, claOpen: true, cinOpen: true })).toBe("cp");
    expect(currentPlanType({ ...none, cpOpen: true, cinOpen: true })).toBe("cp");
    expect(currentPlanType({ ...none, claOpen: true, cinOpen: true })).toBe("cla");
    expect(currentPlanType({ ...none, cinOpen: true })).toBe("cin");
  });

  it("is none when no plan is open", () => {
    expect(currentPlanType(none)).toBeNull();
  });

  it("has a label for each plan type", () => {
    expect(planTypeLabel("cp")).toBe("Child protection plan");
    expect(planTypeLabel("cla")).toBe("Looked after");
    expect(planTypeLabel("cin")).toBe("Child in need plan");
  });
});

describe("when the next visit is due", () => {
  it("counts working days from the plan start when the child has not been seen", () => {
    // Monday 2 March 2026 + 10 working days = Monday 16 March.
    expect(nextVisitDue("2026-03-02", null, 10)).toBe("2026-03-16");
  });

  it("counts from the last visit at which the child was seen", () => {
    expect(nextVisitDue("2026-03-02", "2026-03-10", 10)).toBe("2026-03-24");
  });

  it("ignores a visit before the plan started", () => {
    expect(nextVisitDue("2026-03-02", "2026-02-20", 10)).toBe("2026-03-16");
  });

  it("skips weekends: Friday or Saturday + 1 working day is Monday", () => {
    expect(nextVisitDue("2026-03-06", null, 1)).toBe("2026-03-09");
    expect(nextVisitDue("2026-03-07", null, 1)).toBe("2026-03-09");
  });

  it("skips Easter: Thursday 2 April 2026 + 1 is Tuesday 7 April", () => {
    expect(nextVisitDue("2026-03-30", "2026-04-02", 1)).toBe("2026-04-07");
  });

  it("skips Easter inside a longer span: 23 March 2026 + 10 is 8 April", () => {
    expect(nextVisitDue("2026-03-23", null, 10)).toBe("2026-04-08");
  });

  it("skips Christmas and the substitute Boxing Day: 24 December 2026 + 1 is 29 December", () => {
    expect(nextVisitDue("2026-12-24", null, 1)).toBe("2026-12-29");
  });

  it("always falls on a working day", () => {
    for (const start of ["2026-03-07", "2026-04-03", "2026-12-25"]) {
      for (const days of [1, 10, 20, 30]) {
        expect(isWorkingDay(nextVisitDue(start, null, days)), `${start} + ${String(days)}`).toBe(
          true,
        );
      }
    }
  });
});

describe("whether a visit is overdue", () => {
  it("is not overdue on the due date, and is the day after", () => {
    expect(isVisitOverdue("2026-03-16", "2026-03-15")).toBe(false);
    expect(isVisitOverdue("2026-03-16", "2026-03-16")).toBe(false);
    expect(isVisitOverdue("2026-03-16", "2026-03-17")).toBe(true);
  });
});

describe("seen alone", () => {
  it("requires the child to have been seen", () => {
    expect(seenAloneProblem(false, true)).toMatch(/cannot have been seen alone/);
    expect(seenAloneProblem(true, true)).toBeNull();
    expect(seenAloneProblem(true, false)).toBeNull();
    expect(seenAloneProblem(false, false)).toBeNull();
  });
});

describe("the chronology line for a visit", () => {
  it("says whether the child was seen, and seen alone", () => {
    expect(visitSummary(true, true)).toBe("Visited; seen alone");
    expect(visitSummary(true, false)).toBe("Visited; seen, not alone");
    expect(visitSummary(false, false)).toBe("Visited; child not seen");
  });
});
