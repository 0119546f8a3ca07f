import { describe, it, expect } from "vitest";
import {
  authoriseAssessmentRules,
  type ChildState,
  closeCaseRules,
  decisionRules,
  endRules,
  factorRules,
  isReReferral,
  notBeforeBirth,
  notInFuture,
  startAssessmentRules,
  startCinPlanRules,
  startEarlyHelpRules,
  submitAssessmentRules,
} from "./journey-rules.ts";

const TODAY = "2024-06-12";
const TOMORROW = "2024-06-13";

/** A child born on 10 March 2020 with nothing open; tests open what they need. */
function child(overrides: Partial<ChildState> = {}): ChildState {
  return {
    name: "Ada Lovelace",
    dateOfBirth: "2020-03-10",
    openReferral: null,
    openAssessment: false,
    openS47: false,
    openCpPlan: false,
    openCinPlan: null,
    openClaEpisode: false,
    openEarlyHelp: false,
    ...overrides,
  };
}

/** A child with an open referral dated 1 May 2024. */
function referred(overrides: Partial<ChildState> = {}): ChildState {
  return child({ openReferral: { id: "ref-1", referralDate: "2024-05-01" }, ...overrides });
}

describe("notBeforeBirth", () => {
  it("allows any date for an unborn child (no date of birth yet)", () => {
    expect(notBeforeBirth(child({ dateOfBirth: null }), "1990-01-01", "f", "start date")).toEqual(
      [],
    );
  });

  it("allows the day of birth itself", () => {
    expect(notBeforeBirth(child(), "2020-03-10", "f", "start date")).toEqual([]);
  });

  it("allows a date after birth", () => {
    expect(notBeforeBirth(child(), "2020-03-11", "f", "start date")).toEqual([]);
  });

  it("refuses the day before birth, naming the child and the formatted date of birth", () => {
    const problems = notBeforeBirth(child(), "2020-03-09", "startedOn-day", "start date");
    expect(problems).toEqual([
      {
        field: "startedOn-day",
        message: "The start date cannot be before Ada Lovelace's date of birth (10 March 2020)",
      },
    ]);
    expect(problems[0]?.message).toContain("date of birth");
  });

  it("uses the field and the description it is given", () => {
    const [problem] = notBeforeBirth(child(), "2019-01-01", "visit-day", "visit date");
    expect(problem?.field).toBe("visit-day");
    expect(problem?.message).toContain("The visit date cannot be before");
  });
});

describe("notInFuture", () => {
  it("allows today", () => {
    expect(notInFuture(TODAY, TODAY, "f", "start date")).toEqual([]);
  });

  it("allows the past", () => {
    expect(notInFuture("2024-06-11", TODAY, "f", "start date")).toEqual([]);
  });

  it("refuses tomorrow", () => {
    expect(notInFuture(TOMORROW, TODAY, "endDate-day", "end date")).toEqual([
      { field: "endDate-day", message: "The end date must be today or in the past" },
    ]);
  });

  it("refuses a date in a later year (compares whole dates, not days)", () => {
    expect(notInFuture("2025-01-01", "2024-12-31", "f", "x")).toHaveLength(1);
  });
});

describe("decisionRules", () => {
  it("allows a decision on the day the contact was received", () => {
    expect(decisionRules("2024-06-10", "2024-06-10", TODAY)).toEqual([]);
  });

  it("allows a decision today on an earlier contact", () => {
    expect(decisionRules("2024-06-10", TODAY, TODAY)).toEqual([]);
  });

  it("refuses a decision before the contact was received, with the received date", () => {
    expect(decisionRules("2024-06-10", "2024-06-09", TODAY)).toEqual([
      {
        field: "decidedOn-day",
        message: "The decision date cannot be before the contact was received (10 June 2024)",
      },
    ]);
  });

  it("refuses a decision in the future", () => {
    const problems = decisionRules("2024-06-10", TOMORROW, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("decidedOn-day");
    expect(problems[0]?.message).toContain("today or in the past");
  });

  it("reports both problems when a future decision precedes a future receipt", () => {
    const problems = decisionRules("2024-06-20", "2024-06-15", TODAY);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining("today or in the past"),
      expect.stringContaining("before the contact was received (20 June 2024)"),
    ]);
  });
});

