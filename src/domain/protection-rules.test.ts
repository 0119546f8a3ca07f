import { describe, expect, it } from "vitest";
import {
  allStatutoryPartners,
  applyReview,
  coreGroupProblems,
  cpPlanEndReasons,
  firstCoreGroupDue,
  icpcProblems,
  missingStatutoryPartners,
  previousPlanCount,
  ProtectionRuleError,
  reviewProblems,
  s47CompletionProblems,
  s47FromStrategyDiscussion,
  s47InProgress,
  startCpPlan,
  strategyDiscussionProblems,
  type RuleProblem,
  type StrategyDiscussionFacts,
} from "./protection-rules.ts";

const today = "2026-03-02";

/** Exactly one problem, about `about`, whose message contains `text`. */
function expectOnly(problems: readonly RuleProblem[], about: string, text: string): void {
  expect(problems).toHaveLength(1);
  expect(problems[0]?.about).toBe(about);
  expect(problems[0]?.message).toContain(text);
}

const discussion = (more: Partial<StrategyDiscussionFacts> = {}): StrategyDiscussionFacts => ({
  heldOn: "2026-02-10",
  today,
  dateOfBirth: "2015-03-27",
  openReferral: { referralDate: "2026-02-09" },
  attendeeCount: 3,
  outcome: "s47",
  s47InProgressSince: null,
  ...more,
});

describe("statutory partners at a strategy discussion", () => {
  it("are all there only when children's services, police and health each attended", () => {
    expect(allStatutoryPartners(["la_childrens_services", "police", "health"])).toBe(true);
    expect(allStatutoryPartners(["health", "education", "police", "la_childrens_services"])).toBe(
      true,
    );
    expect(allStatutoryPartners(["la_childrens_services", "police", "education"])).toBe(false);
    expect(allStatutoryPartners([])).toBe(false);
  });

  it("names the partners who were missing", () => {
    expect(missingStatutoryPartners(["police", "police", "education"])).toEqual([
      "la_childrens_services",
      "health",
    ]);
  });
});

describe("a strategy discussion", () => {
  it("is accepted with an open referral, a past date and an attendee", () => {
    expect(strategyDiscussionProblems(discussion())).toEqual([]);
    expect(strategyDiscussionProblems(discussion({ heldOn: today }))).toEqual([]);
  });

  it("needs an open episode of need", () => {
    expectOnly(
      strategyDiscussionProblems(discussion({ openReferral: null })),
      "record",
      "needs an open episode of need",
    );
  });

  it("cannot be in the future, before the child's birth or before the referral", () => {
    expectOnly(
      strategyDiscussionProblems(discussion({ heldOn: "2026-03-03" })),
      "heldOn",
      "cannot be in the future",
    );
    expect(
      strategyDiscussionProblems(
        discussion({ heldOn: "2015-03-26", openReferral: { referralDate: "2015-01-01" } }),
      ),
    ).toEqual([
      {
        about: "heldOn",
        message:
          "The strategy discussion cannot be before the child's date of birth (27 March 2015)",
      },
    ]);
    expect(strategyDiscussionProblems(discussion({ heldOn: "2026-02-08" }))).toEqual([
      {
        about: "heldOn",
        message: "The strategy discussion cannot be before the referral date (9 February 2026)",
      },
    ]);
  });

  it("skips the birth check when the date of birth is not known", () => {
    expect(
      strategyDiscussionProblems(
        discussion({
          dateOfBirth: null,
          heldOn: "2015-01-02",
          openReferral: { referralDate: "2015-01-01" },
        }),
      ),
    ).toEqual([]);
  });

  it("needs at least one attendee, even when the date is missing", () => {
    expect(strategyDiscussionProblems(discussion({ heldOn: null, attendeeCount: 0 }))).toEqual([
      { about: "attendees", message: "Add at least one attendee, with their agency and name" },
    ]);
  });

  it("cannot start a second section 47 enquiry while one is in progress", () => {
    const busy = discussion({ s47InProgressSince: "2026-02-02" });
    expectOnly(
      strategyDiscussionProblems(busy),
      "outcome",
      "already in progress (started 2 February 2026)",
    );
    expect(strategyDiscussionProblems({ ...busy, outcome: "no_s47" })).toEqual([]);
  });

  it("starts a section 47 enquiry the same day, with the ICPC due 15 working days later", () => {
    // 10 February 2026 (Tuesday) + 15 working days = 3 March 2026.
    expect(s47FromStrategyDiscussion("2026-02-10")).toEqual({
      startedOn: "2026-02-10",
      icpcDueOn: "2026-03-03",
    });
  });
});

