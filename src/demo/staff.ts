/**
 * The fictional Northmoor council's organisations, teams and staff, including the fixed demo
 * sign-ins (sign-ins.ts) that are the same in every size.
 */
import type { Insertable } from "kysely";
import type { PracticeRole } from "../domain/family-safeguarding.ts";
import type { DB, OrganisationKind, TeamKind } from "../platform/schema.ts";
import { givenName, staffNameGroup, surname } from "./names.ts";
import type { Random } from "./random.ts";
import {
  EMAIL_DOMAIN,
  FAMILY_SAFEGUARDING_SIGN_INS,
  FIXED_SIGN_INS,
  type FixedKey,
  type Role,
} from "./sign-ins.ts";

export type DemoSize = "small" | "large";

type PartnerKey =
  "police" | "health" | "primary" | "secondary" | "youthJustice" | "housing" | "womensAid";

export interface Organisations {
  rows: Insertable<DB["organisation"]>[];
  la: string;
  partner: Record<PartnerKey, string>;
}

const PARTNERS: readonly (readonly [PartnerKey, string, OrganisationKind, string])[] = [
  ["police", "Northmoor Police", "police", "Police Public Protection Unit"],
  ["health", "Northmoor NHS Foundation Trust", "health", "Health Safeguarding Team"],
  ["primary", "Moorside Primary School", "education", "Moorside Primary Safeguarding"],
  ["secondary", "Northmoor Academy", "education", "Northmoor Academy Safeguarding"],
  [
    "youthJustice",
    "Northmoor Youth Justice Service",
    "youth_justice",
    "Youth Justice Case Management",
  ],
  ["housing", "Northmoor Homes", "housing", "Housing Options"],
  ["womensAid", "Northmoor Women's Aid", "voluntary", "Women's Aid Outreach"],
];

export function buildOrganisations(rng: Random, laId: string): Organisations {
  const la = rng.uuid();
  const rows: Insertable<DB["organisation"]>[] = [
    { id: la, la_id: laId, name: "Northmoor Children's Services", kind: "la_childrens_services" },
  ];
  const partner = {} as Record<PartnerKey, string>;
  for (const [key, name, kind] of PARTNERS) {
    partner[key] = rng.uuid();
    rows.push({ id: partner[key], la_id: laId, name, kind });
  }
  return { rows, la, partner };
}

export interface TeamInfo {
  id: string;
  name: string;
  kind: TeamKind;
  locality: string | null;
  organisationId: string;
}

export interface Teams {
  all: TeamInfo[];
  frontDoor: TeamInfo;
  /** Family Safeguarding teams; [0] is Team A and [1] Team B. */
  familySafeguarding: TeamInfo[];
  /** Complex Safeguarding localities; [0] is North. */
  complexSafeguarding: TeamInfo[];
  childrenInCare: TeamInfo;
  businessSupport: TeamInfo;
  performance: TeamInfo;
  administration: TeamInfo;
  partner: Record<PartnerKey, TeamInfo>;
}

const LOCALITIES = ["North", "South", "East", "West"] as const;
/**
 * Large size: enough teams to carry thousands of allocations at realistic team sizes (about
 * 8-10 social workers each, an assumption in line with the Hertfordshire and Blackpool models).
 */
const LARGE_FAMILY_SAFEGUARDING_TEAMS = 80;

/** Team A..Z, then Team 27, 28, ... */
function teamLabel(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : String(index + 1);
}

export function buildTeams(rng: Random, orgs: Organisations, size: DemoSize): Teams {
  const all: TeamInfo[] = [];
  const team = (name: string, kind: TeamKind, locality: string | null = null, org = orgs.la) => {
    const info = { id: rng.uuid(), name, kind, locality, organisationId: org };
    all.push(info);
    return info;
  };
  const frontDoor = team("Front Door (MASH)", "front_door");
  const fsCount = size === "small" ? 2 : LARGE_FAMILY_SAFEGUARDING_TEAMS;
  // Family Safeguarding teams sit in localities too: A North, B South, C East, D West, ...
  const familySafeguarding = Array.from({ length: fsCount }, (_, i) =>
    team(
      `Family Safeguarding Team ${teamLabel(i)}`,
      "family_safeguarding",
      LOCALITIES[i % LOCALITIES.length] ?? null,
    ),
  );
  const csLocalities = size === "small" ? LOCALITIES.slice(0, 2) : LOCALITIES;
  const complexSafeguarding = csLocalities.map((locality) =>
    team(`Complex Safeguarding ${locality}`, "complex_safeguarding", locality),
  );
  const childrenInCare = team("Children in Care", "children_in_care");
  const businessSupport = team("Business Support", "business_support");
  const performance = team("Performance and Intelligence", "performance");
  const administration = team("Systems Administration", "administration");
  const partner = {} as Record<PartnerKey, TeamInfo>;
  for (const [key, , , teamName] of PARTNERS) {
    partner[key] = team(teamName, "partner", null, orgs.partner[key]);
  }
  return {
    all,
    frontDoor,
    familySafeguarding,
    complexSafeguarding,
    childrenInCare,
    businessSupport,
    performance,
    administration,
    partner,
  };
}

