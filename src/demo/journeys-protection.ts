/**
 * Child protection and child in need: strategy discussions with their attendees, section 47
 * enquiries, initial conferences, and CIN plans. CP plans: journeys-cp-plan.ts.
 */
import { planVisits } from "./journeys-activity.ts";
import { monthsLater, dateOf } from "./journeys-calendar.ts";
import { assess } from "./journeys-assessment.ts";
import { contact, linkContact } from "./journeys-front-door.ts";
import {
  CIN_PLAN_ESCALATES,
  CIN_PLAN_MONTHS,
  CP_CATEGORIES,
  ICPC_DECIDES_PLAN,
  ICPC_ON_TIME,
  S47_TO_ICPC,
  SD_ALL_THREE_PARTNERS,
  SD_LEADS_TO_S47,
  SD_MISSING_HEALTH,
} from "./journeys-rates.ts";
import type { Step } from "./journeys-steps.ts";
import { CATEGORY_NAME, S47_FINDINGS, SD_CONCERNS } from "./journeys-text.ts";
import { workingTime, type Episode } from "./journeys-world.ts";

/** Who took part in a strategy discussion: always the LA; police and health mostly. */
function attendees(ep: Episode, day: number): { agency: string; name: string; role: string }[] {
  const { w } = ep;
  const { rng } = w;
  const worker = ep.worker(day);
  const list = [
    { agency: "la_childrens_services", name: worker.displayName, role: worker.jobTitle },
  ];
  const all = rng.chance(SD_ALL_THREE_PARTNERS);
  const missing = all ? undefined : rng.chance(SD_MISSING_HEALTH) ? "health" : "police";
  for (const agency of ["police", "health"] as const) {
    if (agency === missing) continue;
    const user = rng.pick(w.partnerUsers[agency]);
    list.push({ agency, name: user.displayName, role: user.jobTitle });
  }
  if (rng.chance(0.3)) {
    const school = rng.pick(w.partnerUsers.primary.concat(w.partnerUsers.secondary));
    list.push({ agency: "education", name: school.displayName, role: school.jobTitle });
  }
  return list;
}

/**
 * A strategy discussion for each child on `day`, and what follows: a section 47 enquiry and
 * initial conference, or not. `withAssessment` when no assessment has been done yet: one runs
 * alongside (or, with no S47, after) the discussion.
 */
export function strategy(
  ep: Episode,
  day: number,
  referralDay: number,
  withAssessment: boolean,
): Step {
  const { w } = ep;
  const { rng, cal } = w;
  const held = Math.min(cal.add(day, 0), Math.max(day, w.today - 1));
  const forced = ep.target === "s47" || ep.target === "cp" || ep.target === "cla";
  const s47 = ep.force?.s47 ?? (forced || (rng.chance(SD_LEADS_TO_S47) && ep.room(held) >= 25));
  const people = attendees(ep, held);
  const agencies = new Set(people.map((p) => p.agency));
  const partners =
    agencies.has("police") && agencies.has("health")
      ? "police and health"
      : agencies.has("police")
        ? "police (no health)"
        : "health (no police)";
  const sdIds = new Map<string, string>();
  const worker = ep.worker(held);
  for (const kid of ep.kids) {
    const id = w.id();
    sdIds.set(kid.id, id);
    w.sink.push("strategy_discussion", {
      id,
      la_id: w.laId,
      referral_id: referralOf(ep, kid.id),
      person_id: kid.id,
      held_on: dateOf(held),
      concerns: ep.say(rng.pick(SD_CONCERNS), kid),
      outcome: s47 ? "s47" : "no_s47",
      recorded_by: worker.id,
      recorded_at: workingTime(rng, held),
    });
    for (const p of people) {
      w.sink.push("strategy_attendee", {
        id: w.id(),
        la_id: w.laId,
        strategy_discussion_id: id,
        agency_kind: p.agency,
        name: p.name,
        role: p.role,
      });
    }
    const result = s47 ? "section 47 enquiry agreed" : "threshold for section 47 not met";
    ep.chron(
      kid,
      held,
      "strategy_discussion",
      `Strategy discussion with ${partners}: ${result}.`,
      worker,
      { type: "strategy_discussion", id },
    );
  }
  if (!s47) {
    if (withAssessment) return assess(ep, held, referralDay);
    return ep.target === "cin" || ep.room(held) >= 60
      ? { kind: "cin", day: held }
      : { kind: "close", day: held, reason: "RC7" };
  }
  const next = enquiry(ep, held, sdIds);
  return withAssessment ? assess(ep, held, referralDay, { alongside: next }) : next;
}