describe("a section 47 enquiry", () => {
  it("is in progress until its outcome, and after an ICPC outcome until the ICPC", () => {
    expect(s47InProgress({ outcome: null, hasIcpc: false })).toBe(true);
    expect(s47InProgress({ outcome: "icpc", hasIcpc: false })).toBe(true);
    expect(s47InProgress({ outcome: "icpc", hasIcpc: true })).toBe(false);
    expect(s47InProgress({ outcome: "no_icpc", hasIcpc: false })).toBe(false);
  });

  it("completes on or after the day it started, not in the future, once", () => {
    const base = { startedOn: "2026-02-10", today, alreadyCompleted: false };
    expect(s47CompletionProblems({ ...base, completedOn: "2026-02-10" })).toEqual([]);
    expect(s47CompletionProblems({ ...base, completedOn: "2026-02-09" })).toEqual([
      {
        about: "completedOn",
        message: "The enquiry's completion cannot be before the day it started (10 February 2026)",
      },
    ]);
    expect(s47CompletionProblems({ ...base, completedOn: "2026-03-03" })[0]?.about).toBe(
      "completedOn",
    );
    expectOnly(
      s47CompletionProblems({ ...base, completedOn: "2026-02-20", alreadyCompleted: true }),
      "record",
      "already recorded",
    );
  });
});

describe("an initial child protection conference", () => {
  const icpc = {
    s47: { startedOn: "2026-02-10", outcome: "icpc" as const, hasIcpc: false },
    heldOn: "2026-02-27",
    today,
    decision: "plan" as const,
    openPlanSince: null,
  };

  it("follows an enquiry whose outcome was an ICPC", () => {
    expect(icpcProblems(icpc)).toEqual([]);
    expectOnly(
      icpcProblems({ ...icpc, s47: { ...icpc.s47, outcome: null } }),
      "record",
      "Record the enquiry's outcome first",
    );
    expectOnly(
      icpcProblems({ ...icpc, s47: { ...icpc.s47, outcome: "no_icpc" } }),
      "record",
      "found that no initial",
    );
  });

  it("is held once per enquiry", () => {
    expectOnly(
      icpcProblems({ ...icpc, s47: { ...icpc.s47, hasIcpc: true } }),
      "record",
      "already recorded",
    );
  });

  it("is held on or after the enquiry started and not in the future", () => {
    expect(icpcProblems({ ...icpc, heldOn: "2026-02-10" })).toEqual([]);
    expect(icpcProblems({ ...icpc, heldOn: "2026-02-09" })).toEqual([
      {
        about: "heldOn",
        message:
          "The conference cannot be before the section 47 enquiry started (10 February 2026)",
      },
    ]);
    expect(icpcProblems({ ...icpc, heldOn: "2026-03-03" })[0]?.message).toContain("future");
  });

  it("cannot start a second open plan", () => {
    expectOnly(
      icpcProblems({ ...icpc, openPlanSince: "2025-06-01" }),
      "decision",
      "already has an open child protection plan",
    );
    expect(icpcProblems({ ...icpc, decision: "no_plan", openPlanSince: "2025-06-01" })).toEqual([]);
  });
});

describe("a child protection plan", () => {
  it("starts at an ICPC that decided on a plan, with its first review due in 3 months", () => {
    expect(
      startCpPlan({ kind: "initial", decision: "plan", heldOn: "2026-02-27", category: "NEG" }),
    ).toEqual({
      startDate: "2026-02-27",
      initialCategory: "NEG",
      latestCategory: "NEG",
      nextReviewDue: "2026-05-27",
    });
  });

  it("cannot exist without an ICPC that decided on a plan", () => {
    for (const conference of [
      {
        kind: "initial" as const,
        decision: "no_plan",
        heldOn: "2026-02-27",
        category: "NEG" as const,
      },
      {
        kind: "review" as const,
        decision: "continue",
        heldOn: "2026-02-27",
        category: "NEG" as const,
      },
    ]) {
      expect(() => startCpPlan(conference)).toThrow(
        /A child protection plan can only start at an initial child protection conference/,
      );
    }
  });

  it("needs an initial category", () => {
    const attempt = () =>
      startCpPlan({ kind: "initial", decision: "plan", heldOn: "2026-02-27", category: null });
    expect(attempt).toThrow(ProtectionRuleError);
    expect(attempt).toThrow("Select the category of abuse the plan is under");
  });

  it("has its first core group within 10 working days of the ICPC", () => {
    // Friday 27 February 2026 + 10 working days = Friday 13 March 2026.
    expect(firstCoreGroupDue("2026-02-27")).toBe("2026-03-13");
  });

  it("counts the child's earlier plans: ended ones that started before this one", () => {
    const plans = [
      { startDate: "2020-01-10", endDate: "2020-09-01" },
      { startDate: "2022-05-01", endDate: "2023-01-01" },
      { startDate: "2026-02-27", endDate: null },
    ];
    expect(previousPlanCount(plans, { startDate: "2026-02-27" })).toBe(2);
    expect(previousPlanCount(plans, { startDate: "2022-05-01" })).toBe(1);
    expect(previousPlanCount(plans, { startDate: "2020-01-10" })).toBe(0);
  });
});

