import { describe, it, expect } from "vitest";
import {
  authoriseAssessmentRules,
  decisionRules,
  factorRules,
  notBeforeBirth,
  notInFuture,
  startAssessmentRules,
  submitAssessmentRules,
} from "./journey-rules.ts";

import { child, referred, TODAY, TOMORROW } from "./journey-rules.fixtures.ts";

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
