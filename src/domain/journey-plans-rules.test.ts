import { describe, it, expect } from "vitest";
import {
  closeCaseRules,
  endRules,
  isReReferral,
  startCinPlanRules,
  startEarlyHelpRules,
} from "./journey-rules.ts";

import { child, referred, TODAY, TOMORROW } from "./journey-rules.fixtures.ts";

describe("startCinPlanRules", () => {
  it("refuses when the child has no open referral", () => {
    const problems = startCinPlanRules(child(), "2024-05-02", TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("startDate-day");
    expect(problems[0]?.message).toContain("no open referral");
    expect(problems[0]?.message).toContain("child in need plan cannot start");
  });

  it("refuses a second child in need plan", () => {
    const c = referred({ openCinPlan: { id: "cin-1", startDate: "2024-05-10" } });
    expect(startCinPlanRules(c, "2024-05-20", TODAY)).toEqual([
      { field: "startDate-day", message: "Ada Lovelace already has a child in need plan" },
    ]);
  });

  it("allows a start on the referral date and today", () => {
    expect(startCinPlanRules(referred(), "2024-05-01", TODAY)).toEqual([]);
    expect(startCinPlanRules(referred(), TODAY, TODAY)).toEqual([]);
  });

  it("refuses a start the day before the referral", () => {
    expect(startCinPlanRules(referred(), "2024-04-30", TODAY)).toEqual([
      { field: "startDate-day", message: "The plan cannot start before the referral (1 May 2024)" },
    ]);
  });

  it("refuses a start before the child's birth", () => {
    const born = referred({ dateOfBirth: "2024-06-01" });
    const problems = startCinPlanRules(born, "2024-05-20", TODAY);
    expect(problems.map((p) => p.message)).toContain(
      "The start date cannot be before Ada Lovelace's date of birth (1 June 2024)",
    );
  });

  it("refuses a start in the future", () => {
    const problems = startCinPlanRules(referred(), TOMORROW, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("start date must be today or in the past");
  });
});

describe("endRules", () => {
  it("allows an end on the start date and today", () => {
    expect(endRules("2024-05-01", "2024-05-01", TODAY, "plan")).toEqual([]);
    expect(endRules("2024-05-01", TODAY, TODAY, "plan")).toEqual([]);
  });

  it("refuses an end the day before the start, naming what is ending", () => {
    expect(endRules("2024-05-01", "2024-04-30", TODAY, "early help episode")).toEqual([
      {
        field: "endDate-day",
        message: "The early help episode cannot end before it started (1 May 2024)",
      },
    ]);
  });

  it("refuses an end in the future", () => {
    expect(endRules("2024-05-01", TOMORROW, TODAY, "plan")).toEqual([
      { field: "endDate-day", message: "The end date must be today or in the past" },
    ]);
  });
});

describe("startEarlyHelpRules", () => {
  it("allows early help for a child with nothing open, from today", () => {
    expect(startEarlyHelpRules(child(), TODAY, TODAY)).toEqual([]);
  });

  it("refuses a second early help episode", () => {
    expect(startEarlyHelpRules(child({ openEarlyHelp: true }), TODAY, TODAY)).toEqual([
      { field: "startDate-day", message: "Ada Lovelace already has early help" },
    ]);
  });

  it("refuses while a referral to children's social care is open", () => {
    const problems = startEarlyHelpRules(referred(), TODAY, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("startDate-day");
    expect(problems[0]?.message).toContain("has an open referral");
    expect(problems[0]?.message).toContain("Step down by closing the case");
  });

  it("refuses a start in the future", () => {
    const problems = startEarlyHelpRules(child(), TOMORROW, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("today or in the past");
  });

  it("refuses a start before birth but allows the day of birth", () => {
    const problems = startEarlyHelpRules(child(), "2020-03-09", TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("date of birth (10 March 2020)");
    expect(startEarlyHelpRules(child(), "2020-03-10", TODAY)).toEqual([]);
  });

  it("allows early help for an unborn child", () => {
    expect(startEarlyHelpRules(child({ dateOfBirth: null }), TODAY, TODAY)).toEqual([]);
  });
});

describe("closeCaseRules", () => {
  it("allows closing an open case today with nothing else open", () => {
    expect(closeCaseRules(referred(), TODAY, TODAY)).toEqual([]);
  });

  it("allows closing on the referral date", () => {
    expect(closeCaseRules(referred(), "2024-05-01", TODAY)).toEqual([]);
  });

  it("allows closing with an open child in need plan, on or after its start", () => {
    const c = referred({ openCinPlan: { id: "cin-1", startDate: "2024-05-10" } });
    expect(closeCaseRules(c, "2024-05-10", TODAY)).toEqual([]);
  });

  it("refuses when there is no open case", () => {
    expect(closeCaseRules(child(), TODAY, TODAY)).toEqual([
      { field: "closedOn-day", message: "Ada Lovelace has no open case to close" },
    ]);
  });

  it.each([
    [{ openCpPlan: true }, "end the child protection plan at a review conference"],
    [{ openClaEpisode: true }, "end the looked-after episode"],
    [{ openS47: true }, "complete the section 47 enquiry"],
    [{ openAssessment: true }, "complete and authorise the assessment"],
  ])("refuses while %j, saying to %s", (open, step) => {
    expect(closeCaseRules(referred(open), TODAY, TODAY)).toEqual([
      { field: "closedOn-day", message: `The case cannot close yet: first ${step}` },
    ]);
  });

  it("names every blocker in one message", () => {
    const c = referred({
      openCpPlan: true,
      openClaEpisode: true,
      openS47: true,
      openAssessment: true,
    });
    const problems = closeCaseRules(c, TODAY, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toBe(
      "The case cannot close yet: first end the child protection plan at a review conference, " +
        "end the looked-after episode, complete the section 47 enquiry " +
        "and complete and authorise the assessment",
    );
  });

  it("names two blockers joined by 'and'", () => {
    const problems = closeCaseRules(
      referred({ openS47: true, openAssessment: true }),
      TODAY,
      TODAY,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(
      "first complete the section 47 enquiry and complete and authorise the assessment",
    );
    expect(problems[0]?.message).not.toContain("child protection plan");
  });

  it("reports blockers rather than date problems", () => {
    const problems = closeCaseRules(referred({ openCpPlan: true }), TOMORROW, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("cannot close yet");
  });

  it("refuses closing the day before the referral", () => {
    expect(closeCaseRules(referred(), "2024-04-30", TODAY)).toEqual([
      {
        field: "closedOn-day",
        message: "The case cannot close before the referral (1 May 2024)",
      },
    ]);
  });

  it("refuses closing the day before the child in need plan started", () => {
    const c = referred({ openCinPlan: { id: "cin-1", startDate: "2024-05-10" } });
    expect(closeCaseRules(c, "2024-05-09", TODAY)).toEqual([
      {
        field: "closedOn-day",
        message: "The case cannot close before the child in need plan started (10 May 2024)",
      },
    ]);
  });

  it("refuses closing in the future", () => {
    const problems = closeCaseRules(referred(), TOMORROW, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("closedOn-day");
    expect(problems[0]?.message).toContain("closure date must be today or in the past");
  });

  it("reports both the referral and the plan date when closing before both", () => {
    const c = referred({ openCinPlan: { id: "cin-1", startDate: "2024-05-10" } });
    const messages = closeCaseRules(c, "2024-04-01", TODAY).map((p) => p.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain("before the referral");
    expect(messages[1]).toContain("before the child in need plan started");
  });
});

describe("isReReferral", () => {
  it.each([
    ["2024-06-12", ["2023-06-12"], true, "exactly 12 months before"],
    ["2024-06-12", ["2023-06-11"], false, "12 months and a day before"],
    ["2024-06-12", ["2024-06-11"], true, "the day before"],
    ["2024-06-12", ["2024-01-15"], true, "a few months before"],
    ["2024-06-12", ["2024-06-12"], false, "the same day"],
    ["2024-06-12", ["2024-06-13"], false, "a later referral"],
    ["2024-06-12", [], false, "no previous referrals"],
    ["2024-06-12", ["2020-01-01", "2024-07-01"], false, "only too early or later ones"],
    ["2024-06-12", ["2020-01-01", "2023-12-01"], true, "one of several within"],
    ["2024-02-29", ["2023-02-28"], true, "leap day: 12 months before is 28 Feb"],
    ["2024-02-29", ["2023-02-27"], false, "leap day: the day before 28 Feb"],
    ["2025-02-28", ["2024-02-28"], true, "28 Feb after a leap year: exactly 12 months"],
    ["2025-02-28", ["2024-02-27"], false, "28 Feb after a leap year: a day more"],
    ["2024-03-01", ["2023-03-01"], true, "1 March: exactly 12 months"],
    ["2024-03-01", ["2023-02-28"], false, "1 March: 28 Feb is too early"],
    ["2024-01-05", ["2023-01-05"], true, "across a year end"],
  ])("%s after %j: %s (%s)", (referralDate, previous, expected) => {
    expect(isReReferral(referralDate, previous)).toBe(expected);
  });
});