function referralOf(ep: Episode, kidId: string): string {
  const id = ep.referrals.get(kidId);
  if (!id) throw new Error("no referral for the child");
  return id;
}

/** The S47 enquiry and, when needed, the initial child protection conference. */
function enquiry(ep: Episode, held: number, sdIds: ReadonlyMap<string, string>): Step {
  const { w } = ep;
  const { rng, cal } = w;
  const due = cal.add(held, 15);
  const open = ep.target === "s47";
  const emergency =
    ep.target === "cla"
      ? w.today - held < 150
      : !ep.target && ep.room(held) > 120 && rng.chance(0.03);
  let completed: number | null = open
    ? null
    : Math.min(
        cal.add(held, rng.int(4, 12)),
        Math.max(held, w.today - 2),
        Math.max(held, ep.limit),
      );
  const toConference =
    !open &&
    !emergency &&
    (ep.force?.icpc ?? (ep.target === "cp" || ep.target === "cla" || rng.chance(S47_TO_ICPC)));
  if (completed !== null && toConference) completed = Math.min(completed, cal.subtract(due, 1));
  if (completed !== null) completed = Math.max(held, completed);
  const outcome = completed === null ? null : toConference ? "icpc" : "no_icpc";
  const worker = ep.worker(held);
  const s47Ids = new Map<string, string>();
  for (const kid of ep.kids) {
    const id = w.id();
    s47Ids.set(kid.id, id);
    const findings =
      outcome === null
        ? ""
        : emergency
          ? "{child} is now looked after and safe; no conference needed."
          : rng.pick(S47_FINDINGS[outcome]);
    w.sink.push("s47_enquiry", {
      id,
      la_id: w.laId,
      referral_id: referralOf(ep, kid.id),
      person_id: kid.id,
      strategy_discussion_id: sdIds.get(kid.id) ?? "",
      started_on: dateOf(held),
      icpc_due_on: dateOf(due),
      completed_on: completed === null ? null : dateOf(completed),
      outcome,
      findings: ep.say(findings, kid),
      recorded_by: worker.id,
      version: 1,
    });
    const subject = { type: "s47_enquiry", id };
    ep.chron(kid, held, "s47_started", "Section 47 enquiry started.", worker, subject);
    if (completed !== null) {
      const what = toConference
        ? "initial child protection conference needed"
        : "no conference needed";
      ep.chron(
        kid,
        completed,
        "s47_completed",
        `Section 47 enquiry completed: ${what}.`,
        ep.worker(completed),
        subject,
      );
    }
  }
  if (open || completed === null) return { kind: "open" };
  if (emergency)
    return { kind: "care", day: Math.min(held + rng.int(0, 2), w.today - 1), via: "emergency" };
  if (!toConference) return afterNoPlan(ep, completed);
  return conference(ep, completed, due, s47Ids);
}

function afterNoPlan(ep: Episode, day: number): Step {
  if (ep.target === "cin" || (ep.room(day) >= 60 && ep.w.rng.chance(0.75)))
    return { kind: "cin", day };
  return { kind: "close", day, reason: "RC7" };
}

