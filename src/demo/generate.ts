/**
 * Deterministic synthetic demo data for a fictional local authority, Northmoor (LA code 999).
 * Everything is invented: names are drawn at random from common-name lists, NHS numbers are in
 * the 999 test range, addresses are on invented streets in the fictional "NM" postcode area.
 * The same seed, size and `today` always give identical data, ids included.
 */
import { seedDemoChildPopulation } from "./child-population.ts";
import { buildPartnerReferrals } from "./partner-referrals.ts";
import type { InsertObject, Kysely, Transaction } from "kysely";
import type { DB } from "../platform/schema.ts";
import { buildCasework, planCasework, SCRIPTED } from "./casework.ts";
import { familyBuilder, type FamilyRows } from "./families.ts";
import {
  buildFamilySafeguarding,
  FAMILY_SAFEGUARDING_TABLES,
  type FamilySafeguardingResult,
} from "./family-safeguarding.ts";
import { buildExploitation, EXPLOITATION_TABLES, type ExploitationResult } from "./exploitation.ts";
import { Random, toDay } from "./random.ts";
import { generateJourneys, type JourneyInput } from "./journeys.ts";
import { DatabaseSink, type RowSink } from "./journeys-sink.ts";
import { writeDemoWork } from "./work-items.ts";
import { writeDemoCensusDetails } from "./census.ts";
import {
  FAMILY_SAFEGUARDING_SIGN_INS,
  FIXED_SIGN_INS,
  type DemoSignIn,
  type FixedSignIn,
} from "./sign-ins.ts";
import { buildOrganisations, buildStaff, buildTeams, teamRows, userRows } from "./staff.ts";

export interface DemoOptions {
  size: "small" | "large";
  seed: number;
  /** Hash stored for every demo user; the password is `demoPassword`. */
  passwordHash: string;
  /** 'YYYY-MM-DD': the day the data is "as at". Nobody is born on or after it. */
  today: string;
}

export type { DemoSignIn } from "./sign-ins.ts";

export interface DemoSummary {
  laId: string;
  /** Every named sign-in, Team A's other adult specialists last. */
  signIns: DemoSignIn[];
  counts: {
    people: number;
    children: number;
    families: number;
    users: number;
    allocations: number;
    shares: number;
    contacts: number;
    referrals: number;
    chronologyEntries: number;
    workbooks: number;
    measureResults: number;
    groupSupervisions: number;
    peerGroups: number;
    associations: number;
    personsOfConcern: number;
    screenings: number;
  };
}

/** The shared password of every demo user, printed at start-up. */
export const demoPassword = "Trellis-demo-2026";

export const DEMO_LA_CODE = "999";
export const DEMO_LA_NAME = "Northmoor (fictional) Council";

/** Small: about 40 families (~150 people), enough to click around. */
const SMALL_FAMILIES = 40;
/**
 * Large: families of at least this many people (~28,000 families) hold today's caseload; the
 * historic families added for the referrals below bring it to about 300,000 people.
 */
const LARGE_MIN_PEOPLE = 100_000;
/**
 * Large: ten years of history holding at least this many referrals (the benchmark
 * LA), made up with historic families, many of their children now adults.
 */
const LARGE_MIN_REFERRALS = 200_000;
const SIZES: readonly string[] = ["small", "large"];
/** PostgreSQL allows 65,535 bind parameters a statement; stay well under it. */
const MAX_PARAMETERS_PER_STATEMENT = 30_000;

