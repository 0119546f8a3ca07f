import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import {
  allocatableToTeam,
  allocationOpen,
  managedAllocation,
  managedTeam,
} from "../../access/caseloads.ts";
import { personVisible } from "../../access/visibility.ts";
import { isChildOn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";

/** A child (or adult) on a worker's caseload, as the manager may see them. */
export interface CaseloadPerson {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  allocatedSince: string;
}

export interface CaseloadWorker {
  id: string;
  name: string;
  role: string;
  jobTitle: string;
  /** Their role in the team (Family Safeguarding's practice roles), if recorded. */
  practiceRole: string | null;
  /** False for a worker who still holds allocations in the team but has left it. */
  member: boolean;
  active: boolean;
  children: number;
  total: number;
  /** The people the manager may see, by family name; restricted records are counted only. */
  people: CaseloadPerson[];
  hidden: number;
}

export interface TeamCaseload {
  id: string;
  name: string;
  workers: CaseloadWorker[];
}

/**
 * The caseloads of the teams the actor manages, in two statements whatever the team sizes:
 * the teams with their members, then every open allocation within those teams with its
 * person. A restricted record the manager is not named on is counted but never named.
 */
export async function teamCaseloads(
  db: Db,
  actor: Actor,
  now: Date,
  today: string,
): Promise<TeamCaseload[]> {
  const members = await db
    .selectFrom("team as t")
    .leftJoin("team_member as tm", "tm.team_id", "t.id")
    .leftJoin("app_user as u", "u.id", "tm.user_id")
    .select([
      "t.id as team_id",
      "t.name as team_name",
      "u.id as user_id",
      "u.display_name",
      "u.role",
      "u.job_title",
      "u.active",
      "tm.practice_role",
    ])
    .where(managedTeam(actor, "t"))
    .orderBy("t.name")
    .orderBy("u.display_name")
    .execute();

  const allocations = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("allocation as a")
        .innerJoin("person as p", "p.id", "a.person_id")
        .innerJoin("app_user as u", "u.id", "a.worker_id")
        .select([
          "a.team_id",
          "a.worker_id",
          "a.start_date",
          "u.display_name",
          "u.role",
          "u.job_title",
          "u.active",
          "p.id as person_id",
          "p.given_name",
          "p.family_name",
          "p.date_of_birth",
          personVisible(actor, now, "p").as("visible"),
        ])
        .where(managedAllocation(actor, "a"))
        .where(allocationOpen("a", today))
        .as("x"),
    )
    .select([
      "x.team_id",
      "x.worker_id",
      "x.start_date",
      "x.display_name",
      "x.role",
      "x.job_title",
      "x.active",
      "x.date_of_birth",
      "x.visible",
      // Names and ids leave the database only for people the manager may see.
      sql<string | null>`case when x.visible then x.person_id end`.as("person_id"),
      sql<string | null>`case when x.visible then x.given_name end`.as("given_name"),
      sql<string | null>`case when x.visible then x.family_name end`.as("family_name"),
    ])
    .orderBy("x.family_name")
    .orderBy("x.given_name")
    .execute();

  const teams = new Map<string, TeamCaseload & { byWorker: Map<string, CaseloadWorker> }>();
  const worker = (
    id: string,
    row: { display_name: string; role: string; job_title: string; active: boolean },
    member: boolean,
    practiceRole: string | null = null,
  ): CaseloadWorker => ({
    id,
    name: row.display_name,
    role: row.role,
    jobTitle: row.job_title,
    practiceRole,
    member,
    active: row.active,
    children: 0,
    total: 0,
    people: [],
    hidden: 0,
  });
  for (const row of members) {
    const team = teams.get(row.team_id) ?? {
      id: row.team_id,
      name: row.team_name,
      workers: [],
      byWorker: new Map<string, CaseloadWorker>(),
    };
    teams.set(row.team_id, team);
    if (row.user_id && row.display_name !== null && row.role !== null) {
      team.byWorker.set(
        row.user_id,
        worker(
          row.user_id,
          {
            display_name: row.display_name,
            role: row.role,
            job_title: row.job_title ?? "",
            active: row.active ?? false,
          },
          true,
          row.practice_role,
        ),
      );
    }
  }
  for (const row of allocations) {
    const team = teams.get(row.team_id);
    if (!team) continue;
    let entry = team.byWorker.get(row.worker_id);
    if (!entry) {
      entry = worker(row.worker_id, row, false);
      team.byWorker.set(row.worker_id, entry);
    }
    entry.total += 1;
    if (row.date_of_birth && isChildOn(row.date_of_birth, today)) entry.children += 1;
    if (row.visible && row.person_id && row.given_name && row.family_name) {
      entry.people.push({
        id: row.person_id,
        givenName: row.given_name,
        familyName: row.family_name,
        dateOfBirth: row.date_of_birth,
        allocatedSince: row.start_date,
      });
    } else {
      entry.hidden += 1;
    }
  }
  return [...teams.values()].map(({ byWorker, ...team }) => ({
    ...team,
    // Members first, then anyone who left the team but still holds its allocations; inactive
    // accounts only while they still hold some.
    workers: [...byWorker.values()]
      .filter((w) => w.active || w.total > 0)
      .sort((a, b) => Number(b.member) - Number(a.member) || a.name.localeCompare(b.name)),
  }));
}

