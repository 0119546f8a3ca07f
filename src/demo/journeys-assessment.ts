/**
 * Child and family assessments: one per child, due 45 working days after the referral,
 * submitted by the social worker and authorised by a team manager, with the CIN census
 * factors and the outcome that decides what happens next.
 */
import { assessmentVisits } from "./journeys-activity.ts";
import { dateOf } from "./journeys-calendar.ts";
import {
  ASSESSMENT_FACTORS,
  ASSESSMENT_ON_TIME,
  ASSESSMENT_OUTCOMES,
  AUTHORISE_WITHIN_WORKING_DAYS,
  EXPLOITATION_FACTORS,
  OPEN_ASSESSMENT_OVERDUE,
  PRIMARY_NEEDS_IN_NEED,
  PRIMARY_NEEDS_NOT_IN_NEED,
  type AssessmentOutcome,
} from "./journeys-rates.ts";
import type { Step } from "./journeys-steps.ts";
import { ANALYSIS } from "./journeys-text.ts";
import { managerOf, type Episode } from "./journeys-world.ts";

function pickFactors(ep: Episode, outcome: AssessmentOutcome): string[] {
  const { rng } = ep.w;
  if (outcome === "no_further_action" && rng.chance(0.5)) return ["21"];
  const table = ep.exploitation ? EXPLOITATION_FACTORS : ASSESSMENT_FACTORS;
  const factors = new Set<string>();
  const count = outcome === "no_further_action" ? 1 : rng.int(1, 3);
  for (let i = 0; i < count; i++) factors.add(rng.weighted(table));
  return [...factors];
}

/** Outcomes that still fit before the episode must close, and lead to `target` if open. */
function chooseOutcome(ep: Episode, authorised: number): AssessmentOutcome {
  const { rng } = ep.w;
  switch (ep.target) {
    case "cin":
      return "cin_plan";
    case "cp":
      return "strategy_discussion";
    case "cla":
      return rng.chance(0.3) ? "looked_after" : "strategy_discussion";
    default:
      break;
  }
  const room = ep.room(authorised);
  const needs: Record<AssessmentOutcome, number> = {
    no_further_action: 0,
    early_help: 0,
    cin_plan: 60,
    strategy_discussion: 60,
    looked_after: 90,
  };
  const fits = ASSESSMENT_OUTCOMES.filter(([o]) => needs[o] <= room);
  return ep.force?.assessment ?? rng.weighted(fits.length > 0 ? fits : [["no_further_action", 1]]);
}

/**
 * A child and family assessment for each child, due 45 working days after the referral.
 * Returns what happens next, or "open" for a case still being assessed today.
 */