function conference(
  ep: Episode,
  completed: number,
  due: number,
  s47Ids: ReadonlyMap<string, string>,
): Step {
  const { w } = ep;
  const { rng, cal } = w;
  let day = rng.chance(ICPC_ON_TIME)
    ? Math.max(completed, cal.subtract(due, rng.int(0, 4)))
    : cal.add(due, rng.int(1, 10));
  day = Math.min(day, Math.max(completed, w.today - 1), Math.max(completed, ep.limit));
  const plan =
    ep.force?.plan ??
    (ep.target === "cp" ||
      ep.target === "cla" ||
      (ep.target !== "cin" && rng.chance(ICPC_DECIDES_PLAN)));
  const category = plan ? (ep.force?.category ?? rng.weighted(CP_CATEGORIES)) : null;
  const worker = ep.worker(day);
  const icpcIds = new Map<string, string>();
  for (const kid of ep.kids) {
    const id = w.id();
    icpcIds.set(kid.id, id);
    w.sink.push("cp_conference", {
      id,
      la_id: w.laId,
      referral_id: referralOf(ep, kid.id),
      person_id: kid.id,
      kind: "initial",
      s47_enquiry_id: s47Ids.get(kid.id) ?? null,
      cp_plan_id: null,
      held_on: dateOf(day),
      due_on: dateOf(due),
      decision: plan ? "plan" : "no_plan",
      category,
      recorded_by: worker.id,
      recorded_at: workingTime(rng, day),
    });
    const what = category
      ? `child protection plan (${CATEGORY_NAME[category] ?? category})`
      : "no plan; support as a child in need";
    ep.chron(kid, day, "icpc", `Initial child protection conference: ${what}.`, worker, {
      type: "cp_conference",
      id,
    });
  }
  if (!category) return afterNoPlan(ep, day);
  return { kind: "cp", day, icpcIds, category };
}

/** A CIN plan for each child from `day`, with visits; it closes the episode or escalates. */
export function cinPlan(ep: Episode, day: number): Step {
  const { w } = ep;
  const { rng, cal } = w;
  const start = day;
  let end: number | null =
    monthsLater(start, ep.force?.cinMonths ?? rng.int(...CIN_PLAN_MONTHS)) + rng.int(-7, 7);
  let escalate = false;
  if (ep.target === "cin") end = null;
  else if (ep.target === "cp" || ep.target === "cla") {
    escalate = true;
    end = Math.max(start + 1, Math.min(start + 60, w.today - 40));
  } else if (ep.room(start) > 120 && rng.chance(CIN_PLAN_ESCALATES)) {
    escalate = true;
    end = rng.int(start + 30, Math.min(end, ep.limit - 60));
  }
  if (end !== null && end > ep.limit) end = Math.max(start, ep.limit);
  for (const kid of ep.kids) {
    const id = w.id();
    w.sink.push("cin_plan", {
      id,
      la_id: w.laId,
      referral_id: referralOf(ep, kid.id),
      person_id: kid.id,
      start_date: dateOf(start),
      end_date: end === null ? null : dateOf(end),
      version: 1,
    });
    const subject = { type: "cin_plan", id };
    ep.chron(
      kid,
      start,
      "cin_plan_started",
      "Child in need plan started.",
      ep.worker(start),
      subject,
    );
    if (end !== null) {
      const why = escalate ? "concerns escalated" : "needs met";
      ep.chron(
        kid,
        end,
        "cin_plan_ended",
        `Child in need plan ended: ${why}.`,
        ep.worker(end),
        subject,
      );
    }
  }
  planVisits(ep, start, end, "cin");
  if (end === null) return { kind: "open" };
  if (escalate) {
    // New concerns about a child already open: the contact joins the episode.
    const c = contact(w, ep.info, ep.kids, end, {
      decision: "strategy_discussion",
      source: "6",
      exploitation: ep.exploitation,
    });
    linkContact(w, c, ep.kids, ep.referrals);
    return { kind: "strategy", day: cal.add(c.decided ?? end, 0), withAssessment: false };
  }
  return {
    kind: "close",
    day: Math.min(end + rng.int(0, 5), Math.max(end, ep.limit)),
    reason: "RC7",
  };
}