export function teamRows(laId: string, teams: Teams): Insertable<DB["team"]>[] {
  return teams.all.map((t) => ({
    id: t.id,
    la_id: laId,
    organisation_id: t.organisationId,
    name: t.name,
    kind: t.kind,
    locality: t.locality,
  }));
}

export interface UserInfo {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  jobTitle: string;
  team: TeamInfo;
  /** Their role in a Family Safeguarding team (team_member.practice_role); null elsewhere. */
  practiceRole: PracticeRole | null;
}

export interface Staff {
  users: UserInfo[];
  fixed: Record<FixedKey, UserInfo>;
  managerOf: Map<string, UserInfo>;
  /** Generated social workers per team, to share out the caseload (fixed users excluded). */
  socialWorkersOf: Map<string, UserInfo[]>;
  adultSpecialistsOf: Map<string, UserInfo[]>;
  frontDoorWorkers: UserInfo[];
}

/**
 * ASSUMPTION: in each Family Safeguarding team, one of each adult specialist discipline, as in
 * Blackpool's team composition (the domestic abuse officer works with the person who harms).
 */
const ADULT_SPECIALISTS = [
  "Domestic abuse practitioner",
  "Recovery worker (substance misuse)",
  "Mental health practitioner",
  "Domestic abuse officer",
] as const;

/** Job titles in a Family Safeguarding team and the practice role each holds there. */
const PRACTICE_ROLE_OF_TITLE: Readonly<Record<string, PracticeRole>> = {
  "Domestic abuse practitioner": "domestic_abuse_practitioner",
  "Recovery worker (substance misuse)": "recovery_worker",
  "Mental health practitioner": "mental_health_practitioner",
  "Domestic abuse officer": "domestic_abuse_officer",
  "Child and family practitioner": "family_practitioner",
  "Senior social worker": "senior_social_worker",
};

/** ASSUMPTION: one child and family practitioner for every four social workers, at least one. */
const SOCIAL_WORKERS_PER_FAMILY_PRACTITIONER = 4;

/** A Family Safeguarding team member's practice role, from their account role and job title. */
function practiceRoleIn(team: TeamInfo, role: Role, jobTitle: string): PracticeRole | null {
  if (team.kind !== "family_safeguarding") return null;
  const byTitle = PRACTICE_ROLE_OF_TITLE[jobTitle];
  if (byTitle) return byTitle;
  if (role === "social_worker" || role === "team_manager" || role === "business_support") {
    return role;
  }
  throw new Error(`no practice role for ${jobTitle} in ${team.name}`);
}

/**
 * All staff. `socialWorkersNeeded` says how many generated social workers each casework team
 * needs to carry its allocations (see casework.ts); other teams get a fixed complement.
 * Every LA casework team gets one team_manager; business support, performance and
 * administration are led by a manager with their own role, and partner teams (outside the
 * council) have no team_manager.
 */