describe("startAssessmentRules", () => {
  it("refuses when the child has no open referral", () => {
    const problems = startAssessmentRules(child(), "2024-05-02", TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("startedOn-day");
    expect(problems[0]?.message).toContain("Ada Lovelace has no open referral");
    expect(problems[0]?.message).toContain("Record a contact");
  });

  it("refuses when an assessment is already in progress, and checks nothing else", () => {
    const problems = startAssessmentRules(referred({ openAssessment: true }), TOMORROW, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("startedOn-day");
    expect(problems[0]?.message).toContain("already has an assessment in progress");
  });

  it("allows a start on the referral date", () => {
    expect(startAssessmentRules(referred(), "2024-05-01", TODAY)).toEqual([]);
  });

  it("allows a start today", () => {
    expect(startAssessmentRules(referred(), TODAY, TODAY)).toEqual([]);
  });

  it("refuses a start the day before the referral, with the referral date", () => {
    expect(startAssessmentRules(referred(), "2024-04-30", TODAY)).toEqual([
      {
        field: "startedOn-day",
        message: "The assessment cannot start before the referral (1 May 2024)",
      },
    ]);
  });

  it("refuses a start in the future", () => {
    const problems = startAssessmentRules(referred(), TOMORROW, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("start date must be today or in the past");
  });

  it("refuses a start before birth (a referral made before the child was born)", () => {
    const c = child({
      dateOfBirth: "2024-05-10",
      openReferral: { id: "ref-1", referralDate: "2024-04-01" },
    });
    const problems = startAssessmentRules(c, "2024-05-09", TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("startedOn-day");
    expect(problems[0]?.message).toContain("date of birth (10 May 2024)");
    expect(startAssessmentRules(c, "2024-05-10", TODAY)).toEqual([]);
  });

  it("allows a pre-birth assessment of an unborn child", () => {
    const c = child({
      dateOfBirth: null,
      openReferral: { id: "ref-1", referralDate: "2024-04-01" },
    });
    expect(startAssessmentRules(c, "2024-04-02", TODAY)).toEqual([]);
  });

  it("reports every date problem at once", () => {
    const c = child({
      dateOfBirth: "2024-07-01",
      openReferral: { id: "ref-1", referralDate: "2024-06-30" },
    });
    const messages = startAssessmentRules(c, "2024-06-20", "2024-06-10").map((p) => p.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toContain("today or in the past");
    expect(messages[1]).toContain("date of birth");
    expect(messages[2]).toContain("before the referral");
  });
});

describe("factorRules", () => {
  it.each([
    [["21"], "no factors identified, alone"],
    [["1B"], "one factor"],
    [["1B", "3A", "4B"], "several factors"],
  ])("allows %j (%s)", (factors) => {
    expect(factorRules(factors)).toEqual([]);
  });

  it.each([
    [["21", "1B"], "21 first"],
    [["1B", "21"], "21 last"],
    [["1B", "21", "3A"], "21 among several"],
  ])("refuses %j: 21 with other factors (%s)", (factors) => {
    const problems = factorRules(factors);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("factors");
    expect(problems[0]?.message).toContain("cannot be selected with other factors");
  });

  it("refuses no factors at all", () => {
    const problems = factorRules([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("factors");
    expect(problems[0]?.message).toContain("Select the factors identified");
  });
});

describe("submitAssessmentRules", () => {
  const started = "2024-05-02";

  it("allows completion on the day it started", () => {
    expect(submitAssessmentRules(started, started, ["21"], TODAY)).toEqual([]);
  });

  it("allows completion today with several factors", () => {
    expect(submitAssessmentRules(started, TODAY, ["1B", "2A"], TODAY)).toEqual([]);
  });

  it("refuses completion the day before it started, with the start date", () => {
    expect(submitAssessmentRules(started, "2024-05-01", ["21"], TODAY)).toEqual([
      {
        field: "submittedOn-day",
        message: "The assessment cannot be completed before it started (2 May 2024)",
      },
    ]);
  });

  it("refuses completion in the future", () => {
    const problems = submitAssessmentRules(started, TOMORROW, ["21"], TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("submittedOn-day");
    expect(problems[0]?.message).toContain("completion date must be today or in the past");
  });

  it("applies the factor rules", () => {
    const empty = submitAssessmentRules(started, TODAY, [], TODAY);
    expect(empty).toEqual([expect.objectContaining({ field: "factors" })]);
    const mixed = submitAssessmentRules(started, TODAY, ["21", "1B"], TODAY);
    expect(mixed).toEqual([expect.objectContaining({ field: "factors" })]);
  });

  it("reports the date and the factor problems together", () => {
    const problems = submitAssessmentRules(started, "2024-05-01", [], TODAY);
    expect(problems.map((p) => p.field).sort()).toEqual(["factors", "submittedOn-day"]);
  });
});

describe("authoriseAssessmentRules", () => {
  const submitted = { startedOn: "2024-05-02", submittedOn: "2024-05-20", authorisedOn: null };

  it("refuses an assessment not yet completed", () => {
    const problems = authoriseAssessmentRules(
      { startedOn: "2024-05-02", submittedOn: null, authorisedOn: null },
      TODAY,
      TODAY,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("authorisedOn-day");
    expect(problems[0]?.message).toContain("has not been completed yet");
  });

  it("refuses an assessment already authorised", () => {
    const problems = authoriseAssessmentRules(
      { ...submitted, authorisedOn: "2024-05-21" },
      TODAY,
      TODAY,
    );
    expect(problems).toEqual([
      { field: "authorisedOn-day", message: "This assessment is already authorised" },
    ]);
  });

  it("allows authorisation on the day of completion", () => {
    expect(authoriseAssessmentRules(submitted, "2024-05-20", TODAY)).toEqual([]);
  });

  it("allows authorisation today", () => {
    expect(authoriseAssessmentRules(submitted, TODAY, TODAY)).toEqual([]);
  });

  it("allows authorisation on the day it started and was completed", () => {
    const sameDay = { startedOn: "2024-05-02", submittedOn: "2024-05-02", authorisedOn: null };
    expect(authoriseAssessmentRules(sameDay, "2024-05-02", TODAY)).toEqual([]);
  });

  it("refuses an assessment authorised before it started", () => {
    expect(authoriseAssessmentRules(submitted, "2024-05-01", TODAY)).toEqual([
      {
        field: "authorisedOn-day",
        message: "An assessment cannot be authorised before it started (2 May 2024)",
      },
    ]);
  });

  it("refuses authorisation after the start but before completion", () => {
    expect(authoriseAssessmentRules(submitted, "2024-05-19", TODAY)).toEqual([
      {
        field: "authorisedOn-day",
        message: "An assessment cannot be authorised before it was completed (20 May 2024)",
      },
    ]);
  });

  it("refuses authorisation in the future", () => {
    const problems = authoriseAssessmentRules(submitted, TOMORROW, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("authorisation date must be today or in the past");
  });
});

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