/** A person's allocations, newest first, with who allocated them and why each ended. */
export async function allocationHistory(db: Db, actor: Actor, personId: string) {
  return db
    .selectFrom("allocation as a")
    .innerJoin("app_user as w", "w.id", "a.worker_id")
    .innerJoin("team as t", "t.id", "a.team_id")
    .leftJoin("app_user as by", "by.id", "a.allocated_by")
    .select([
      "a.id",
      "a.worker_id",
      "w.display_name as worker_name",
      "w.role as worker_role",
      "w.job_title as worker_job_title",
      "t.name as team_name",
      "a.start_date",
      "a.end_date",
      "a.end_reason",
      "a.end_kind",
      "a.end_note",
      "by.display_name as allocated_by_name",
    ])
    .where("a.person_id", "=", personId)
    .where("a.la_id", "=", actor.laId)
    .orderBy("a.start_date", "desc")
    .orderBy("a.end_date", (ob) => ob.desc().nullsFirst())
    .execute();
}

/** The person's allocations within the actor's teams that are open today. */
export async function reallocatableAllocations(
  db: Db,
  actor: Actor,
  personId: string,
  today: string,
) {
  return db
    .selectFrom("allocation as a")
    .innerJoin("app_user as w", "w.id", "a.worker_id")
    .innerJoin("team as t", "t.id", "a.team_id")
    .select([
      "a.id",
      "a.worker_id",
      "a.team_id",
      "a.start_date",
      "w.display_name as worker_name",
      "t.name as team_name",
    ])
    .where("a.person_id", "=", personId)
    .where(managedAllocation(actor, "a"))
    .where(allocationOpen("a", today))
    .orderBy("a.start_date")
    .execute();
}

export type ReallocatableAllocation = Awaited<ReturnType<typeof reallocatableAllocations>>[number];

/** One of the person's allocations within the actor's teams, open or not (to tell stale). */
export async function managedAllocationOf(
  db: Db,
  actor: Actor,
  personId: string,
  allocationId: string,
) {
  return db
    .selectFrom("allocation as a")
    .select(["a.id", "a.end_date"])
    .where("a.id", "=", allocationId)
    .where("a.person_id", "=", personId)
    .where(managedAllocation(actor, "a"))
    .executeTakeFirst();
}

/**
 * Who may take over a child from the actor: each social worker or team manager of the teams
 * the actor manages, with those teams (one row per worker and team).
 */
export async function reallocationCandidates(db: Db, actor: Actor) {
  return db
    .selectFrom("app_user as u")
    .innerJoin("team_member as tm", "tm.user_id", "u.id")
    .innerJoin("team as t", "t.id", "tm.team_id")
    .select([
      "u.id",
      "u.display_name",
      "u.role",
      "u.job_title",
      "t.id as team_id",
      "t.name as team_name",
    ])
    .where(managedTeam(actor, "t"))
    .where(allocatableToTeam(actor.laId, "u", sql.ref("t.id")))
    .orderBy("u.display_name")
    .orderBy("t.name")
    .execute();
}

export type ReallocationCandidate = Awaited<ReturnType<typeof reallocationCandidates>>[number];

/** The workers currently allocated to the person (any team): none of them can be chosen again. */
export async function openWorkersOf(db: Db, personId: string, today: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("allocation as a")
    .select("a.worker_id")
    .where("a.person_id", "=", personId)
    .where(allocationOpen("a", today))
    .execute();
  return new Set(rows.map((r) => r.worker_id));
}
