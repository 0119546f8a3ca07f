import { describe, it, expect } from "vitest";
import {
  ASSESSMENT_WORKING_DAYS,
  assessmentDue,
  CLA_REVIEW_INTERVAL_MONTHS,
  claReviewDue,
  CORE_GROUP_WORKING_DAYS,
  coreGroupDue,
  CP_REVIEW_INTERVAL_MONTHS,
  cpReviewDue,
  FIRST_CLA_REVIEW_WORKING_DAYS,
  FIRST_CP_REVIEW_MONTHS,
  ICPC_WORKING_DAYS,
  icpcDue,
  isOverdue,
  REFERRAL_DECISION_WORKING_DAYS,
  referralDecisionDue,
  RETURN_INTERVIEW_HOURS,
  returnInterviewDue,
  SECOND_CLA_REVIEW_MONTHS,
} from "./timescales.ts";
import { isWorkingDay, workingDaysBetween } from "./working-days.ts";

describe("timescale constants", () => {
  it("match the statutory figures", () => {
    expect({
      REFERRAL_DECISION_WORKING_DAYS,
      ASSESSMENT_WORKING_DAYS,
      ICPC_WORKING_DAYS,
      CORE_GROUP_WORKING_DAYS,
      FIRST_CP_REVIEW_MONTHS,
      CP_REVIEW_INTERVAL_MONTHS,
      FIRST_CLA_REVIEW_WORKING_DAYS,
      SECOND_CLA_REVIEW_MONTHS,
      CLA_REVIEW_INTERVAL_MONTHS,
      RETURN_INTERVIEW_HOURS,
    }).toEqual({
      REFERRAL_DECISION_WORKING_DAYS: 1,
      ASSESSMENT_WORKING_DAYS: 45,
      ICPC_WORKING_DAYS: 15,
      CORE_GROUP_WORKING_DAYS: 10,
      FIRST_CP_REVIEW_MONTHS: 3,
      CP_REVIEW_INTERVAL_MONTHS: 6,
      FIRST_CLA_REVIEW_WORKING_DAYS: 20,
      SECOND_CLA_REVIEW_MONTHS: 3,
      CLA_REVIEW_INTERVAL_MONTHS: 6,
      RETURN_INTERVIEW_HOURS: 72,
    });
  });
});

describe("referralDecisionDue", () => {
  it.each([
    ["2024-03-11", "2024-03-12", "Monday: Tuesday"],
    ["2024-03-08", "2024-03-11", "Friday: Monday"],
    ["2024-03-09", "2024-03-11", "received on a Saturday: Monday"],
    ["2024-03-28", "2024-04-02", "Thursday before Easter: Tuesday after"],
    ["2024-12-24", "2024-12-27", "Christmas Eve 2024: Friday 27th"],
    ["2021-12-24", "2021-12-29", "Christmas Eve 2021: past both substitute days"],
    ["2023-12-29", "2024-01-02", "over New Year's Day"],
    ["2024-02-28", "2024-02-29", "onto a leap day"],
    ["2022-09-16", "2022-09-20", "over the State Funeral"],
  ])("%s -> %s (%s)", (referral, due) => {
    expect(referralDecisionDue(referral)).toBe(due);
  });
});

describe("assessmentDue", () => {
  it.each([
    ["2024-10-01", "2024-12-03", "no holidays in between"],
    ["2024-11-01", "2025-01-08", "over Christmas and New Year"],
    ["2024-02-15", "2024-04-22", "over Easter"],
    ["2022-04-29", "2022-07-06", "over both May holidays and the Jubilee"],
  ])("referral %s -> %s (%s)", (referral, due) => {
    expect(assessmentDue(referral)).toBe(due);
  });

  it("is always 45 working days on, and a working day", () => {
    for (let day = 1; day <= 31; day += 1) {
      const referral = `2024-12-${String(day).padStart(2, "0")}`;
      const due = assessmentDue(referral);
      expect(isWorkingDay(due), due).toBe(true);
      expect(workingDaysBetween(referral, due), referral).toBe(45);
    }
  });
});

describe("icpcDue", () => {
  it.each([
    ["2024-12-12", "2025-01-07", "over Christmas and New Year"],
    ["2024-03-20", "2024-04-12", "over Easter"],
    ["2024-05-17", "2024-06-10", "over the Spring bank holiday"],
    ["2024-01-31", "2024-02-21", "over a month end"],
  ])("strategy discussion %s -> %s (%s)", (strategy, due) => {
    expect(icpcDue(strategy)).toBe(due);
  });
});

