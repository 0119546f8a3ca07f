/**
 * Checks generated journey rows against the rules of the model: decision 0010, the 003
 * migration's constraints, the statutory timescales, the DfE code lists and the rules the
 * journey's own pages enforce (src/domain/*-rules.ts). The tests run it on rows kept in memory
 * and on rows read back from the database; it returns what is wrong, [] when nothing is.
 */
import { assessmentFactors } from "../domain/assessment-factors.ts";
import { chronologyKinds } from "../domain/chronology.ts";
import {
  categoriesOfAbuse,
  organisationKinds,
  primaryNeeds,
  reasonsForClosure,
  referralSources,
  type CodeList,
} from "../domain/code-lists.ts";
import { ageOn } from "../domain/dates.ts";
import { periodsOfCare, reasonsThatFit, type ClaEpisode } from "../domain/looked-after-rules.ts";
import { cpPlanEndReasons } from "../domain/protection-rules.ts";
import { socialWorkerChangeReasons } from "../domain/social-worker-change.ts";
import {
  legalStatuses,
  placementProviders,
  placementTypes,
  reasonsEpisodeCeased,
  reasonsForNewEpisode,
  reviewParticipation,
  type LegalStatusCode,
  type PlacementProviderCode,
  type PlacementTypeCode,
} from "../domain/ssda903.ts";
import { assessmentDue, cpReviewDue, icpcDue, referralDecisionDue } from "../domain/timescales.ts";

type Row = Record<string, unknown>;
export type JourneyRows = Partial<Record<string, readonly Row[]>>;

const codes = (list: CodeList) => new Set<string>(list.map((e) => e.code));
const SOURCES = codes(referralSources);
const NEEDS = codes(primaryNeeds);
const CLOSURES = codes(reasonsForClosure);
const CATEGORIES = codes(categoriesOfAbuse);
const FACTORS = codes(assessmentFactors);
const AGENCIES = codes(organisationKinds);
const LEGAL = codes(legalStatuses);
const PLACEMENTS = codes(placementTypes);
const PROVIDERS = codes(placementProviders);
const NEW_EPISODE = codes(reasonsForNewEpisode);
const CEASED = codes(reasonsEpisodeCeased);
const PARTICIPATION = codes(reviewParticipation);
const SW_REASONS = codes(socialWorkerChangeReasons);
const PLAN_ENDINGS = codes(cpPlanEndReasons);
const KINDS = new Set(Object.keys(chronologyKinds));

function s(row: Row, column: string): string {
  const value = row[column];
  return typeof value === "string" ? value : "";
}

function maybe(row: Row, column: string): string | null {
  const value = row[column];
  return typeof value === "string" ? value : null;
}

function time(row: Row, column: string): number | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  return typeof value === "string" ? Date.parse(value) : Number.NaN;
}

function byKey(rows: readonly Row[], key: string): Map<string, Row[]> {
  const map = new Map<string, Row[]>();
  for (const row of rows) {
    const k = s(row, key);
    const list = map.get(k) ?? [];
    list.push(row);
    map.set(k, list);
  }
  return map;
}

/** One child's rows of a kind must not overlap (ending the day the next starts is fine). */
function sequential(
  problems: string[],
  what: string,
  rows: readonly Row[],
  start: string,
  end: string,
): void {
  for (const [person, list] of byKey(rows, "person_id")) {
    const sorted = [...list].sort((a, b) => (s(a, start) < s(b, start) ? -1 : 1));
    let open = 0;
    for (const [i, row] of sorted.entries()) {
      const ends = maybe(row, end);
      if (ends === null) open++;
      else if (ends < s(row, start)) problems.push(`${what} ends before it starts (${person})`);
      const next = sorted[i + 1];
      if (next && (ends === null || ends > s(next, start))) {
        problems.push(`${what} overlap for ${person}`);
      }
    }
    if (open > 1) problems.push(`${String(open)} open ${what} for ${person}`);
  }
}

