/**
 * Who works with which family: allocations, record shares with partners, the restricted child
 * and chronology. The first families are scripted so that every fixed demo sign-in sees the
 * same kind of caseload in every size; the rest are allocated at random.
 */
import type { Insertable } from "kysely";
import type { DB } from "../platform/schema.ts";
import { workingTime } from "./journeys-calendar.ts";
import type { DemoFamily, DemoPerson, FamilyShape } from "./families.ts";
import type { JourneyScript } from "./journeys-family.ts";
import { fromDay, toDay, type Random } from "./random.ts";
import type { FixedKey } from "./sign-ins.ts";
import type { DemoSize, Organisations, Staff, TeamInfo, Teams, UserInfo } from "./staff.ts";

/** ASSUMPTION (brief): share of unscripted families with children allocated, by size. */
const ALLOCATED_FAMILY_RATE: Record<DemoSize, number> = { small: 0.5, large: 0.27 };
/** ASSUMPTION: of allocated families with a child aged 12+, the share worked by Complex
 * Safeguarding (the adolescents only) rather than Family Safeguarding (the whole family). */
const COMPLEX_SAFEGUARDING_RATE = 0.2;
const ADOLESCENT_AGE = 12;
/** Children per social worker. The DfE's children's social work workforce statistics put the
 * national average caseload at about 16 to 17 children per FTE social worker; brief: 15-20. */
const TARGET_CASELOAD = 17;
const MIN_SOCIAL_WORKERS = { family_safeguarding: 2, complex_safeguarding: 1 } as const;
/** ASSUMPTION: Family Safeguarding families where an adult specialist holds the main carer. */
const ADULT_SPECIALIST_RATE = 0.15;
/** Brief: about 20% of allocated children shared with police and/or health. */
const SHARE_RATE = 0.2;
/** ASSUMPTION: of shared families, 40% shared with police only, 40% health only, 20% both. */
const POLICE_ONLY_SHARE = 0.4;
const HEALTH_ONLY_SHARE = 0.4;
/** ASSUMPTION: allocations started within the last two years (brief). */
const MAX_ALLOCATION_AGE_DAYS = 730;

type Partner = "police" | "health";
type LawfulBasis =
  "ca1989_s47" | "ca1989_s17" | "ca2004_s11" | "cda1998_s115" | "consent" | "ukgdpr_6_1_e";

const PURPOSES: Record<LawfulBasis, string> = {
  ca1989_s47: "Strategy discussion and section 47 enquiry",
  ca1989_s17: "Child in need plan: health and wellbeing checks",
  ca2004_s11: "Multi-agency safeguarding: exploitation risk assessment (MACE)",
  cda1998_s115: "Prevention of crime: disruption of those exploiting the child",
  consent: "Parent agreed to sharing for the family plan",
  ukgdpr_6_1_e: "Safeguarding: joint review of the child's plan",
};
/** ASSUMPTION: spread of lawful bases; police get the crime and disorder gateway too. */
const BASES: Record<Partner, readonly (readonly [LawfulBasis, number])[]> = {
  police: [
    ["ca1989_s47", 40],
    ["ca2004_s11", 25],
    ["cda1998_s115", 15],
    ["ukgdpr_6_1_e", 15],
    ["consent", 5],
  ],
  health: [
    ["ca1989_s47", 30],
    ["ca1989_s17", 30],
    ["ca2004_s11", 15],
    ["consent", 15],
    ["ukgdpr_6_1_e", 10],
  ],
};

type WorkerKey = FixedKey | "teamA_manager";

interface Scripted {
  shape: FamilyShape;
  team: (teams: Teams) => TeamInfo;
  worker: WorkerKey;
  adolescentsOnly?: boolean;
  restricted?: boolean;
  adultSpecialist?: boolean;
  shares?: readonly (readonly [Partner, LawfulBasis])[];
  /** What the family is open for today, so each fixed sign-in has due and overdue work. */
  journey: JourneyScript;
}

const teamA = (t: Teams) => t.familySafeguarding[0] ?? t.frontDoor;
const teamB = (t: Teams) => t.familySafeguarding[1] ?? t.frontDoor;
const north = (t: Teams) => t.complexSafeguarding[0] ?? t.frontDoor;

/**
 * The first families, the same shape in every size. Each has a scripted journey so the fixed
 * sign-ins see every stage and something due or overdue in "My work": Team A's social worker
 * holds a CP family (review due soon, a visit overdue), a CIN family (a visit overdue), a
 * family mid-assessment (overdue, one waiting for the manager) and a looked-after family
 * with the demo's long history (moved placement three days ago: a visit due within the week); Team B's worker an S47 with the ICPC due, a CP family and a
 * new assessment; the exploitation worker young people with return interviews to offer.
 */