describe("coreGroupDue", () => {
  it.each([
    ["2022-05-27", "2022-06-14", "over the Platinum Jubilee"],
    ["2024-12-18", "2025-01-06", "over Christmas and New Year"],
    ["2024-02-22", "2024-03-07", "over 29 February"],
  ])("ICPC %s -> %s (%s)", (icpc, due) => {
    expect(coreGroupDue(icpc)).toBe(due);
  });
});

describe("cpReviewDue", () => {
  it.each([
    ["2024-01-15", true, "2024-04-15"],
    ["2023-11-30", true, "2024-02-29"], // no 30 Feb: end of February, leap year
    ["2022-11-30", true, "2023-02-28"],
    ["2024-01-31", true, "2024-04-30"],
    ["2024-10-15", true, "2025-01-15"], // over the year end
    ["2024-07-10", false, "2025-01-10"],
    ["2024-08-31", false, "2025-02-28"],
    ["2024-03-31", false, "2024-09-30"],
    ["2023-08-29", false, "2024-02-29"],
  ])("after a conference on %s (first: %s) -> %s", (previous, isFirst, due) => {
    expect(cpReviewDue(previous, isFirst)).toBe(due);
  });

  it("leaves a calendar limit on a weekend or bank holiday where it falls", () => {
    expect(cpReviewDue("2024-03-08", true)).toBe("2024-06-08"); // a Saturday
    expect(cpReviewDue("2024-06-25", false)).toBe("2024-12-25"); // Christmas Day
  });

  it("counts each review from the conference actually held, not the shortened limit", () => {
    const first = cpReviewDue("2023-11-30", true);
    expect(first).toBe("2024-02-29");
    expect(cpReviewDue(first, false)).toBe("2024-08-29");
  });
});

describe("claReviewDue", () => {
  it.each([
    ["2024-12-13", 1, "2025-01-15"], // 20 working days over Christmas and New Year
    ["2024-03-01", 1, "2024-04-02"], // over Easter
    ["2024-03-09", 1, "2024-04-09"], // looked after from a Saturday
    ["2024-11-30", 2, "2025-02-28"], // 3 months, end of February
    ["2024-05-31", 2, "2024-08-31"], // a Saturday, left where it falls
    ["2024-08-31", 3, "2025-02-28"], // 6 months
    ["2025-02-28", 4, "2025-08-28"],
    ["2024-12-31", 7, "2025-06-30"],
  ])("from %s, review %i -> %s", (previous, reviewNumber, due) => {
    expect(claReviewDue(previous, reviewNumber)).toBe(due);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects review number %s", (reviewNumber) => {
    expect(() => claReviewDue("2024-03-01", reviewNumber)).toThrow(RangeError);
  });
});

describe("returnInterviewDue", () => {
  it("is 72 hours after the return", () => {
    const returned = new Date("2024-06-10T09:30:00Z");
    expect(returnInterviewDue(returned).toISOString()).toBe("2024-06-13T09:30:00.000Z");
    expect(returned.toISOString()).toBe("2024-06-10T09:30:00.000Z"); // not mutated
  });

  it("counts elapsed hours over the clocks going forward", () => {
    // 18:00 GMT on Friday 29 March 2024; the clocks went forward on the Sunday.
    const due = returnInterviewDue(new Date("2024-03-29T18:00:00Z"));
    expect(due.toISOString()).toBe("2024-04-01T18:00:00.000Z"); // 19:00 BST
  });

  it("counts weekends and bank holidays like any other hours", () => {
    const due = returnInterviewDue(new Date("2024-12-24T23:00:00Z"));
    expect(due.toISOString()).toBe("2024-12-27T23:00:00.000Z");
  });

  it("rejects an invalid Date", () => {
    expect(() => returnInterviewDue(new Date("not a date"))).toThrow(RangeError);
  });
});

describe("isOverdue", () => {
  it.each([
    ["2024-06-10", "2024-06-09", false],
    ["2024-06-10", "2024-06-10", false], // done on the due date is in time
    ["2024-06-10", "2024-06-11", true],
    ["2024-12-31", "2025-01-01", true],
    ["2024-02-29", "2024-03-01", true],
    ["2024-02-28", "2024-02-29", true],
  ])("due %s, today %s -> %s", (due, today, expected) => {
    expect(isOverdue(due, today)).toBe(expected);
  });

  it("rejects dates that are not real calendar dates", () => {
    expect(() => isOverdue("2023-02-29", "2023-03-01")).toThrow(RangeError);
    expect(() => isOverdue("2023-03-01", "1 March 2023")).toThrow(RangeError);
  });
});