/** Age in whole years, or -1 when unknown or before birth (reported elsewhere). */
function age(dob: string | undefined, date: string): number {
  return dob && /^\d{4}-\d{2}-\d{2}$/.test(date) && date >= dob ? ageOn(dob, date) : -1;
}

function toEpisode(e: Row): ClaEpisode {
  return {
    id: s(e, "id"),
    startDate: s(e, "start_date"),
    endDate: maybe(e, "end_date"),
    reasonNewEpisode: s(e, "reason_new_episode"),
    legalStatus: s(e, "legal_status"),
    placementType: s(e, "placement_type"),
    placementProvider: maybe(e, "placement_provider"),
    placementPostcode: maybe(e, "placement_postcode"),
    reasonCeased: maybe(e, "reason_ceased"),
  };
}

export function journeyProblems(
  rows: JourneyRows,
  births: ReadonlyMap<string, string>,
  today: string,
): string[] {
  const problems: string[] = [];
  const all = (table: string): readonly Row[] => rows[table] ?? [];
  const code = (set: Set<string>, value: string | null, what: string) => {
    if (value !== null && !set.has(value)) problems.push(`${what} ${value}`);
  };
  const born = (row: Row, column: string, what: string) => {
    const dob = births.get(s(row, "person_id"));
    if (dob === undefined) problems.push(`${what} for an unknown person`);
    else if (s(row, column) < dob) problems.push(`${what} before the child's birth`);
    if (s(row, column) > today) problems.push(`${what} in the future (${s(row, column)})`);
  };

  const referrals = new Map(all("referral").map((r) => [s(r, "id"), r]));
  for (const r of referrals.values()) {
    born(r, "referral_date", "referral");
    code(SOURCES, s(r, "source"), "referral source");
    code(NEEDS, maybe(r, "primary_need"), "primary need");
    const closed = maybe(r, "closed_on");
    if (closed !== null && (closed < s(r, "referral_date") || closed > today)) {
      problems.push(`referral closed on ${closed}`);
    }
    if ((closed === null) !== (maybe(r, "closure_reason") === null))
      problems.push("closure reason");
    code(CLOSURES, maybe(r, "closure_reason"), "closure reason");
  }
  sequential(problems, "referrals", [...referrals.values()], "referral_date", "closed_on");
  const referralOf = (row: Row, what: string): Row | undefined => {
    const r = referrals.get(s(row, "referral_id"));
    if (!r) problems.push(`${what} without its referral`);
    else if (s(r, "person_id") !== s(row, "person_id")) problems.push(`${what} on another child`);
    return r;
  };
  /** Work of an episode starts within it and, if the episode closed, ended by then. */
  const within = (table: string, start: string, end: string) => {
    for (const row of all(table)) {
      const r = referralOf(row, table);
      if (!r) continue;
      if (s(row, start) < s(r, "referral_date")) problems.push(`${table} before its referral`);
      const closed = maybe(r, "closed_on");
      const finished = maybe(row, end);
      if (closed !== null && (finished === null || finished > closed)) {
        problems.push(`${table} outlives its episode`);
      }
    }
  };

  for (const c of all("contact")) {
    if (s(c, "decision_due_on") !== referralDecisionDue(s(c, "received_on"))) {
      problems.push("contact decision due date");
    }
    const decided = maybe(c, "decided_on");
    if (decided !== null && (decided < s(c, "received_on") || decided > today)) {
      problems.push("contact decided out of order");
    }
    if (s(c, "received_on") > today) problems.push("contact in the future");
  }

  within("assessment", "started_on", "authorised_on");
  for (const a of all("assessment")) {
    born(a, "started_on", "assessment");
    const r = referrals.get(s(a, "referral_id"));
    if (r && s(a, "due_on") !== assessmentDue(s(r, "referral_date"))) {
      problems.push("assessment due date");
    }
    const submitted = maybe(a, "submitted_on");
    const authorised = maybe(a, "authorised_on");
    if (submitted !== null && submitted < s(a, "started_on")) problems.push("submitted early");
    if (authorised !== null && (submitted === null || authorised < submitted)) {
      problems.push("assessment authorised before it was submitted");
    }
    const factors: unknown = a.factors;
    const list = Array.isArray(factors) ? factors.map(String) : [];
    if (list.some((f) => !FACTORS.has(f))) problems.push("assessment factors");
    if (list.includes("21") && list.length > 1) problems.push("factor 21 with others");
  }

  const discussions = new Map(all("strategy_discussion").map((d) => [s(d, "id"), d]));
  for (const d of discussions.values()) {
    born(d, "held_on", "strategy discussion");
    const r = referralOf(d, "strategy discussion");
    if (r && s(d, "held_on") < s(r, "referral_date")) problems.push("discussion before referral");
  }
  for (const a of all("strategy_attendee")) {
    code(AGENCIES, s(a, "agency_kind"), "attendee agency");
    if (!discussions.has(s(a, "strategy_discussion_id"))) problems.push("attendee of nothing");
  }
  within("s47_enquiry", "started_on", "completed_on");
  for (const e of all("s47_enquiry")) {
    const d = discussions.get(s(e, "strategy_discussion_id"));
    if (!d) problems.push("S47 without its strategy discussion");
    else if (s(e, "icpc_due_on") !== icpcDue(s(d, "held_on"))) problems.push("ICPC due date");
  }

  const conferences = all("cp_conference").concat(all("cp_review"));
  const initial = new Map(
    conferences.filter((c) => c.kind === "initial").map((c) => [s(c, "id"), c]),
  );
  for (const c of conferences) {
    born(c, "held_on", "conference");
    referralOf(c, "conference");
    code(CATEGORIES, maybe(c, "category"), "category");
  }
  const plans = all("cp_plan");
  within("cp_plan", "start_date", "end_date");
  for (const p of plans) {
    const icpc = initial.get(s(p, "icpc_id"));
    if (!icpc || icpc.decision !== "plan" || s(icpc, "person_id") !== s(p, "person_id")) {
      problems.push("CP plan without an ICPC that decided a plan");
    } else if (s(icpc, "held_on") !== s(p, "start_date")) problems.push("plan starts off its ICPC");
    const reviews = conferences
      .filter((c) => c.kind === "review" && s(c, "cp_plan_id") === s(p, "id"))
      .sort((a, b) => (s(a, "held_on") < s(b, "held_on") ? -1 : 1));
    let previous = s(p, "start_date");
    for (const [i, c] of reviews.entries()) {
      if (s(c, "due_on") !== cpReviewDue(previous, i === 0)) problems.push("review due date");
      if (s(c, "held_on") < previous) problems.push("review before the previous conference");
      previous = s(c, "held_on");
    }
    const last = reviews.at(-1);
    const ended = maybe(p, "end_date");
    if (ended !== null) {
      code(PLAN_ENDINGS, s(p, "end_reason"), "CP plan end reason");
      if (last?.decision !== "end" || s(last, "held_on") !== ended) {
        problems.push("CP plan not ended at a review conference");
      }
    } else if (last?.decision === "end") problems.push("open CP plan ended by its review");
  }
  sequential(problems, "CP plans", plans, "start_date", "end_date");
  within("cin_plan", "start_date", "end_date");
  sequential(problems, "CIN plans", all("cin_plan"), "start_date", "end_date");
  sequential(problems, "early help", all("early_help_episode"), "start_date", "end_date");

  const cla = all("cla_episode");
  sequential(problems, "CLA episodes", cla, "start_date", "end_date");
  const episodesOf = new Map<string, ClaEpisode[]>();
  for (const [person, list] of byKey(cla, "person_id")) {
    for (const e of list) born(e, "start_date", "CLA episode");
    const episodes = list.map(toEpisode);
    episodesOf.set(person, episodes);
    const dob = births.get(person);
    let previousEnd: string | null = null;
    for (const period of periodsOfCare(episodes)) {
      // A new period starts after the last one ended (DfE check 431), and before 18.
      if (previousEnd !== null && period.startDate <= previousEnd) problems.push("periods touch");
      previousEnd = period.endDate;
      if (age(dob, period.startDate) >= 18) problems.push("care starting at 18");
      if (period.reasonCeased === "E17" && age(dob, period.endDate ?? today) < 18) {
        problems.push("E17 before 18");
      }
      const sgo = ["E45", "E46", "E47", "E48"].includes(period.reasonCeased ?? "");
      if (sgo && age(dob, period.endDate ?? today) >= 18) problems.push("SGO at 18");
      period.episodes.forEach((e, i) => {
        code(NEW_EPISODE, e.reasonNewEpisode, "reason for new episode");
        code(LEGAL, e.legalStatus, "legal status");
        code(PLACEMENTS, e.placementType, "placement");
        code(PROVIDERS, e.placementProvider, "provider");
        code(CEASED, e.reasonCeased, "reason ceased");
        if ((e.placementType === "P1") !== (e.placementProvider === "PR0")) {
          problems.push("P1 goes with PR0 and only P1");
        }
        const before = period.episodes[i - 1];
        if (!before) {
          if (e.reasonNewEpisode !== "S") problems.push("a period of care not starting with S");
          return;
        }
        if (before.endDate !== e.startDate) problems.push("X1 without a change that day");
        const fits = reasonsThatFit(before, {
          legalStatus: e.legalStatus as LegalStatusCode,
          placementType: e.placementType as PlacementTypeCode,
          placementProvider: e.placementProvider as PlacementProviderCode | null,
          placementPostcode: e.placementPostcode,
        });
        if (!(fits as readonly string[]).includes(e.reasonNewEpisode)) {
          problems.push(`RNE ${e.reasonNewEpisode} does not fit the change (${person})`);
        }
      });
    }
  }
  const lookedAfterOn = (person: string, date: string) =>
    (episodesOf.get(person) ?? []).some(
      (e) => e.startDate <= date && (e.endDate === null || e.endDate >= date),
    );
  for (const r of all("cla_review")) {
    born(r, "held_on", "CLA review");
    const person = s(r, "person_id");
    const participation = s(r, "participation");
    code(PARTICIPATION, participation, "review participation");
    const under4 = age(births.get(person), s(r, "held_on")) < 4;
    if (under4 !== (participation === "PN0")) problems.push("PN0 is for children under 4");
    if (!lookedAfterOn(person, s(r, "held_on"))) problems.push("review while not looked after");
  }
  for (const [person, list] of byKey(all("missing_episode"), "person_id")) {
    const started = (m: Row) => time(m, "started_at") ?? Number.NaN;
    const sorted = [...list].sort((a, b) => started(a) - started(b));
    sorted.forEach((m, i) => {
      const ended = time(m, "ended_at");
      const offered = time(m, "interview_offered_at");
      if (ended !== null && ended < started(m)) problems.push("return before going missing");
      if (offered !== null && (ended === null || offered < ended)) {
        problems.push("interview offered before the return");
      }
      const next = sorted[i + 1];
      if (next && (ended === null || ended > started(next))) problems.push("missing overlap");
      const day = new Date(started(m)).toISOString().slice(0, 10);
      if (m.kind === "A" && !lookedAfterOn(person, day)) problems.push("away but not in care");
    });
  }
  for (const v of all("visit")) {
    born(v, "visited_on", "visit");
    if (v.seen_alone === true && v.seen !== true) problems.push("seen alone but not seen");
  }
  for (const n of all("case_note")) born(n, "occurred_on", "case note");

  for (const a of all("allocation")) code(SW_REASONS, maybe(a, "end_reason"), "SW_REASON");
  const childAllocations = all("allocation").filter((a) => births.has(s(a, "person_id")));
  sequential(problems, "allocations", childAllocations, "start_date", "end_date");

  for (const c of all("chronology_entry")) {
    code(KINDS, s(c, "kind"), "chronology kind");
    if (!maybe(c, "subject_type") || !maybe(c, "subject_id"))
      problems.push("entry without subject");
    if (s(c, "occurred_on") > today) problems.push("chronology entry in the future");
  }
  return [...new Set(problems)].slice(0, 50);
}
