/**
 * A family's history with children's services over the window: contacts at a rate that
 * differs from family to family, each deciding no further action, early help or a referral;
 * episodes that run their course and close; and, for a family allocated today, the open
 * episode that matches its current allocation.
 */
import { care } from "./journeys-care.ts";
import { missing } from "./journeys-missing.ts";
import { assess } from "./journeys-assessment.ts";
import {
  contact,
  earlyHelp,
  finishEpisode,
  linkContact,
  openEpisode,
} from "./journeys-front-door.ts";
import { cpPlan } from "./journeys-cp-plan.ts";
import { cinPlan, strategy } from "./journeys-protection.ts";
import {
  CONTACT_NAMES_ALL_CHILDREN,
  CURRENT_EPISODE_REALLOCATED,
  CURRENT_RE_REFERRAL,
  CURRENT_STATUS,
  FAMILY_CONTACTS_PER_YEAR,
  HISTORIC_FIRST_DECISIONS,
  QUICK_RETURN_RATE,
  RETURN_DECISIONS,
  STEP_UP_DECISIONS,
  type ContactDecision,
  type CurrentStatus,
} from "./journeys-rates.ts";
import type { Force, Step } from "./journeys-steps.ts";
import {
  Episode,
  kidOf,
  type FamilyInfo,
  type FixedAllocation,
  type JourneyWorld,
  type Kid,
} from "./journeys-world.ts";
import type { DemoFamily } from "./families.ts";
import { ageOn } from "./random.ts";
import type { TeamInfo, UserInfo } from "./staff.ts";

/** What a scripted family (a fixed demo sign-in's caseload) is open for today. */
export interface JourneyScript {
  status: CurrentStatus;
  /** Days before today the current allocation started. */
  startDaysAgo: number;
  overdueVisit?: boolean;
  awaitingAuthorisation?: boolean;
  /** Recent missing episodes with the return interview still to offer, by child. */
  missing?: readonly ("due" | "overdue")[];
  /** Several earlier episodes (CP plans, CIN, care) and many notes: the long-history child. */
  longHistory?: boolean;
  /** Looked after: moved placement three days ago, the visit due within the week. */
  recentMove?: boolean;
}

/** A family allocated today (casework.ts): the children, their worker and since when. */
export interface CurrentCase {
  children: readonly Kid[];
  start: number;
  worker: UserInfo;
  team: TeamInfo;
  exploitation: boolean;
  script?: JourneyScript | undefined;
  allocationIds: ReadonlyMap<string, string>;
}

type End = Extract<Step, { kind: "close" | "open" }>;

function drive(ep: Episode, first: Step, referralDay: number): End {
  let step = first;
  for (let guard = 0; guard < 50; guard++) {
    switch (step.kind) {
      case "assess":
        step = assess(ep, step.day, referralDay);
        break;
      case "strategy":
        step = strategy(ep, step.day, referralDay, step.withAssessment);
        break;
      case "cin":
        step = cinPlan(ep, step.day);
        break;
      case "cp":
        step = cpPlan(ep, step);
        break;
      case "care":
        step = care(ep, step);
        break;
      default:
        return step;
    }
  }
  throw new Error("an episode went round too many steps");
}

interface EpisodeResult {
  /** The day the family's involvement ended (today if still open). */
  end: number;
  /** The referral date, when the contact became a referral. */
  referralDay: number | null;
  /** Early help ended by stepping up: the next contact follows at once. */
  steppedUp: boolean;
  episode?: Episode;
}

interface EpisodeOptions {
  limit: number;
  exploitation: boolean;
  team: TeamInfo;
  decision?: ContactDecision;
  target?: CurrentStatus;
  force?: Force;
  fixed?: FixedAllocation;
  decidedOn?: number;
}

/** A contact about `kids` on `day` and all that follows from it. */
function episode(
  w: JourneyWorld,
  info: FamilyInfo,
  kids: Kid[],
  day: number,
  o: EpisodeOptions,
): EpisodeResult {
  const { rng } = w;
  const c = contact(w, info, kids, day, {
    exploitation: o.exploitation,
    ...(o.decision ? { decision: o.decision } : {}),
    ...(o.decidedOn !== undefined ? { decidedOn: o.decidedOn } : {}),
  });
  const decided = c.decided ?? day;
  if (c.decision === "no_further_action" || c.decision === null) {
    linkContact(w, c, kids);
    return { end: decided, referralDay: null, steppedUp: false };
  }
  if (c.decision === "early_help") {
    linkContact(w, c, kids);
    const start = Math.min(decided + rng.int(0, 10), o.limit);
    const help = earlyHelp(w, info, kids, start, o.limit, { contactId: c.id });
    return { end: help.end ?? w.today, referralDay: null, steppedUp: help.reason === "stepped_up" };
  }
  const ep = new Episode(w, info, kids, {
    exploitation: o.exploitation,
    limit: o.limit,
    ...(o.target ? { target: o.target } : {}),
    ...(o.force ? { force: o.force } : {}),
  });
  const opened = openEpisode(ep, c, o.team, o.fixed);
  const first: Step =
    c.decision === "assessment"
      ? { kind: "assess", day: opened.decided }
      : { kind: "strategy", day: opened.decided, withAssessment: true };
  const end = drive(ep, first, opened.referralDay);
  if (end.kind === "open") {
    finishEpisode(ep, opened, null);
    return { end: w.today, referralDay: opened.referralDay, steppedUp: false, episode: ep };
  }
  const closed = Math.max(opened.referralDay, Math.min(Math.max(end.day, ep.busyUntil), ep.limit));
  finishEpisode(ep, opened, { day: closed, reason: end.reason });
  if (!end.stepDown) return { end: closed, referralDay: opened.referralDay, steppedUp: false };
  const help = earlyHelp(w, info, kids, closed, o.limit, { steppedDownFrom: ep.referrals });
  return {
    end: help.end ?? w.today,
    referralDay: opened.referralDay,
    steppedUp: help.reason === "stepped_up",
  };
}