export const SCRIPTED: readonly Scripted[] = [
  {
    shape: { household: "two_parents", children: 2, eldestMax: 11 },
    team: teamA,
    worker: "socialWorker",
    adultSpecialist: true,
    shares: [
      ["police", "ca1989_s47"],
      ["health", "ca1989_s47"],
    ],
    journey: { status: "cp", startDaysAgo: 100, overdueVisit: true },
  },
  {
    shape: { household: "step_parent", children: 2 },
    team: teamA,
    worker: "socialWorker",
    adultSpecialist: true,
    shares: [["health", "consent"]],
    journey: { status: "cin", startDaysAgo: 220, overdueVisit: true },
  },
  {
    shape: { children: 2 },
    team: teamA,
    worker: "socialWorker",
    journey: { status: "assessment", startDaysAgo: 68, awaitingAuthorisation: true },
  },
  {
    // Old enough for the long history: ten years' worth of episodes.
    shape: { children: 2, eldestMin: 10 },
    team: teamA,
    worker: "socialWorker",
    journey: {
      status: "cla",
      startDaysAgo: 420,
      longHistory: true,
      missing: ["due"],
      recentMove: true,
    },
  },
  // The restricted child. Their mother works for Northmoor children's services, so the record
  // is restricted to stop colleagues browsing it (a common reason for restriction in practice).
  // The Team A manager holds the case and is the only person granted access.
  {
    shape: { household: "single_mother", children: 1, eldestMin: 6, eldestMax: 10 },
    team: teamA,
    worker: "teamA_manager",
    restricted: true,
    journey: { status: "cin", startDaysAgo: 300 },
  },
  {
    shape: {},
    team: teamB,
    worker: "otherSocialWorker",
    shares: [["police", "ca1989_s47"]],
    journey: { status: "s47", startDaysAgo: 12 },
  },
  {
    shape: {},
    team: teamB,
    worker: "otherSocialWorker",
    journey: { status: "cp", startDaysAgo: 200, overdueVisit: true },
  },
  {
    shape: {},
    team: teamB,
    worker: "otherSocialWorker",
    journey: { status: "assessment", startDaysAgo: 30 },
  },
  {
    shape: { children: 2, eldestMin: 14, eldestMax: 16 },
    team: north,
    worker: "exploitationWorker",
    adolescentsOnly: true,
    shares: [["police", "ca2004_s11"]],
    journey: { status: "cin", startDaysAgo: 150, missing: ["overdue", "due"] },
  },
  {
    shape: { children: 1, eldestMin: 13, eldestMax: 15 },
    team: north,
    worker: "exploitationWorker",
    adolescentsOnly: true,
    journey: { status: "cla", startDaysAgo: 250, missing: ["due"] },
  },
];

interface Assignment {
  family: DemoFamily;
  team: TeamInfo;
  children: DemoPerson[];
  startDay: number;
  script: Scripted | undefined;
  exploitation: boolean;
}

export interface CasePlan {
  assignments: Assignment[];
  /** Generated social workers each casework team needs for TARGET_CASELOAD. */
  socialWorkersNeeded: Map<string, number>;
}

export function planCasework(
  rng: Random,
  families: readonly DemoFamily[],
  teams: Teams,
  size: DemoSize,
  today: number,
): CasePlan {
  const assignments: Assignment[] = [];
  const load = new Map<string, number>();
  for (const family of families) {
    const script = SCRIPTED[family.index];
    const drawn = today - rng.int(14, MAX_ALLOCATION_AGE_DAYS);
    const adolescents = family.children.filter((c) => c.age >= ADOLESCENT_AGE);
    if (script) {
      const team = script.team(teams);
      const children = script.adolescentsOnly ? adolescents : family.children;
      const exploitation = team.kind === "complex_safeguarding";
      const startDay = afterBirths(children, today - script.journey.startDaysAgo, today);
      assignments.push({ family, team, children, startDay, script, exploitation });
      continue;
    }
    if (!rng.chance(ALLOCATED_FAMILY_RATE[size])) continue;
    const exploitation = adolescents.length > 0 && rng.chance(COMPLEX_SAFEGUARDING_RATE);
    const team = rng.pick(exploitation ? teams.complexSafeguarding : teams.familySafeguarding);
    const children = exploitation ? adolescents : family.children;
    const startDay = afterBirths(children, drawn, today);
    assignments.push({ family, team, children, startDay, script, exploitation });
    load.set(team.id, (load.get(team.id) ?? 0) + children.length);
  }
  const socialWorkersNeeded = new Map<string, number>();
  for (const team of [...teams.familySafeguarding, ...teams.complexSafeguarding]) {
    const minimum =
      team.kind === "complex_safeguarding" ? "complex_safeguarding" : "family_safeguarding";
    const needed = Math.ceil((load.get(team.id) ?? 0) / TARGET_CASELOAD);
    socialWorkersNeeded.set(team.id, Math.max(MIN_SOCIAL_WORKERS[minimum], needed));
  }
  return { assignments, socialWorkersNeeded };
}

/** An allocation cannot start before the youngest allocated child was born. */
function afterBirths(children: readonly DemoPerson[], day: number, today: number): number {
  const born = Math.max(...children.map((c) => toDay(c.dateOfBirth)));
  return Math.min(today - 1, Math.max(day, born + 1));
}

