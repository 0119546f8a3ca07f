/**
 * The demo's Family Safeguarding work (decision 0013): families worked by a Family
 * Safeguarding team get a Workbook opened 2 to 9 months ago, adult specialists allocated to
 * their adults, Workbook sections written by each discipline, measures repeated over time, Signs
 * of Safety maps, a whole-family plan, group supervision and, for some, a Family Group
 * Conference. Pure and deterministic from the seed through its own stream ("family
 * safeguarding"), so it reshuffles nothing else; generate.ts writes the rows.
 *
 * Small: the Team A families of the fixed social worker and their colleagues (6 to 8), shaped
 * so every fixed Team A sign-in sees something of their own. Large: those, plus a sample of
 * other Family Safeguarding families up to LARGE_WORKBOOKS, to keep the cost to a second or so.
 */
import type { Insertable } from "kysely";
import type { PracticeRole } from "../domain/family-safeguarding.ts";
import type { DB } from "../platform/schema.ts";
import type { CaseAssignment } from "./casework.ts";
import { workingTime } from "./journeys-calendar.ts";
import type { DemoPerson } from "./families.ts";
import { familyPlan } from "./family-safeguarding-plan.ts";
import { groupSupervision } from "./family-safeguarding-supervision.ts";
import type { Need } from "./family-safeguarding-text.ts";
import { familyGroupConference, sosMaps } from "./family-safeguarding-work.ts";
import { measures, sections } from "./family-safeguarding-workbook.ts";
import {
  chron,
  type AdultWork,
  type FamilySafeguardingRows,
  type FsContext,
  type FsFamily,
} from "./family-safeguarding-world.ts";
import { dateOf, orderedIds } from "./journeys-calendar.ts";
import { Random, toDay } from "./random.ts";
import type { DemoSize, Organisations, Staff, Teams, UserInfo } from "./staff.ts";

export type { FamilySafeguardingRows } from "./family-safeguarding-world.ts";

export interface FamilySafeguardingInput {
  seed: number;
  laId: string;
  today: number;
  size: DemoSize;
  orgs: Organisations;
  teams: Teams;
  staff: Staff;
  cases: readonly CaseAssignment[];
  /** The foundation's open allocations (casework.ts), adult specialists' included. */
  allocations: readonly Insertable<DB["allocation"]>[];
}

/** The tables written after the journeys, in an order that satisfies every foreign key. */
export const FAMILY_SAFEGUARDING_TABLES = [
  "workbook",
  "workbook_section",
  "workbook_section_revision",
  "measure_result",
  "measure_alert",
  "sos_map",
  "sos_scaling",
  "family_plan",
  "family_plan_goal",
  "family_plan_action",
  "group_supervision",
  "group_supervision_attendee",
  "supervision_decision",
  "supervision_action",
  "family_group_conference",
] as const satisfies readonly (keyof FamilySafeguardingRows)[];

/** Brief: a Workbook opened 2 to 9 months before today. */
const MIN_OPEN_DAYS = 61;
const MAX_OPEN_DAYS = 270;
const SMALL_WORKBOOKS = 8;
/** Brief: at least 6 Team A families, at least 3 of them the main social worker's own. */
const MIN_TEAM_A_WORKBOOKS = 6;
const MIN_OWN_WORKBOOKS = 3;
/** Large: a few hundred Workbooks across the Family Safeguarding teams. */
const LARGE_WORKBOOKS = 300;
/** ASSUMPTION: shares of the large sample with an FGC, and with supervision overdue. */
const LARGE_FGC_RATE = 0.15;
const LARGE_OVERDUE_RATE = 0.05;
/** Default supervision interval (DEFAULT_SUPERVISION_INTERVAL_WEEKS) in days. */
const SUPERVISION_INTERVAL_DAYS = 28;

/** Team A's families, in order, take these [main carer, partner] needs, so each specialist has work. */
const PROFILES: readonly (readonly [Need, Need])[] = [
  ["da_victim", "da_harm"],
  ["da_victim", "substance"],
  ["mental_health", "da_harm"],
  ["substance", "mental_health"],
  ["mental_health", "substance"],
  ["da_victim", "mental_health"],
  ["substance", "da_harm"],
];

const NEED_ROLE: Record<Need, PracticeRole> = {
  da_victim: "domestic_abuse_practitioner",
  da_harm: "domestic_abuse_officer",
  substance: "recovery_worker",
  mental_health: "mental_health_practitioner",
};

