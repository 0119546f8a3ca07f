/**
 * The statutory journeys of the demo LA's children (decision 0010): ten years of contacts,
 * referrals, assessments, child protection, child in need and early help, care, missing
 * episodes, visits, notes and allocation history, and the chronology that tells the same
 * story. Deterministic from the seed through its own stream ("journeys"), so adding journeys
 * reshuffles nothing else. Rates and their sources are in journeys-rates.ts.
 *
 * Every family in the foundation demo gets its history; a family allocated today gets the
 * open episode that matches its allocation. The large LA then adds historic families (many of
 * the children now adults, their cases closed) until it holds `minReferrals` referrals.
 */
import { sql } from "kysely";
import type { Db } from "../platform/database.ts";
import { shareChronology } from "./chronology.ts";
import type { CaseAssignment } from "./casework.ts";
import type { FamilyBuilder, FamilyRows } from "./families.ts";
import { WorkingCalendar } from "./journeys-calendar.ts";
import { contact, linkContact } from "./journeys-front-door.ts";
import { familyJourney } from "./journeys-family.ts";
import { HISTORY_YEARS, UNDECIDED_CONTACTS_PER_1000_FAMILIES } from "./journeys-rates.ts";
import type { RowSink, SinkTable } from "./journeys-sink.ts";
import { kidOf, makeWorld, type JourneyWorld } from "./journeys-world.ts";
import { Random, yearsBefore } from "./random.ts";
import type { Organisations, Staff, Teams } from "./staff.ts";
import type { Insertable } from "kysely";
import type { DB } from "../platform/schema.ts";

export interface JourneyInput {
  seed: number;
  laId: string;
  today: number;
  sink: RowSink;
  orgs: Organisations;
  teams: Teams;
  staff: Staff;
  /** The foundation's families, in order. */
  families: FamilyBuilder["families"];
  cases: readonly CaseAssignment[];
  shares: readonly Insertable<DB["record_share"]>[];
  /** Large: add historic families through the builder until there are this many referrals. */
  historic?: { builder: FamilyBuilder; minReferrals: number };
}

export interface JourneyCounts {
  historicFamilies: number;
  historicPeople: number;
  /** Allocations that ended: earlier workers, and closed cases. */
  endedAllocations: number;
  contacts: number;
  referrals: number;
  chronologyEntries: number;
}

/** Historic families: children from 8 to 27 today, so they were children in the window. */
const HISTORIC_SHAPE = { eldestMin: 8, eldestMax: 27 } as const;

const FAMILY_TABLES = [
  "address",
  "person",
  "person_address",
  "family",
  "family_member",
  "relationship",
] as const satisfies readonly (keyof FamilyRows & SinkTable)[];

export function journeyWorld(input: JourneyInput): JourneyWorld {
  const windowStart = yearsBefore(input.today, HISTORY_YEARS);
  // Room either side: births before the window, and due dates beyond today.
  const cal = new WorkingCalendar(windowStart - 400, input.today + 400);
  return makeWorld({
    rng: new Random(input.seed, "journeys"),
    laId: input.laId,
    today: input.today,
    windowStart,
    cal,
    sink: input.sink,
    orgs: input.orgs,
    teams: input.teams,
    staff: input.staff,
  });
}

