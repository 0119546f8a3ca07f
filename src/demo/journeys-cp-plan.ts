/**
 * Child protection plans: started by an initial conference, reviewed at 3 months and then every
 * 6, with core groups and visits every 10 working days, ended at a review conference (stepping
 * down to a CIN plan, closing, or because the child became looked after).
 */
import { labelFor } from "../domain/code-lists.ts";
import { cpPlanEndReasons, type CpPlanEndReason } from "../domain/protection-rules.ts";
import { cpReviewDue } from "../domain/timescales.ts";
import { planVisits } from "./journeys-activity.ts";
import { dateOf } from "./journeys-calendar.ts";
import {
  CATEGORY_CHANGES_AT_REVIEW,
  CORE_GROUP_EVERY_WORKING_DAYS,
  CP_CATEGORIES,
  CP_PLAN_ENDS_AT_REVIEW,
  CP_PLAN_STEPS_DOWN_TO_CIN,
  CP_PLAN_TO_CARE,
  CP_REVIEW_ON_TIME,
  CP_REVIEW_OVERDUE_NOW,
} from "./journeys-rates.ts";
import type { Step } from "./journeys-steps.ts";
import { CATEGORY_NAME } from "./journeys-text.ts";
import { workingTime, type Episode } from "./journeys-world.ts";
import { toDay } from "./random.ts";

function referralOf(ep: Episode, kidId: string): string {
  const id = ep.referrals.get(kidId);
  if (!id) throw new Error("no referral for the child");
  return id;
}