function gap(w: JourneyWorld, perYear: number): number {
  return Math.round((-Math.log(1 - w.rng.float()) / perYear) * 365);
}

function teamFor(w: JourneyWorld, exploitation: boolean): TeamInfo {
  return w.rng.pick(exploitation ? w.teams.complexSafeguarding : w.teams.familySafeguarding);
}

/** The long-history child's earlier episodes, in order (the current one follows). */
const LONG_HISTORY: readonly { decision: ContactDecision; force: Force; room: number }[] = [
  {
    decision: "strategy_discussion",
    force: {
      s47: true,
      icpc: true,
      plan: true,
      category: "EMO",
      planEndsAtReview: 3,
      toCare: false,
      stepDownToCin: true,
      cinMonths: 6,
      notes: 6,
    },
    room: 900,
  },
  { decision: "assessment", force: { assessment: "no_further_action", notes: 6 }, room: 200 },
  { decision: "assessment", force: { assessment: "cin_plan", cinMonths: 9, notes: 6 }, room: 400 },
];

/** Closed episodes between `from` and `end` (exclusive); everything closes before `end`. */
function history(
  w: JourneyWorld,
  info: FamilyInfo,
  kids: readonly Kid[],
  from: number,
  end: number,
  options: { longHistory?: boolean; opening?: typeof RETURN_DECISIONS } = {},
): { contacts: number; lastReferral: number | null; lastEnd: number } {
  const { rng } = w;
  const { longHistory = false } = options;
  const perYear = rng.weighted(FAMILY_CONTACTS_PER_YEAR);
  let day = from + (longHistory ? 30 : gap(w, perYear));
  let contacts = 0;
  let lastReferral: number | null = null;
  let lastEnd = from;
  const scripted = longHistory ? [...LONG_HISTORY] : [];
  /** Decisions for a family coming back soon (or stepped up), rather than CONTACT_DECISIONS. */
  let returning: typeof RETURN_DECISIONS | undefined = options.opening;
  while (day < end - 30) {
    const scope = kids.filter((k) => k.dob <= day && k.adult > day + 180);
    if (scope.length === 0) {
      if (kids.every((k) => k.adult <= day + 180)) break;
      day += gap(w, perYear);
      continue;
    }
    const next = scripted[0];
    if (next && end - day < next.room) scripted.shift();
    const script = next && end - day >= next.room ? scripted.shift() : undefined;
    const one = !script && !rng.chance(CONTACT_NAMES_ALL_CHILDREN);
    const group = one ? [rng.pick(scope)] : scope;
    const exploitation = !script && group.every((k) => ageOn(k.dob, day) >= 12) && rng.chance(0.3);
    const decision = script?.decision ?? (returning ? rng.weighted(returning) : undefined);
    const result = episode(w, info, group, day, {
      limit: end - 1,
      exploitation,
      team: teamFor(w, exploitation),
      ...(decision ? { decision } : {}),
      ...(script ? { force: script.force } : {}),
    });
    contacts++;
    const after = Math.max(day, result.end);
    lastReferral = result.referralDay ?? lastReferral;
    lastEnd = after;
    returning = undefined;
    if (result.steppedUp) {
      day = after;
      returning = STEP_UP_DECISIONS;
    } else if (script) day = after + rng.int(60, 120);
    else if (
      result.referralDay !== null &&
      rng.chance(QUICK_RETURN_RATE) &&
      after + 14 < result.referralDay + 365
    ) {
      day = rng.int(after + 14, result.referralDay + 364);
      returning = RETURN_DECISIONS;
    } else day = after + 14 + gap(w, perYear);
  }
  return { contacts, lastReferral, lastEnd };
}

function carerOf(family: DemoFamily): "mum" | "dad" {
  return family.adults[0]?.role === "father" ? "dad" : "mum";
}

