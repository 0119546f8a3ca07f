/**
 * The front of the journey: contacts and their decisions, referrals (one per child: the
 * episode of need), early help, and closing the episode. Assessments: journeys-assessment.ts.
 */
import type { Insertable } from "kysely";
import type { ChronologyKind } from "../domain/chronology.ts";
import { monthsLater, dateOf } from "./journeys-calendar.ts";
import { caseNotes } from "./journeys-activity.ts";
import { missingDuring } from "./journeys-missing.ts";
import {
  CONTACT_DECIDED_ON_TIME,
  CONTACT_DECISIONS,
  EARLY_HELP_ENDINGS,
  EARLY_HELP_MONTHS,
  EXPLOITATION_SOURCES,
  REFERRAL_SOURCES,
  type ContactDecision,
  type EarlyHelpEnd,
} from "./journeys-rates.ts";
import {
  CLOSURE_NAME,
  CONTACT_REASONS,
  DECISION_REASONS,
  EARLY_HELP_END_NAME,
  EXPLOITATION_REASONS,
  fill,
  REFERRERS,
  sourceGroup,
} from "./journeys-text.ts";
import {
  Allocations,
  Episode,
  managerOf,
  workingTime,
  type FamilyInfo,
  type FixedAllocation,
  type JourneyWorld,
  type Kid,
} from "./journeys-world.ts";

import type { DB } from "../platform/schema.ts";
import type { TeamInfo } from "./staff.ts";

const DECISION_SUMMARY: Record<ContactDecision, string> = {
  no_further_action: "Decision: no further action; advice given to the referrer.",
  early_help: "Decision: early help offered to the family.",
  assessment: "Decision: child and family assessment.",
  strategy_discussion: "Decision: strategy discussion.",
};

export interface Contact {
  id: string;
  received: number;
  decided: number | null;
  decision: ContactDecision | null;
  source: string;
}

/** A contact about `kids` received on `day`; `decision` null leaves it waiting for a decision. */
export function contact(
  w: JourneyWorld,
  info: FamilyInfo,
  kids: readonly Kid[],
  day: number,
  options: {
    decision?: ContactDecision | null;
    source?: string;
    exploitation?: boolean;
    /** The day the decision was made, where a script needs it (e.g. the allocation's start). */
    decidedOn?: number;
  },
): Contact {
  const { rng, cal } = w;
  const source =
    options.source ?? rng.weighted(options.exploitation ? EXPLOITATION_SOURCES : REFERRAL_SOURCES);
  const group = sourceGroup(source);
  const first = kids[0];
  if (!first) throw new Error("a contact needs a child");
  const reasons = options.exploitation ? EXPLOITATION_REASONS : (CONTACT_REASONS[group] ?? []);
  const decision =
    options.decision === undefined ? rng.weighted(CONTACT_DECISIONS) : options.decision;
  const due = cal.add(day, 1);
  let decided: number | null = null;
  if (decision !== null) {
    if (rng.chance(CONTACT_DECIDED_ON_TIME))
      decided = cal.isWorking(day) && rng.chance(0.6) ? day : due;
    else decided = cal.add(due, rng.int(1, 3));
    if (options.decidedOn !== undefined) decided = Math.max(day, options.decidedOn);
  }
  const frontDoor = rng.pick(w.staff.frontDoorWorkers);
  const id = w.id();
  w.sink.push("contact", {
    id,
    la_id: w.laId,
    received_on: dateOf(day),
    source,
    referrer: rng.pick(REFERRERS[group] ?? ["Unknown"]),
    reasons: fill(rng.pick(reasons), first.name, info.carer),
    decision_due_on: dateOf(due),
    decision,
    decision_reason: decision === null ? null : rng.pick(DECISION_REASONS[decision] ?? [""]),
    decided_on: decided === null ? null : dateOf(decided),
    decided_by: decision === null ? null : w.frontDoorManager.id,
    recorded_by: frontDoor.id,
    recorded_at: workingTime(rng, day),
    version: 1,
  });
  const subject = { type: "contact", id };
  for (const kid of kids) {
    if (!info.recorded.has(kid.id)) {
      info.recorded.add(kid.id);
      pushChron(
        w,
        info,
        kid,
        day,
        "record_created",
        "Record created at the front door.",
        frontDoor,
        subject,
      );
    }
    const summary = `Contact received from ${REFERRERS[group]?.[0] ?? "a referrer"}.`;
    pushChron(w, info, kid, day, "contact", summary, frontDoor, subject);
    if (decision !== null && decided !== null) {
      pushChron(
        w,
        info,
        kid,
        decided,
        "contact_decision",
        DECISION_SUMMARY[decision],
        w.frontDoorManager,
        subject,
      );
    }
  }
  return { id, received: day, decided, decision, source };
}

/** Links a contact's children to the episode it opened or joined (null: neither). */
export function linkContact(
  w: JourneyWorld,
  c: Contact,
  kids: readonly Kid[],
  referrals?: ReadonlyMap<string, string>,
): void {
  for (const kid of kids) {
    w.sink.push("contact_child", {
      contact_id: c.id,
      person_id: kid.id,
      la_id: w.laId,
      referral_id: referrals?.get(kid.id) ?? null,
    });
  }
}