/** A CP plan for each child from the initial conference: reviews, core groups and visits. */
export function cpPlan(ep: Episode, step: Extract<Step, { kind: "cp" }>): Step {
  const { w } = ep;
  const { rng } = w;
  const start = step.day;
  const endsAt = ep.force?.planEndsAtReview ?? rng.weighted(CP_PLAN_ENDS_AT_REVIEW);
  const toCare =
    ep.force?.toCare ?? (ep.target === "cla" || (!ep.target && rng.chance(CP_PLAN_TO_CARE)));
  let careDay: number | null = null;
  if (toCare && ep.target === "cla")
    careDay = Math.max(start + 1, Math.min(w.today - 20, start + rng.int(30, 300)));
  const reviews: { day: number; due: number; end: boolean; category: string }[] = [];
  let latest = step.category;
  let previous = start;
  let nextDue: number | null = null;
  // Set by endAt; asserted so the checks after the loop see every value it may take.
  let end = null as number | null;
  let reason = "no_longer_at_risk" as CpPlanEndReason;
  /** A plan ends at a review conference: brought forward when the child comes into care. */
  const endAt = (day: number, due: number, why: CpPlanEndReason) => {
    const last = reviews.at(-1);
    if (last && last.day >= day) last.end = true;
    else reviews.push({ day, due, end: true, category: latest });
    end = Math.max(day, last?.day ?? day);
    reason = why;
  };
  for (let n = 1; ; n++) {
    const due = toDay(cpReviewDue(dateOf(previous), n === 1));
    if (toCare && careDay === null && n === endsAt) {
      careDay = Math.max(previous + 1, Math.min(rng.int(previous + 20, due), ep.limit));
    }
    const held = rng.chance(CP_REVIEW_ON_TIME)
      ? Math.max(previous + 1, due - rng.int(0, 10))
      : due + rng.int(1, 15);
    if (careDay !== null && held >= careDay) {
      endAt(careDay, due, "looked_after");
      break;
    }
    if (
      ep.target === "cp" &&
      (held > w.today - 1 || (due < w.today && rng.chance(CP_REVIEW_OVERDUE_NOW)))
    ) {
      nextDue = due;
      break;
    }
    if (held > ep.limit) {
      const eighteen = Math.min(...ep.kids.map((k) => k.adult));
      const why = ep.limit >= eighteen ? "reached_18" : "no_longer_at_risk";
      endAt(Math.max(previous, ep.limit), due, why);
      break;
    }
    if (rng.chance(CATEGORY_CHANGES_AT_REVIEW)) latest = rng.weighted(CP_CATEGORIES);
    if (!toCare && ep.target !== "cp" && n >= endsAt) {
      const stepDown = ep.force?.stepDownToCin ?? rng.chance(CP_PLAN_STEPS_DOWN_TO_CIN);
      endAt(held, due, stepDown && ep.room(held) >= 60 ? "step_down_cin" : "no_longer_at_risk");
      break;
    }
    reviews.push({ day: held, due, end: false, category: latest });
    previous = held;
  }
  for (const kid of ep.kids) {
    const planId = w.id();
    w.sink.push("cp_plan", {
      id: planId,
      la_id: w.laId,
      referral_id: referralOf(ep, kid.id),
      person_id: kid.id,
      icpc_id: step.icpcIds.get(kid.id) ?? "",
      start_date: dateOf(start),
      initial_category: step.category,
      latest_category: latest,
      next_review_due: end === null && nextDue !== null ? dateOf(nextDue) : null,
      end_date: end === null ? null : dateOf(end),
      end_reason: end === null ? null : reason,
      version: 1,
    });
    const subject = { type: "cp_plan", id: planId };
    const by = ep.worker(start);
    ep.chron(
      kid,
      start,
      "cp_plan_started",
      `Child protection plan started: ${CATEGORY_NAME[step.category] ?? step.category}.`,
      by,
      subject,
    );
    for (const r of reviews) {
      const id = w.id();
      const reviewer = ep.worker(r.day);
      w.sink.push("cp_review", {
        id,
        la_id: w.laId,
        referral_id: referralOf(ep, kid.id),
        person_id: kid.id,
        kind: "review",
        s47_enquiry_id: null,
        cp_plan_id: planId,
        held_on: dateOf(r.day),
        due_on: dateOf(r.due),
        decision: r.end ? "end" : "continue",
        category: r.category,
        recorded_by: reviewer.id,
        recorded_at: workingTime(rng, r.day),
      });
      const what = r.end ? "plan ended" : "plan continues";
      ep.chron(kid, r.day, "cp_review", `Review child protection conference: ${what}.`, reviewer, {
        type: "cp_conference",
        id,
      });
    }
    coreGroups(ep, kid.id, planId, start, end);
    if (end !== null) {
      const why = labelFor(cpPlanEndReasons, reason).toLowerCase();
      ep.chron(
        kid,
        end,
        "cp_plan_ended",
        `Child protection plan ended: ${why}.`,
        ep.worker(end),
        subject,
      );
    }
  }
  planVisits(ep, start, end, "cp");
  if (end === null) return { kind: "open" };
  if (reason === "looked_after") return { kind: "care", day: end, via: "cp" };
  if (reason === "step_down_cin") return { kind: "cin", day: end };
  return {
    kind: "close",
    day: Math.min(end + rng.int(0, 10), Math.max(end, ep.limit)),
    reason: "RC7",
  };
}

function coreGroups(
  ep: Episode,
  kidId: string,
  planId: string,
  start: number,
  end: number | null,
): void {
  const { w } = ep;
  const { rng, cal } = w;
  const last = Math.min(end ?? w.today - 1, w.today - 1);
  let day = Math.max(start + 1, cal.subtract(cal.add(start, 10), rng.int(0, 3)));
  const kid = ep.kids.find((k) => k.id === kidId);
  if (!kid) return;
  while (day <= last) {
    const by = ep.worker(day);
    const id = w.id();
    w.sink.push("core_group", {
      id,
      la_id: w.laId,
      cp_plan_id: planId,
      person_id: kidId,
      held_on: dateOf(day),
      recorded_by: by.id,
    });
    ep.chron(
      kid,
      day,
      "core_group",
      "Core group met; plan actions reviewed with {carer}, school and health.",
      by,
      { type: "core_group", id },
    );
    day = cal.add(day, rng.int(...CORE_GROUP_EVERY_WORKING_DAYS));
  }
}