export async function hasDemoData(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom("local_authority").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Overrides for tests: a mid-size LA built in memory. */
export interface DemoScale {
  /** Families in the foundation (instead of the size's own rule). */
  families?: number;
  /** Large only: referrals to reach with historic families. */
  minReferrals?: number;
}

/** Everything of the demo except the journeys: pure, no database. */
export function buildFoundation(options: DemoOptions, scale: DemoScale = {}) {
  const { size, seed } = options;
  if (!SIZES.includes(size)) throw new Error(`unknown demo size: ${size}`);
  if (!Number.isSafeInteger(seed)) throw new Error("the demo seed must be an integer");
  const today = toDay(options.today);

  // Independent streams, so adding staff does not reshuffle the families and vice versa.
  const orgRng = new Random(seed, "organisations");
  const laId = orgRng.uuid();
  const orgs = buildOrganisations(orgRng, laId);
  const teams = buildTeams(orgRng, orgs, size);

  const builder = familyBuilder(new Random(seed, "families"), laId, DEMO_LA_CODE, today);
  const caseRng = new Random(seed, "casework");
  for (const script of SCRIPTED) builder.add(script.shape);
  if (scale.families !== undefined) {
    while (builder.families.length < scale.families) builder.add();
  } else if (size === "small") {
    while (builder.families.length < SMALL_FAMILIES) builder.add();
  } else {
    while (builder.rows.person.length < LARGE_MIN_PEOPLE) builder.add();
  }
  const plan = planCasework(caseRng, builder.families, teams, size, today);
  const staff = buildStaff(new Random(seed, "staff"), teams, size, plan.socialWorkersNeeded);
  const casework = buildCasework(caseRng, laId, plan, staff, orgs, today);

  const restricted = new Set(casework.restrictedPeople);
  for (const person of builder.rows.person) {
    if (person.id !== undefined && restricted.has(person.id)) person.restricted = true;
  }
  return { laId, today, orgs, teams, builder, staff, casework };
}

type Foundation = ReturnType<typeof buildFoundation>;

/** What the journey generator needs from the foundation, writing to `sink`. */
export function journeyInput(
  foundation: Foundation,
  options: DemoOptions,
  sink: RowSink,
  scale: DemoScale = {},
): JourneyInput {
  const { laId, today, orgs, teams, staff, casework, builder } = foundation;
  const minReferrals = scale.minReferrals ?? LARGE_MIN_REFERRALS;
  return {
    seed: options.seed,
    laId,
    today,
    sink,
    orgs,
    teams,
    staff,
    families: [...builder.families],
    cases: casework.cases,
    shares: casework.record_share,
    ...(options.size === "large" ? { historic: { builder, minReferrals } } : {}),
  };
}

/** Family Safeguarding's Workbooks and the work around them, from the foundation. */
export function familySafeguarding(
  foundation: Foundation,
  options: DemoOptions,
): FamilySafeguardingResult {
  const { laId, today, orgs, teams, staff, casework } = foundation;
  return buildFamilySafeguarding({
    seed: options.seed,
    laId,
    today,
    size: options.size,
    orgs,
    teams,
    staff,
    cases: casework.cases,
    allocations: casework.allocation,
  });
}

/** The exploitation network around Complex Safeguarding's young people, from the foundation. */
export function exploitation(foundation: Foundation, options: DemoOptions): ExploitationResult {
  const { laId, today, orgs, teams, staff, casework, builder } = foundation;
  return buildExploitation({
    seed: options.seed,
    laId,
    today,
    size: options.size,
    orgs,
    teams,
    staff,
    families: [...builder.families],
    cases: casework.cases,
    restricted: new Set(casework.restrictedPeople),
  });
}

const PARTNER_REFERRAL_TABLES = [
  "contact",
  "partner_referral",
  "contact_child",
  "chronology_entry",
] as const;

/** Partner referrals to show at the front door and to the referrers (decision 0025). */
function demoPartnerReferrals(foundation: Foundation, options: DemoOptions) {
  const familyNames = new Map(
    foundation.builder.rows.person.map((p) => [p.id ?? "", p.family_name]),
  );
  return buildPartnerReferrals({
    seed: options.seed,
    laId: foundation.laId,
    today: foundation.today,
    staff: foundation.staff,
    families: foundation.builder.families,
    familyNameOf: (id) => familyNames.get(id) ?? "",
  });
}

export async function generateDemo(db: Kysely<DB>, options: DemoOptions): Promise<DemoSummary> {
  const foundation = buildFoundation(options);
  const { laId, orgs, teams, builder, staff, casework } = foundation;
  const staffRows = userRows(laId, staff, options.passwordHash);
  const foundationPeople = builder.rows.person.length;
  const family = familySafeguarding(foundation, options);
  // Before the journeys add historic families to the builder: today's adolescents only.
  const network = exploitation(foundation, options);
  const partnerReferrals = demoPartnerReferrals(foundation, options);
  const journeys = await db.transaction().execute(async (tx) => {
    await insertAll(tx, "local_authority", [{ id: laId, code: DEMO_LA_CODE, name: DEMO_LA_NAME }]);
    await insertAll(tx, "organisation", orgs.rows);
    await insertAll(tx, "team", teamRows(laId, teams));
    await insertAll(tx, "app_user", staffRows.users);
    await insertAll(tx, "team_member", staffRows.members);
    // The families go through the journeys' bulk writer too: far quicker for the large LA.
    const sink = await DatabaseSink.open(tx, { skipForeignKeyChecks: options.size === "large" });
    const tables = Object.keys(builder.rows) as (keyof FamilyRows)[];
    for (const table of tables) {
      for (const row of builder.rows[table]) sink.push(table, row);
      // Written; from here the builder only holds the rows of families still to come.
      builder.rows[table].length = 0;
    }
    for (const row of casework.allocation) sink.push("allocation", row);
    await sink.flush();
    await insertAll(tx, "record_share", casework.record_share);
    await insertAll(tx, "restricted_access", casework.restricted_access);
    const counts = await generateJourneys(journeyInput(foundation, options, sink));
    for (const row of family.rows.allocation) sink.push("allocation", row);
    for (const row of family.rows.chronology_entry) sink.push("chronology_entry", row);
    for (const row of network.rows.chronology_entry) sink.push("chronology_entry", row);
    await sink.close();
    for (const table of FAMILY_SAFEGUARDING_TABLES) await insertAll(tx, table, family.rows[table]);
    for (const table of EXPLOITATION_TABLES) await insertAll(tx, table, network.rows[table]);
    for (const table of PARTNER_REFERRAL_TABLES) {
      await insertAll(tx, table, partnerReferrals[table]);
    }
    await writeDemoWork(tx, {
      laId,
      teamId: staff.fixed.teamManager.team.id,
      socialWorkerId: staff.fixed.socialWorker.id,
      teamManagerId: staff.fixed.teamManager.id,
      today: options.today,
    });
    await writeDemoCensusDetails(tx, laId, options.today);
    await seedDemoChildPopulation(tx, laId, options.today);
    return counts;
  });
  const signIn = ({ key, whatTheySee }: FixedSignIn): DemoSignIn => {
    const user = staff.fixed[key];
    const { email, role, displayName, jobTitle } = user;
    return { email, role, displayName, jobTitle, team: user.team.name, whatTheySee };
  };

  return {
    laId,
    signIns: [...FIXED_SIGN_INS, ...FAMILY_SAFEGUARDING_SIGN_INS].map(signIn),
    counts: {
      people: foundationPeople + journeys.historicPeople,
      children: builder.families.reduce((n, f) => n + f.children.length, 0),
      families: builder.families.length,
      users: staff.users.length,
      allocations:
        casework.allocation.length + journeys.endedAllocations + family.rows.allocation.length,
      shares: casework.record_share.length,
      contacts: journeys.contacts,
      referrals: journeys.referrals,
      chronologyEntries:
        journeys.chronologyEntries +
        family.rows.chronology_entry.length +
        network.rows.chronology_entry.length +
        partnerReferrals.chronology_entry.length,
      ...family.counts,
      ...network.counts,
    },
  };
}

/** Multi-row inserts, each statement kept under MAX_PARAMETERS_PER_STATEMENT parameters. */
async function insertAll<T extends keyof DB>(
  tx: Transaction<DB>,
  table: T,
  rows: readonly InsertObject<DB, T>[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first).length;
  const batch = Math.max(1, Math.floor(MAX_PARAMETERS_PER_STATEMENT / columns));
  for (let i = 0; i < rows.length; i += batch) {
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + batch))
      .execute();
  }
}