export function buildStaff(
  rng: Random,
  teams: Teams,
  size: DemoSize,
  socialWorkersNeeded: ReadonlyMap<string, number>,
): Staff {
  const users: UserInfo[] = [];
  const emails = new Set<string>();
  const managerOf = new Map<string, UserInfo>();
  const socialWorkersOf = new Map<string, UserInfo[]>();
  const adultSpecialistsOf = new Map<string, UserInfo[]>();
  const add = (user: Omit<UserInfo, "id" | "practiceRole">): UserInfo => {
    const practiceRole = practiceRoleIn(user.team, user.role, user.jobTitle);
    const full = { id: rng.uuid(), ...user, practiceRole };
    users.push(full);
    emails.add(full.email);
    if (full.role === "team_manager") managerOf.set(full.team.id, full);
    // A domestic abuse officer works with the person who harms, never holds the main carer.
    if (full.role === "adult_specialist" && practiceRole !== "domestic_abuse_officer") {
      push(adultSpecialistsOf, full.team.id, full);
    }
    return full;
  };
  const generated = (team: TeamInfo, role: Role, jobTitle: string): UserInfo => {
    const group = staffNameGroup(rng);
    const given = givenName(rng, group, rng.chance(0.75) ? "2" : "1");
    const family = surname(rng, group);
    const base = `${given}.${family}`.toLowerCase().replace(/[^a-z.-]/g, "");
    let email = `${base}@${EMAIL_DOMAIN}`;
    for (let n = 2; emails.has(email); n++) email = `${base}${n}@${EMAIL_DOMAIN}`;
    return add({ email, displayName: `${given} ${family}`, role, jobTitle, team });
  };

  const fixed = {} as Record<FixedKey, UserInfo>;
  for (const signIn of [...FIXED_SIGN_INS, ...FAMILY_SAFEGUARDING_SIGN_INS]) {
    const team = teams.all.find((t) => t.name === signIn.team);
    if (!team) throw new Error(`no team ${signIn.team} for ${signIn.email}`);
    const { email, displayName, role, jobTitle } = signIn;
    fixed[signIn.key] = add({ email, displayName, role, jobTitle, team });
  }

  const large = size === "large";
  const socialWorkers = (team: TeamInfo, jobTitle: string) => {
    const list: UserInfo[] = [];
    for (let i = 0; i < (socialWorkersNeeded.get(team.id) ?? 0); i++) {
      // Every team of two or more has a senior (Blackpool: a small caseload, and oversight).
      const title = i % 4 === 1 ? `Senior ${jobTitle.toLowerCase()}` : jobTitle;
      list.push(generated(team, "social_worker", title));
    }
    socialWorkersOf.set(team.id, list);
  };

  generated(teams.frontDoor, "team_manager", "Team manager");
  const frontDoorWorkers: UserInfo[] = [];
  for (let i = 0; i < (large ? 12 : 3); i++) {
    frontDoorWorkers.push(generated(teams.frontDoor, "social_worker", "MASH social worker"));
  }
  // Team A's fixed adult specialists stand in for its generated ones.
  const fixedInTeamA = new Set(
    Object.values(fixed)
      .filter((u) => u.role === "adult_specialist" && u.team === teams.familySafeguarding[0])
      .map((u) => u.jobTitle),
  );
  teams.familySafeguarding.forEach((team, index) => {
    if (index !== 0) generated(team, "team_manager", "Team manager");
    socialWorkers(team, "Social worker");
    const workers = socialWorkersNeeded.get(team.id) ?? 0;
    const practitioners = Math.max(1, Math.round(workers / SOCIAL_WORKERS_PER_FAMILY_PRACTITIONER));
    for (let i = 0; i < practitioners; i++) {
      generated(team, "social_worker", "Child and family practitioner");
    }
    for (const title of ADULT_SPECIALISTS) {
      if (index === 0 && fixedInTeamA.has(title)) continue;
      generated(team, "adult_specialist", title);
    }
    if (index !== 0) generated(team, "business_support", "Business support officer");
  });
  for (const team of teams.complexSafeguarding) {
    generated(team, "team_manager", "Team manager");
    socialWorkers(team, "Exploitation social worker");
  }
  generated(teams.childrenInCare, "team_manager", "Team manager");
  for (let i = 0; i < (large ? 10 : 3); i++) {
    generated(teams.childrenInCare, "social_worker", "Social worker");
  }
  generated(teams.businessSupport, "business_support", "Business support manager");
  for (let i = 0; i < (large ? 6 : 2); i++) {
    generated(teams.businessSupport, "business_support", "Business support officer");
  }
  generated(teams.performance, "performance_analyst", "Head of performance");
  generated(teams.performance, "performance_officer", "Performance officer");
  generated(teams.administration, "system_admin", "Systems administrator");

  const partnerTitles: Record<PartnerKey, string> = {
    police: "Detective constable",
    health: "Named nurse for safeguarding",
    primary: "Designated safeguarding lead",
    secondary: "Designated safeguarding lead",
    youthJustice: "Youth justice officer",
    housing: "Housing officer",
    womensAid: "Independent domestic violence adviser",
  };
  for (const key of Object.keys(partnerTitles) as PartnerKey[]) {
    for (let i = 0; i < (large ? 4 : 1); i++) {
      generated(teams.partner[key], "partner_practitioner", partnerTitles[key]);
    }
  }

  return {
    users,
    fixed,
    managerOf,
    socialWorkersOf,
    adultSpecialistsOf,
    frontDoorWorkers,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function userRows(
  laId: string,
  staff: Staff,
  passwordHash: string,
): { users: Insertable<DB["app_user"]>[]; members: Insertable<DB["team_member"]>[] } {
  return {
    users: staff.users.map((u) => ({
      id: u.id,
      la_id: laId,
      organisation_id: u.team.organisationId,
      email: u.email,
      display_name: u.displayName,
      role: u.role,
      job_title: u.jobTitle,
      password_hash: passwordHash,
      // Team A's manager is the demo's head of service, who reviews emergency access.
      head_of_service: u.id === staff.fixed.teamManager.id,
    })),
    members: staff.users.map((u) => ({
      team_id: u.team.id,
      user_id: u.id,
      practice_role: u.practiceRole,
    })),
  };
}