function pushChron(
  w: JourneyWorld,
  info: FamilyInfo,
  kid: Kid,
  day: number,
  kind: ChronologyKind,
  summary: string,
  by: { id: string; team: TeamInfo },
  subject: { type: string; id: string },
): void {
  w.sink.push("chronology_entry", {
    id: w.id(),
    la_id: w.laId,
    person_id: kid.id,
    occurred_on: dateOf(day),
    kind,
    summary: fill(summary, kid.name, info.carer),
    organisation_id: by.team.organisationId,
    recorded_by: by.id,
    recorded_at: workingTime(w.rng, day),
    subject_type: subject.type,
    subject_id: subject.id,
  });
}

type ReferralRow = Insertable<DB["referral"]>;

/** Opens each child's referral from the contact and allocates the episode on the decision day. */
export function openEpisode(
  ep: Episode,
  c: Contact,
  team: TeamInfo,
  fixed?: FixedAllocation,
): { referralDay: number; decided: number; rows: ReferralRow[] } {
  const { w } = ep;
  const decided = c.decided ?? c.received;
  ep.source = c.source;
  ep.alloc = new Allocations(w, team, decided, fixed);
  const rows: ReferralRow[] = [];
  for (const kid of ep.kids) {
    const id = w.id();
    ep.referrals.set(kid.id, id);
    rows.push({
      id,
      la_id: w.laId,
      person_id: kid.id,
      contact_id: c.id,
      referral_date: dateOf(c.received),
      source: c.source,
      primary_need: null,
      closed_on: null,
      closure_reason: null,
      opened_by: w.frontDoorManager.id,
      closed_by: null,
      version: 1,
    });
    ep.chron(
      kid,
      c.received,
      "referral",
      "Referral opened: episode of need started.",
      w.frontDoorManager,
      { type: "referral", id },
    );
  }
  linkContact(w, c, ep.kids, ep.referrals);
  return { referralDay: c.received, decided, rows };
}

/** Ends the episode: closes every child's referral (or leaves it open today) and allocation. */
export function finishEpisode(
  ep: Episode,
  opened: { referralDay: number; decided: number; rows: ReferralRow[] },
  closure: { day: number; reason: string } | null,
): void {
  const { w } = ep;
  const end = closure?.day ?? w.today;
  caseNotes(ep, opened.decided, end);
  // The last week is left clear for the recent episodes a script adds (journeys-family.ts).
  missingDuring(ep, opened.decided, Math.min(end, w.today - 7));
  const closer = closure ? managerOf(w, ep.team(closure.day)) : undefined;
  for (const [i, row] of opened.rows.entries()) {
    const kid = ep.kids[i];
    if (!kid) continue;
    row.primary_need = ep.primaryNeed;
    if (closure && closer) {
      row.closed_on = dateOf(closure.day);
      row.closure_reason = closure.reason;
      row.closed_by = closer.id;
      const why = CLOSURE_NAME[closure.reason] ?? "closed";
      ep.chron(kid, closure.day, "case_closed", `Case closed: ${why}.`, closer, {
        type: "referral",
        id: String(row.id),
      });
    }
    w.sink.push("referral", row);
  }
  ep.alloc?.emit(ep, closure ? closure.day : null);
}

/**
 * Early help for the children from `start`: after a contact decision, or stepped down from a
 * closed episode. Returns the day it ended and how, or null end when still open today.
 */
export function earlyHelp(
  w: JourneyWorld,
  info: FamilyInfo,
  kids: readonly Kid[],
  start: number,
  limit: number,
  from: { contactId?: string; steppedDownFrom?: ReadonlyMap<string, string> },
): { end: number | null; reason: EarlyHelpEnd | null } {
  const { rng } = w;
  let end: number | null = monthsLater(start, rng.int(...EARLY_HELP_MONTHS)) + rng.int(-10, 10);
  let reason: EarlyHelpEnd | null = rng.weighted(EARLY_HELP_ENDINGS);
  if (end >= w.today && limit >= w.today) {
    end = null;
    reason = null;
  } else if (end > limit) {
    end = Math.max(start, limit);
    reason = "other";
  }
  const worker = rng.pick(w.staff.frontDoorWorkers);
  for (const kid of kids) {
    const id = w.id();
    w.sink.push("early_help_episode", {
      id,
      la_id: w.laId,
      person_id: kid.id,
      contact_id: from.contactId ?? null,
      stepped_down_from: from.steppedDownFrom?.get(kid.id) ?? null,
      start_date: dateOf(start),
      end_date: end === null ? null : dateOf(end),
      end_reason: reason,
      recorded_by: worker.id,
      version: 1,
    });
    const subject = { type: "early_help_episode", id };
    if (from.steppedDownFrom)
      pushChron(w, info, kid, start, "step_down", "Stepped down to early help.", worker, subject);
    pushChron(
      w,
      info,
      kid,
      start,
      "early_help_started",
      "Early help with the family support service started.",
      worker,
      subject,
    );
    if (end !== null && reason !== null) {
      pushChron(
        w,
        info,
        kid,
        end,
        "early_help_ended",
        `Early help ended: ${EARLY_HELP_END_NAME[reason] ?? reason}.`,
        worker,
        subject,
      );
      if (reason === "stepped_up")
        pushChron(
          w,
          info,
          kid,
          end,
          "step_up",
          "Stepped up to children's social care.",
          worker,
          subject,
        );
    }
  }
  return { end, reason };
}