export function assess(
  ep: Episode,
  start: number,
  referralDay: number,
  options: { alongside?: Step } = {},
): Step {
  const { w } = ep;
  const { rng, cal } = w;
  const due = cal.add(referralDay, 45);
  const stillOpen = ep.target === "assessment" || ep.target === "s47";
  let authorised: number | null;
  let submitted: number | null;
  if (stillOpen) {
    // Not authorised yet: some submitted and waiting for the manager, the rest in progress
    // (overdue when past day 45).
    authorised = null;
    const waiting =
      ep.force?.awaitingAuthorisation ??
      (rng.chance(0.3) && !(due < w.today && rng.chance(OPEN_ASSESSMENT_OVERDUE)));
    submitted = waiting ? Math.max(start, cal.subtract(w.today - 1, rng.int(0, 3))) : null;
  } else if (rng.chance(ASSESSMENT_ON_TIME) || ep.room(due) < 30) {
    const earliest = Math.min(cal.add(start, 8), due);
    const day = earliest + rng.int(0, Math.max(0, due - earliest));
    authorised = Math.max(start, Math.min(due, cal.add(day, 0)));
    submitted = Math.max(
      start,
      cal.subtract(authorised, rng.int(0, AUTHORISE_WITHIN_WORKING_DAYS)),
    );
  } else {
    authorised = cal.add(due, rng.int(1, 25));
    submitted = Math.max(
      start,
      cal.subtract(authorised, rng.int(0, AUTHORISE_WITHIN_WORKING_DAYS)),
    );
  }
  if (authorised !== null && authorised > ep.limit) authorised = Math.max(start, ep.limit);
  if (submitted !== null && authorised !== null) submitted = Math.min(submitted, authorised);
  const outcome =
    options.alongside && authorised !== null
      ? alongsideOutcome(options.alongside)
      : authorised === null
        ? null
        : chooseOutcome(ep, authorised);
  if (outcome) {
    ep.primaryNeed ??=
      outcome === "no_further_action" || outcome === "early_help"
        ? rng.weighted(PRIMARY_NEEDS_NOT_IN_NEED)
        : ep.exploitation
          ? rng.chance(0.6)
            ? "N6"
            : "N1"
          : rng.weighted(PRIMARY_NEEDS_IN_NEED);
  }
  const factors = outcome ? pickFactors(ep, outcome) : [];
  const worker = ep.worker(start);
  const manager = authorised === null ? undefined : managerOf(w, ep.team(authorised));
  for (const kid of ep.kids) {
    const id = w.id();
    const referral = ep.referrals.get(kid.id);
    if (!referral) throw new Error("assessment without a referral");
    const kidSubmitted = ep.force?.awaitingAuthorisation && kid !== ep.kids[0] ? null : submitted;
    w.sink.push("assessment", {
      id,
      la_id: w.laId,
      referral_id: referral,
      person_id: kid.id,
      started_on: dateOf(start),
      due_on: dateOf(due),
      submitted_on: kidSubmitted === null ? null : dateOf(kidSubmitted),
      factors,
      outcome: kidSubmitted === null ? null : (outcome ?? chooseOpenOutcome(ep)),
      analysis: kidSubmitted === null ? "" : ep.say(rng.pick(ANALYSIS), kid),
      authorised_on: authorised === null ? null : dateOf(authorised),
      authorised_by: manager?.id ?? null,
      recorded_by: worker.id,
      version: 1,
    });
    const subject = { type: "assessment", id };
    ep.chron(
      kid,
      start,
      "assessment_started",
      "Child and family assessment started.",
      worker,
      subject,
    );
    if (kidSubmitted !== null) {
      ep.chron(
        kid,
        kidSubmitted,
        "assessment_submitted",
        "Assessment submitted to the team manager.",
        ep.worker(kidSubmitted),
        subject,
      );
    }
    if (authorised !== null && manager) {
      ep.chron(
        kid,
        authorised,
        "assessment_authorised",
        `Assessment authorised: ${OUTCOME_NAME[outcome ?? "no_further_action"]}.`,
        manager,
        subject,
      );
    }
  }
  // The child is seen during the assessment.
  assessmentVisits(ep, start, authorised ?? w.today, rng.int(1, 2));
  if (authorised === null) return { kind: "open" };
  ep.busyUntil = Math.max(ep.busyUntil, authorised);
  // A case closes only once its assessment is authorised.
  const next = options.alongside;
  if (next) return next.kind === "close" ? { ...next, day: Math.max(next.day, authorised) } : next;
  switch (outcome) {
    case "cin_plan":
      return { kind: "cin", day: authorised };
    case "strategy_discussion":
      return { kind: "strategy", day: cal.add(authorised, rng.int(0, 2)), withAssessment: false };
    case "looked_after":
      return { kind: "care", day: authorised + rng.int(0, 5), via: "assessment" };
    case "early_help":
      return { kind: "close", day: authorised, reason: "RC9", stepDown: true };
    default:
      return { kind: "close", day: authorised, reason: "RC8" };
  }
}

const OUTCOME_NAME: Record<AssessmentOutcome, string> = {
  no_further_action: "no further action",
  early_help: "step down to early help",
  cin_plan: "child in need plan",
  strategy_discussion: "strategy discussion",
  looked_after: "child to become looked after",
};

function chooseOpenOutcome(ep: Episode): AssessmentOutcome {
  return ep.target === "s47" ? "strategy_discussion" : "cin_plan";
}

/** The recommendation of an assessment run alongside a section 47 enquiry. */
function alongsideOutcome(next: Step): AssessmentOutcome {
  if (next.kind === "care") return "looked_after";
  if (next.kind === "close") return next.reason === "RC9" ? "early_help" : "no_further_action";
  return "cin_plan";
}