/** A family allocated today, with its worker: the journey generator opens its episode. */
export interface CaseAssignment {
  family: DemoFamily;
  children: DemoPerson[];
  worker: UserInfo;
  team: TeamInfo;
  startDay: number;
  exploitation: boolean;
  script: Scripted | undefined;
  /** Each child's allocation row, the subject of their "allocated" chronology event. */
  allocationIds: Map<string, string>;
}

export interface CaseworkRows {
  allocation: Insertable<DB["allocation"]>[];
  record_share: Insertable<DB["record_share"]>[];
  restricted_access: Insertable<DB["restricted_access"]>[];
  /** Ids of people whose record is restricted. */
  restrictedPeople: string[];
  cases: CaseAssignment[];
}

export function buildCasework(
  rng: Random,
  laId: string,
  plan: CasePlan,
  staff: Staff,
  orgs: Organisations,
  today: number,
): CaseworkRows {
  const rows: CaseworkRows = {
    allocation: [],
    record_share: [],
    restricted_access: [],
    restrictedPeople: [],
    cases: [],
  };
  const caseload = new Map<string, number>();

  const allocate = (person: DemoPerson, worker: UserInfo, team: TeamInfo, startDay: number) => {
    const id = rng.uuid();
    rows.allocation.push({
      id,
      la_id: laId,
      person_id: person.id,
      worker_id: worker.id,
      team_id: team.id,
      start_date: fromDay(startDay),
      end_date: null,
      allocated_by: staff.managerOf.get(team.id)?.id ?? null,
      end_reason: null,
    });
    return id;
  };
  const share = (
    person: DemoPerson,
    partner: Partner,
    basis: LawfulBasis,
    by: UserInfo,
    startDay: number,
  ) => {
    const day = Math.min(startDay + rng.int(1, 30), today - 1);
    rows.record_share.push({
      id: rng.uuid(),
      la_id: laId,
      person_id: person.id,
      organisation_id: orgs.partner[partner],
      lawful_basis: basis,
      purpose: PURPOSES[basis],
      shared_by: by.id,
      shared_at: workingTime(rng, day),
      expires_on: null,
      revoked_at: null,
    });
  };
  /** The least-loaded generated social worker in the team, so caseloads stay even. */
  const leastLoaded = (team: TeamInfo): UserInfo => {
    let best: UserInfo | undefined;
    for (const worker of staff.socialWorkersOf.get(team.id) ?? []) {
      if (!best || (caseload.get(worker.id) ?? 0) < (caseload.get(best.id) ?? 0)) best = worker;
    }
    if (!best) throw new Error(`no social workers in ${team.name}`);
    return best;
  };
  const fixedWorker = (key: WorkerKey, team: TeamInfo): UserInfo => {
    if (key !== "teamA_manager") return staff.fixed[key];
    const manager = staff.managerOf.get(team.id);
    if (!manager) throw new Error(`no manager for ${team.name}`);
    return manager;
  };

  for (const a of plan.assignments) {
    const { script, team, family } = a;
    const worker = script ? fixedWorker(script.worker, team) : leastLoaded(team);
    caseload.set(worker.id, (caseload.get(worker.id) ?? 0) + a.children.length);
    const allocationIds = new Map<string, string>();
    for (const child of a.children) {
      allocationIds.set(child.id, allocate(child, worker, team, a.startDay));
    }
    rows.cases.push({ ...a, worker, allocationIds });

    const main = family.adults[0];
    const specialistStart = Math.min(a.startDay + rng.int(7, 60), today - 1);
    if (main && script?.adultSpecialist) {
      allocate(main, staff.fixed.adultSpecialist, team, specialistStart);
    } else if (main && !script && !a.exploitation && rng.chance(ADULT_SPECIALIST_RATE)) {
      const specialists = staff.adultSpecialistsOf.get(team.id) ?? [];
      if (specialists.length > 0) allocate(main, rng.pick(specialists), team, specialistStart);
    }

    if (script?.restricted) {
      const manager = fixedWorker("teamA_manager", team);
      for (const child of a.children) {
        rows.restrictedPeople.push(child.id);
        rows.restricted_access.push({
          person_id: child.id,
          user_id: manager.id,
          la_id: laId,
          granted_by: manager.id,
          granted_at: workingTime(rng, a.startDay),
        });
      }
      continue;
    }

    if (script) {
      for (const [partner, basis] of script.shares ?? []) {
        for (const child of a.children) share(child, partner, basis, worker, a.startDay);
      }
    } else if (rng.chance(SHARE_RATE)) {
      const roll = rng.float();
      const partners: Partner[] =
        roll < POLICE_ONLY_SHARE
          ? ["police"]
          : roll < POLICE_ONLY_SHARE + HEALTH_ONLY_SHARE
            ? ["health"]
            : ["police", "health"];
      for (const partner of partners) {
        const basis = rng.weighted(BASES[partner]);
        for (const child of a.children) share(child, partner, basis, worker, a.startDay);
      }
    }
  }
  return rows;
}