export async function generateJourneys(input: JourneyInput): Promise<JourneyCounts> {
  const w = journeyWorld(input);
  const { sink } = input;
  // The sink may already hold the foundation's people and allocations.
  const before = { people: sink.count("person"), allocations: sink.count("allocation") };
  const byFamily = new Map(input.cases.map((c) => [c.family.id, c]));
  for (const family of input.families) {
    const found = byFamily.get(family.id);
    const c = found && found.children.length > 0 ? found : undefined;
    familyJourney(
      w,
      family,
      c && {
        children: c.children.map(kidOf),
        start: c.startDay,
        worker: c.worker,
        team: c.team,
        exploitation: c.exploitation,
        script: c.script?.journey,
        allocationIds: c.allocationIds,
      },
    );
    await sink.maybeFlush();
  }
  shareChronology(w, input.shares);
  undecidedContacts(w, input);

  let historicFamilies = 0;
  if (input.historic) {
    const { builder, minReferrals } = input.historic;
    // Rows already in the builder were written with the foundation; stream only new ones.
    const written = new Map(FAMILY_TABLES.map((t) => [t, builder.rows[t].length]));
    while (sink.count("referral") < minReferrals) {
      const family = builder.add(HISTORIC_SHAPE);
      for (const table of FAMILY_TABLES) {
        const rows = builder.rows[table];
        const from = written.get(table) ?? 0;
        for (let i = from; i < rows.length; i++) {
          const row = rows[i];
          if (row) sink.push(table, row);
        }
        rows.length = from;
      }
      historicFamilies++;
      familyJourney(w, family, undefined, { historic: true });
      await sink.maybeFlush();
    }
  }
  await sink.flush();
  return {
    historicFamilies,
    historicPeople: sink.count("person") - before.people,
    endedAllocations: sink.count("allocation") - before.allocations,
    contacts: sink.count("contact"),
    referrals: sink.count("referral"),
    chronologyEntries: sink.count("chronology_entry"),
  };
}

/** Contacts waiting for a decision today: a few new ones, one from yesterday, one overdue. */
function undecidedContacts(w: JourneyWorld, input: JourneyInput): void {
  const { rng, cal, today } = w;
  const allocated = new Set(input.cases.map((c) => c.family.id));
  const candidates = input.families.filter(
    (f) => !allocated.has(f.id) && f.children.some((c) => c.age < 17),
  );
  const count = Math.max(
    3,
    Math.round((input.families.length / 1000) * UNDECIDED_CONTACTS_PER_1000_FAMILIES),
  );
  const days = [cal.subtract(today, 3), cal.subtract(today, 1)];
  for (let i = 0; i < count && candidates.length > 0; i++) {
    const family = rng.pick(candidates);
    const kids = family.children.filter((c) => c.age < 17).map(kidOf);
    const day = days[i] ?? today;
    const info = {
      family,
      carer: family.adults[0]?.role === "father" ? ("dad" as const) : ("mum" as const),
      recorded: new Set(kids.map((k) => k.id)),
    };
    const c = contact(w, info, kids, day, { decision: null });
    linkContact(w, c, kids);
  }
  // New worries about a child already open to the fixed social worker: waiting too.
  const open = input.cases.find(
    (c) => c.script?.journey.status === "cin" && c.script.worker === "socialWorker",
  );
  const kid = open?.children[0];
  if (open && kid) {
    const info = { family: open.family, carer: "mum" as const, recorded: new Set([kid.id]) };
    const c = contact(w, info, [kidOf(kid)], today, { decision: null, source: "2A" });
    linkContact(w, c, [kidOf(kid)]);
  }
}

/** The child with the most chronology entries, and the worker allocated to them now. */
export async function longHistoryChild(
  db: Db,
): Promise<{ personId: string; entries: number; workerId: string; workerEmail: string }> {
  const row = await sql<{ person_id: string; entries: number; worker_id: string; email: string }>`
    select c.person_id, c.entries, a.worker_id, u.email
    from (select person_id, count(*)::int as entries from chronology_entry
          group by person_id order by count(*) desc, person_id limit 20) c
    join allocation a on a.person_id = c.person_id and a.end_date is null
    join app_user u on u.id = a.worker_id and u.role = 'social_worker'
    order by c.entries desc, c.person_id limit 1`.execute(db);
  const found = row.rows[0];
  if (!found) throw new Error("no allocated child with a chronology in the demo");
  return {
    personId: found.person_id,
    entries: found.entries,
    workerId: found.worker_id,
    workerEmail: found.email,
  };
}