const ROLE_NEED: Partial<Record<PracticeRole, Need>> = {
  domestic_abuse_practitioner: "da_victim",
  recovery_worker: "substance",
  mental_health_practitioner: "mental_health",
};

export interface FamilySafeguardingResult {
  rows: FamilySafeguardingRows;
  counts: { workbooks: number; measureResults: number; groupSupervisions: number };
}

function emptyRows(): FamilySafeguardingRows {
  const rows = { allocation: [], chronology_entry: [] } as Record<string, unknown[]>;
  for (const table of FAMILY_SAFEGUARDING_TABLES) rows[table] = [];
  return rows as unknown as FamilySafeguardingRows;
}

/** Who is in each Family Safeguarding team, by practice role. */
function rosters(staff: Staff): Map<string, Map<PracticeRole, UserInfo[]>> {
  const map = new Map<string, Map<PracticeRole, UserInfo[]>>();
  for (const user of staff.users) {
    if (!user.practiceRole) continue;
    const team = map.get(user.team.id) ?? new Map<PracticeRole, UserInfo[]>();
    team.set(user.practiceRole, [...(team.get(user.practiceRole) ?? []), user]);
    map.set(user.team.id, team);
  }
  return map;
}

/** The families to work with: Team A's first (the main social worker's own leading), then others. */
function chooseFamilies(input: FamilySafeguardingInput, rng: Random): CaseAssignment[] {
  const { today, teams } = input;
  const teamA = teams.familySafeguarding[0];
  const candidates = input.cases.filter(
    (c) =>
      c.team.kind === "family_safeguarding" &&
      !c.exploitation &&
      !c.script?.restricted &&
      c.children.length > 0 &&
      c.family.adults.length > 0,
  );
  const eligible = (c: CaseAssignment) => c.startDay < today - MIN_OPEN_DAYS;
  const inTeamA = candidates.filter((c) => c.team === teamA);
  // The main social worker's own families lead; the looked-after one (the long history, its
  // child in care) only where fewer than three others have been open two months.
  const own = (c: CaseAssignment) => c.script?.worker === "socialWorker";
  const lookedAfter = (c: CaseAssignment) => c.script?.journey.status === "cla";
  const ownFirst = inTeamA.filter((c) => own(c) && !lookedAfter(c) && eligible(c));
  const ownLast = inTeamA.filter((c) => own(c) && lookedAfter(c) && eligible(c));
  const others = inTeamA.filter((c) => !own(c) && eligible(c));
  const teamAOrder =
    ownFirst.length >= MIN_OWN_WORKBOOKS
      ? [...ownFirst, ...others, ...ownLast]
      : [...ownFirst, ...ownLast, ...others];
  const chosen = teamAOrder.slice(0, SMALL_WORKBOOKS);
  // Only if Team A has too few families of two months' standing: younger ones, opened sooner.
  for (const c of inTeamA) {
    if (chosen.length >= MIN_TEAM_A_WORKBOOKS) break;
    if (!chosen.includes(c)) chosen.push(c);
  }
  if (input.size === "small") return chosen;
  const taken = new Set(chosen);
  const rest = candidates.filter((c) => !taken.has(c) && c.team !== teamA && eligible(c));
  const rate = Math.max(0, LARGE_WORKBOOKS - chosen.length) / Math.max(1, rest.length);
  for (const c of rest) {
    if (chosen.length >= LARGE_WORKBOOKS) break;
    if (rng.chance(rate)) chosen.push(c);
  }
  return chosen;
}