describe("a review conference", () => {
  const plan = { startDate: "2025-09-01", endDate: null, lastReviewOn: "2025-11-28" };

  it("is held on or after the plan start and the previous review, not in the future", () => {
    expect(reviewProblems({ plan, heldOn: "2025-11-28", today })).toEqual([]);
    expect(reviewProblems({ plan, heldOn: "2025-11-27", today })).toEqual([
      {
        about: "heldOn",
        message:
          "The review conference cannot be before the previous review conference (28 November 2025)",
      },
    ]);
    expect(
      reviewProblems({ plan: { ...plan, lastReviewOn: null }, heldOn: "2025-08-31", today }),
    ).toEqual([
      {
        about: "heldOn",
        message: "The review conference cannot be before the plan started (1 September 2025)",
      },
    ]);
    expect(reviewProblems({ plan, heldOn: "2026-03-03", today })[0]?.message).toContain("future");
  });

  it("is only for an open plan", () => {
    expectOnly(
      reviewProblems({ plan: { ...plan, endDate: "2026-01-05" }, heldOn: "2026-02-01", today }),
      "record",
      "ended on 5 January 2026",
    );
  });

  it("continues the plan, maybe under a new category, with the next review in 6 months", () => {
    expect(
      applyReview(
        { latestCategory: "NEG" },
        { heldOn: "2026-02-27", decision: "continue", category: "EMO", endReason: null },
      ),
    ).toEqual({
      latestCategory: "EMO",
      nextReviewDue: "2026-08-27",
      endDate: null,
      endReason: null,
    });
    expect(
      applyReview(
        { latestCategory: "NEG" },
        { heldOn: "2026-02-27", decision: "continue", category: null, endReason: "died" },
      ).latestCategory,
    ).toBe("NEG");
  });

  it("ends the plan on the day, with a reason", () => {
    expect(
      applyReview(
        { latestCategory: "NEG" },
        { heldOn: "2026-02-27", decision: "end", category: null, endReason: "step_down_cin" },
      ),
    ).toEqual({
      latestCategory: "NEG",
      nextReviewDue: null,
      endDate: "2026-02-27",
      endReason: "step_down_cin",
    });
    expect(() =>
      applyReview(
        { latestCategory: "NEG" },
        { heldOn: "2026-02-27", decision: "end", category: null, endReason: null },
      ),
    ).toThrow("Select why the plan is ending");
  });

  it("ends for one of Trellis's own reasons, since the CIN census has no CP end reasons", () => {
    expect(cpPlanEndReasons.map((r) => r.code)).toEqual([
      "step_down_cin",
      "no_longer_at_risk",
      "looked_after",
      "moved_la",
      "reached_18",
      "died",
      "other",
    ]);
  });
});

describe("a core group meeting", () => {
  const plan = { startDate: "2026-02-27", endDate: null };

  it("is held on or after the plan start, not in the future", () => {
    expect(coreGroupProblems({ plan, heldOn: "2026-02-27", today })).toEqual([]);
    expect(coreGroupProblems({ plan, heldOn: "2026-02-26", today })).toEqual([
      {
        about: "heldOn",
        message: "The core group meeting cannot be before the plan started (27 February 2026)",
      },
    ]);
    expect(coreGroupProblems({ plan, heldOn: "2026-03-03", today })[0]?.message).toContain(
      "future",
    );
  });

  it("is not held after the plan ended", () => {
    expect(
      coreGroupProblems({
        plan: { startDate: "2025-01-01", endDate: "2025-12-01" },
        heldOn: "2025-12-02",
        today,
      }),
    ).toEqual([
      {
        about: "heldOn",
        message: "The core group meeting cannot be after the plan ended (1 December 2025)",
      },
    ]);
  });
});
