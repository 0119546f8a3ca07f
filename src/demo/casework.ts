/**
 * Who works with which family: allocations, record shares with partners, the restricted child
 * and chronology. The first families are scripted so that every fixed demo sign-in sees the
 * same kind of caseload in every size; the rest are allocated at random.
 */
import type { Insertable } from "kysely";
import type { DB } from "../platform/schema.ts";
import { addChronology, workingTime } from "./chronology.ts";
import type { DemoFamily, DemoPerson, FamilyShape } from "./families.ts";
import { fromDay, type Random } from "./random.ts";
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
}

const teamA = (t: Teams) => t.familySafeguarding[0] ?? t.frontDoor;
const teamB = (t: Teams) => t.familySafeguarding[1] ?? t.frontDoor;
const north = (t: Teams) => t.complexSafeguarding[0] ?? t.frontDoor;

/** The first families, the same shape in every size. */
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
  },
  {
    shape: { household: "step_parent", children: 2 },
    team: teamA,
    worker: "socialWorker",
    adultSpecialist: true,
    shares: [["health", "consent"]],
  },
  { shape: { children: 2 }, team: teamA, worker: "socialWorker" },
  { shape: { children: 2 }, team: teamA, worker: "socialWorker" },
  // The restricted child. Their mother works for Northmoor children's services, so the record
  // is restricted to stop colleagues browsing it (a common reason for restriction in practice).
  // The Team A manager holds the case and is the only person granted access.
  {
    shape: { household: "single_mother", children: 1, eldestMin: 6, eldestMax: 10 },
    team: teamA,
    worker: "teamA_manager",
    restricted: true,
  },
  { shape: {}, team: teamB, worker: "otherSocialWorker", shares: [["police", "ca1989_s47"]] },
  { shape: {}, team: teamB, worker: "otherSocialWorker" },
  { shape: {}, team: teamB, worker: "otherSocialWorker" },
  {
    shape: { children: 2, eldestMin: 14, eldestMax: 16 },
    team: north,
    worker: "exploitationWorker",
    adolescentsOnly: true,
    shares: [["police", "ca2004_s11"]],
  },
  {
    shape: { children: 1, eldestMin: 13, eldestMax: 15 },
    team: north,
    worker: "exploitationWorker",
    adolescentsOnly: true,
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
    const startDay = today - rng.int(14, MAX_ALLOCATION_AGE_DAYS);
    const adolescents = family.children.filter((c) => c.age >= ADOLESCENT_AGE);
    if (script) {
      const team = script.team(teams);
      const children = script.adolescentsOnly ? adolescents : family.children;
      const exploitation = team.kind === "complex_safeguarding";
      assignments.push({ family, team, children, startDay, script, exploitation });
      continue;
    }
    if (!rng.chance(ALLOCATED_FAMILY_RATE[size])) continue;
    const exploitation = adolescents.length > 0 && rng.chance(COMPLEX_SAFEGUARDING_RATE);
    const team = rng.pick(exploitation ? teams.complexSafeguarding : teams.familySafeguarding);
    const children = exploitation ? adolescents : family.children;
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

export interface CaseworkRows {
  allocation: Insertable<DB["allocation"]>[];
  record_share: Insertable<DB["record_share"]>[];
  restricted_access: Insertable<DB["restricted_access"]>[];
  chronology_entry: Insertable<DB["chronology_entry"]>[];
  /** Ids of people whose record is restricted. */
  restrictedPeople: string[];
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
    chronology_entry: [],
    restrictedPeople: [],
  };
  const chronology = {
    rng,
    laId,
    today,
    orgs,
    frontDoorWorkers: staff.frontDoorWorkers,
    rows: rows.chronology_entry,
  };
  const caseload = new Map<string, number>();

  const allocate = (person: DemoPerson, worker: UserInfo, team: TeamInfo, startDay: number) => {
    rows.allocation.push({
      id: rng.uuid(),
      la_id: laId,
      person_id: person.id,
      worker_id: worker.id,
      team_id: team.id,
      start_date: fromDay(startDay),
      end_date: null,
    });
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
    const carer = family.adults[0]?.role === "father" ? "dad" : "mum";
    for (const child of a.children) {
      allocate(child, worker, team, a.startDay);
      addChronology(chronology, child, worker, a.startDay, a.exploitation, carer);
    }

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