export function buildFamilySafeguarding(input: FamilySafeguardingInput): FamilySafeguardingResult {
  const rng = new Random(input.seed, "family safeguarding");
  const ctx: FsContext = {
    rng,
    // Ordered ids in a range of their own, apart from the journeys' (journeys-calendar.ts).
    id: orderedIds(rng, 0x01a000000000),
    laId: input.laId,
    today: input.today,
    orgs: input.orgs,
    rows: emptyRows(),
  };
  const roster = rosters(input.staff);
  const usersById = new Map(input.staff.users.map((u) => [u.id, u]));
  // Each adult has at most one open allocation: the specialist casework.ts gave them, if any.
  const specialistOf = new Map<string, { user: UserInfo; from: number }>();
  for (const a of input.allocations) {
    const user = usersById.get(a.worker_id);
    if (user?.role === "adult_specialist" && !a.end_date) {
      specialistOf.set(a.person_id, { user, from: toDay(a.start_date) });
    }
  }
  const teamA = input.teams.familySafeguarding[0];
  const flags = { alert: false, raised: false };
  let groupSupervisions = 0;
  const chosen = chooseFamilies(input, rng);
  chosen.forEach((c, position) => {
    const inTeamA = c.team === teamA;
    const team = roster.get(c.team.id);
    const first = (role: PracticeRole) => team?.get(role)?.[0];
    const manager = first("team_manager");
    const support = first("business_support");
    if (!team || !manager || !support) throw new Error(`${c.team.name} lacks a manager or support`);
    const profile = inTeamA ? PROFILES[position % PROFILES.length] : rng.pick(PROFILES);
    const f: FsFamily = {
      family: c.family,
      team: c.team,
      workbookId: ctx.id(),
      opened: openingDay(rng, c.startDay, input.today),
      children: c.children,
      adults: [],
      lead: c.worker,
      manager,
      support,
      practitioner: team.get("family_practitioner")?.[0] ?? null,
      // Team A's second family (usually the main social worker's) has its supervision overdue.
      supervisionOverdue: inTeamA ? position === 1 : rng.chance(LARGE_OVERDUE_RATE),
      conference: inTeamA ? position === 0 : rng.chance(LARGE_FGC_RATE),
    };
    f.adults = c.family.adults.map((person, i) =>
      adultWork(ctx, f, person, i === 0 ? profile?.[0] : profile?.[1], specialistOf, team),
    );
    ctx.rows.workbook.push({
      id: f.workbookId,
      la_id: ctx.laId,
      family_id: c.family.id,
      opened_on: dateOf(f.opened),
      opened_by: f.lead.id,
      supervision_interval_weeks: SUPERVISION_INTERVAL_DAYS / 7,
      version: 1,
      created_at: workingTime(rng, f.opened),
    });
    const summary = `Family Workbook opened by ${f.lead.displayName}`;
    chron(ctx, f, f.opened, "workbook_opened", summary, f.lead, {
      type: "workbook",
      id: f.workbookId,
    });
    sections(ctx, f);
    measures(ctx, f, flags, inTeamA);
    sosMaps(ctx, f);
    familyPlan(ctx, f);
    groupSupervisions += groupSupervision(ctx, f, SUPERVISION_INTERVAL_DAYS);
    if (f.conference) familyGroupConference(ctx, f);
  });
  return {
    rows: ctx.rows,
    counts: {
      workbooks: ctx.rows.workbook.length,
      measureResults: ctx.rows.measure_result.length,
      groupSupervisions,
    },
  };
}

/** 2 to 9 months ago, after the family was allocated to the team. */
function openingDay(rng: Random, allocated: number, today: number): number {
  const earliest = Math.max(allocated + 1, today - MAX_OPEN_DAYS);
  const latest = today - MIN_OPEN_DAYS;
  return earliest <= latest ? rng.int(earliest, latest) : Math.min(allocated + 1, today - 1);
}

/**
 * What an adult works on and with whom. The main carer's existing specialist decides their
 * need; otherwise the profile's, allocated to the team's specialist from soon after opening.
 * A grandparent supports the plan without a specialist of their own.
 */
function adultWork(
  ctx: FsContext,
  f: FsFamily,
  person: DemoPerson,
  wanted: Need | undefined,
  specialistOf: ReadonlyMap<string, { user: UserInfo; from: number }>,
  team: ReadonlyMap<PracticeRole, UserInfo[]>,
): AdultWork {
  const existing = specialistOf.get(person.id);
  const existingNeed = existing?.user.practiceRole
    ? ROLE_NEED[existing.user.practiceRole]
    : undefined;
  if (existing && existingNeed) {
    return { person, need: existingNeed, specialist: existing.user, from: existing.from };
  }
  if (existing || !wanted || person.role === "grandparent") {
    return { person, need: null, specialist: null, from: f.opened };
  }
  const specialist = team.get(NEED_ROLE[wanted])?.[0];
  if (!specialist) return { person, need: null, specialist: null, from: f.opened };
  const from = Math.min(f.opened + ctx.rng.int(0, 10), ctx.today - 1);
  ctx.rows.allocation.push({
    id: ctx.id(),
    la_id: ctx.laId,
    person_id: person.id,
    worker_id: specialist.id,
    team_id: f.team.id,
    start_date: dateOf(from),
    end_date: null,
    allocated_by: f.manager.id,
    end_reason: null,
  });
  return { person, need: wanted, specialist, from };
}
