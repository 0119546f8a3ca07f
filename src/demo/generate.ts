/**
 * Deterministic synthetic demo data for a fictional local authority, Northmoor (LA code 999).
 * Everything is invented: names are drawn at random from common-name lists, NHS numbers are in
 * the 999 test range, addresses are on invented streets in the fictional "NM" postcode area.
 * The same seed, size and `today` always give identical data, ids included.
 */
import type { InsertObject, Kysely, Transaction } from "kysely";
import type { DB } from "../platform/schema.ts";
import { buildCasework, planCasework, SCRIPTED } from "./casework.ts";
import { familyBuilder } from "./families.ts";
import { Random, toDay } from "./random.ts";
import { FIXED_SIGN_INS, type DemoSignIn } from "./sign-ins.ts";
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
  signIns: DemoSignIn[];
  counts: {
    people: number;
    children: number;
    families: number;
    users: number;
    allocations: number;
    shares: number;
  };
}

/** The shared password of every demo user, printed at start-up. */
export const demoPassword = "Trellis-demo-2026";

export const DEMO_LA_CODE = "999";
export const DEMO_LA_NAME = "Northmoor (fictional) Council";

/** Small: about 40 families (~150 people), enough to click around. */
const SMALL_FAMILIES = 40;
/** Large: at least this many people (~28,000 families), for volume and performance testing. */
const LARGE_MIN_PEOPLE = 100_000;
const SIZES: readonly string[] = ["small", "large"];
/** PostgreSQL allows 65,535 bind parameters a statement; stay well under it. */
const MAX_PARAMETERS_PER_STATEMENT = 30_000;

export async function hasDemoData(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom("local_authority").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function generateDemo(db: Kysely<DB>, options: DemoOptions): Promise<DemoSummary> {
  const { size, seed, passwordHash } = options;
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
  if (size === "small") {
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
  const staffRows = userRows(laId, staff, passwordHash);

  await db.transaction().execute(async (tx) => {
    await insertAll(tx, "local_authority", [{ id: laId, code: DEMO_LA_CODE, name: DEMO_LA_NAME }]);
    await insertAll(tx, "organisation", orgs.rows);
    await insertAll(tx, "team", teamRows(laId, teams));
    await insertAll(tx, "app_user", staffRows.users);
    await insertAll(tx, "team_member", staffRows.members);
    await insertAll(tx, "person", builder.rows.person);
    await insertAll(tx, "address", builder.rows.address);
    await insertAll(tx, "person_address", builder.rows.person_address);
    await insertAll(tx, "family", builder.rows.family);
    await insertAll(tx, "family_member", builder.rows.family_member);
    await insertAll(tx, "relationship", builder.rows.relationship);
    await insertAll(tx, "allocation", casework.allocation);
    await insertAll(tx, "record_share", casework.record_share);
    await insertAll(tx, "restricted_access", casework.restricted_access);
    await insertAll(tx, "chronology_entry", casework.chronology_entry);
  });

  return {
    laId,
    signIns: FIXED_SIGN_INS.map(({ key, whatTheySee }): DemoSignIn => {
      const user = staff.fixed[key];
      const { email, role, displayName, jobTitle } = user;
      return { email, role, displayName, jobTitle, team: user.team.name, whatTheySee };
    }),
    counts: {
      people: builder.rows.person.length,
      children: builder.families.reduce((n, f) => n + f.children.length, 0),
      families: builder.families.length,
      users: staff.users.length,
      allocations: casework.allocation.length,
      shares: casework.record_share.length,
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