/** What an allocated family is open for today, and since when its episode began. */
function currentPlan(
  w: JourneyWorld,
  current: CurrentCase,
): { status: CurrentStatus; referralDay: number } {
  const { rng, today } = w;
  const start = current.start;
  const script = current.script;
  const born = Math.max(w.windowStart, ...current.children.map((k) => k.dob));
  let status: CurrentStatus;
  let before = 0;
  if (script) {
    status = script.status;
    if (script.longHistory) before = 500;
  } else {
    const since = today - start;
    if (since <= 25) status = rng.chance(0.3) ? "s47" : "assessment";
    else if (since <= 70)
      status = rng.weighted<CurrentStatus>([
        ["assessment", 45],
        ["cin", 30],
        ["cp", 25],
      ]);
    else status = rng.weighted(CURRENT_STATUS);
    if (status !== "assessment" && status !== "s47" && rng.chance(CURRENT_EPISODE_REALLOCATED)) {
      before = rng.int(30, status === "cla" ? 900 : 300);
    }
  }
  let referralDay = Math.max(born, start - before - (before === 0 ? rng.int(0, 1) : 0));
  if (referralDay > start) referralDay = start;
  const open = today - referralDay;
  if (status === "cp" && open < 35) status = "s47";
  if (status === "cin" && open < 25) status = "assessment";
  if (status === "cla" && open < 10) status = "assessment";
  if (status === "s47" && open > 60) status = "assessment";
  return { status, referralDay };
}

function decisionFor(w: JourneyWorld, status: CurrentStatus, open: number): ContactDecision {
  if (status === "assessment") return "assessment";
  if (status === "s47") return "strategy_discussion";
  if (status === "cin") return w.rng.chance(0.8) ? "assessment" : "strategy_discussion";
  return open > 120 && w.rng.chance(0.4) ? "assessment" : "strategy_discussion";
}

/** Everything for one family: history, then (if allocated today) the open episode. */
export function familyJourney(
  w: JourneyWorld,
  family: DemoFamily,
  current?: CurrentCase,
  options: { historic?: boolean } = {},
): void {
  const info: FamilyInfo = { family, carer: carerOf(family), recorded: new Set() };
  const kids = family.children.map(kidOf);
  const first = Math.max(w.windowStart, Math.min(...kids.map((k) => k.dob)));
  if (!current) {
    const opening = options.historic ? HISTORIC_FIRST_DECISIONS : undefined;
    const { contacts } = history(w, info, kids, first, w.today - 1, opening ? { opening } : {});
    // Every family in the system came to the front door at least once.
    if (contacts === 0 && first < w.today - 60) {
      const day = w.rng.int(first, w.today - 60);
      const scope = kids.filter((k) => k.dob <= day && k.adult > day + 180);
      if (scope.length > 0)
        episode(w, info, scope, day, {
          limit: w.today - 1,
          exploitation: false,
          team: teamFor(w, false),
        });
    }
    return;
  }
  const { status, referralDay } = currentPlan(w, current);
  const script = current.script;
  const longHistory = script?.longHistory ?? false;
  const past = history(w, info, kids, first, referralDay - 1, { longHistory });
  // Some open cases are re-referrals: an episode that closed in the year before this one.
  const { rng } = w;
  const recent = referralDay - rng.int(100, 330);
  const lastYear = past.lastReferral !== null && past.lastReferral >= referralDay - 365;
  if (!longHistory && !lastYear && recent > past.lastEnd + 14 && rng.chance(CURRENT_RE_REFERRAL)) {
    const scope = current.children.filter((k) => k.dob <= recent);
    if (scope.length > 0) {
      episode(w, info, [...scope], recent, {
        limit: referralDay - 14,
        exploitation: current.exploitation,
        team: teamFor(w, current.exploitation),
        decision: rng.weighted(STEP_UP_DECISIONS),
      });
    }
  }
  const force: Force = {
    ...(script?.overdueVisit ? { overdueVisit: true } : {}),
    ...(script?.recentMove ? { recentMove: true } : {}),
    ...(script?.awaitingAuthorisation ? { awaitingAuthorisation: true } : {}),
    ...(script?.longHistory
      ? { s47: true, icpc: true, plan: true, category: "NEG", toCare: true, notes: 6 }
      : {}),
  };
  // Not reallocated: the worker was allocated the day the contact was decided.
  const decidedOn = referralDay >= current.start - 3 ? current.start : undefined;
  const result = episode(w, info, [...current.children], referralDay, {
    limit: w.today,
    exploitation: current.exploitation,
    team: current.team,
    decision: script?.longHistory
      ? "strategy_discussion"
      : decisionFor(w, status, w.today - referralDay),
    target: status,
    force,
    fixed: {
      from: current.start,
      worker: current.worker,
      team: current.team,
      ids: current.allocationIds,
    },
    ...(decidedOn !== undefined ? { decidedOn } : {}),
  });
  // Recent missing episodes whose return interview is still to be offered.
  const open = result.episode;
  for (const [i, state] of (script?.missing ?? []).entries()) {
    const kid = current.children[i];
    if (open && kid && ageOn(kid.dob, w.today) >= 10)
      missing(open, kid, w.today - 3, status === "cla", state);
  }
}
