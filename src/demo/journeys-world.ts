/**
 * What every part of the journey generator shares: the world (streams, staff, calendar, sink)
 * and the episode being generated (its children, their referrals, who is allocated when).
 */
import type { ChronologyKind } from "../domain/chronology.ts";
import type { DemoFamily, DemoPerson } from "./families.ts";
import { dateOf, orderedIds, workingTime, type WorkingCalendar } from "./journeys-calendar.ts";
import {
  MEAN_DAYS_BETWEEN_WORKER_CHANGES,
  WORKER_CHANGE_REASONS,
  type CurrentStatus,
} from "./journeys-rates.ts";
import type { RowSink } from "./journeys-sink.ts";
import type { Force } from "./journeys-steps.ts";
import { fill, WORKER_CHANGE_NAME } from "./journeys-text.ts";
import { toDay, yearsBefore, type Random } from "./random.ts";
import type { Organisations, Staff, TeamInfo, Teams, UserInfo } from "./staff.ts";

export { workingTime } from "./journeys-calendar.ts";

export type PartnerKey = keyof Organisations["partner"];

export interface JourneyWorld {
  rng: Random;
  /** A new row id (ordered; see orderedIds). */
  id: () => string;
  laId: string;
  today: number;
  /** The first day of the history the LA holds. */
  windowStart: number;
  cal: WorkingCalendar;
  sink: RowSink;
  orgs: Organisations;
  teams: Teams;
  staff: Staff;
  frontDoorManager: UserInfo;
  /** Social workers of every team, fixed demo users included. */
  socialWorkers: Map<string, UserInfo[]>;
  partnerUsers: Record<PartnerKey, UserInfo[]>;
}

export function makeWorld(
  base: Omit<JourneyWorld, "id" | "frontDoorManager" | "socialWorkers" | "partnerUsers">,
): JourneyWorld {
  const { staff, teams, orgs } = base;
  const frontDoorManager = staff.managerOf.get(teams.frontDoor.id);
  if (!frontDoorManager) throw new Error("the front door has no manager");
  const socialWorkers = new Map<string, UserInfo[]>();
  const partnerUsers = {} as Record<PartnerKey, UserInfo[]>;
  for (const key of Object.keys(orgs.partner) as PartnerKey[]) partnerUsers[key] = [];
  for (const user of staff.users) {
    if (user.role === "social_worker") {
      const list = socialWorkers.get(user.team.id) ?? [];
      list.push(user);
      socialWorkers.set(user.team.id, list);
    }
    if (user.role === "partner_practitioner") {
      for (const key of Object.keys(orgs.partner) as PartnerKey[]) {
        if (orgs.partner[key] === user.team.organisationId) partnerUsers[key].push(user);
      }
    }
  }
  const id = orderedIds(base.rng);
  return { ...base, id, frontDoorManager, socialWorkers, partnerUsers };
}

export interface Kid {
  id: string;
  name: string;
  dob: number;
  /** The day they turn 18. */
  adult: number;
}

export function kidOf(person: DemoPerson): Kid {
  const dob = toDay(person.dateOfBirth);
  return { id: person.id, name: person.givenName, dob, adult: yearsBefore(dob, -18) };
}

export function managerOf(w: JourneyWorld, team: TeamInfo): UserInfo {
  const manager = w.staff.managerOf.get(team.id);
  if (!manager) throw new Error(`no manager for ${team.name}`);
  return manager;
}

export function workersOf(w: JourneyWorld, team: TeamInfo): UserInfo[] {
  const list = w.socialWorkers.get(team.id);
  if (!list || list.length === 0) throw new Error(`no social workers in ${team.name}`);
  return list;
}

interface Segment {
  start: number;
  /** The day the next worker takes over (drawn ahead), or null for the open, fixed one. */
  end: number | null;
  reason: string | null;
  worker: UserInfo;
  team: TeamInfo;
}

/** The current worker of an open case: fixed from `from` (the casework allocation). */
export interface FixedAllocation {
  from: number;
  worker: UserInfo;
  team: TeamInfo;
  /** Each child's allocation row (written by casework.ts). */
  ids: ReadonlyMap<string, string>;
}

/**
 * Who holds the episode from day to day. Later workers are drawn as they are asked for, so
 * the episode can ask in any order; an open case ends with its fixed current worker.
 */
export class Allocations {
  readonly #w: JourneyWorld;
  readonly segments: Segment[] = [];
  readonly #fixed: FixedAllocation | undefined;

  constructor(w: JourneyWorld, team: TeamInfo, start: number, fixed?: FixedAllocation) {
    this.#w = w;
    this.#fixed = fixed;
    if (fixed && fixed.from <= start) {
      this.segments.push({ ...fixed, start, end: null, reason: null });
    } else {
      this.segments.push(this.#segment(start, team, undefined));
    }
  }

  #segment(start: number, team: TeamInfo, previous: UserInfo | undefined): Segment {
    const rng = this.#w.rng;
    // Someone other than the last worker, and than the current worker of an open case.
    const workers = workersOf(this.#w, team).filter(
      (u) => u !== previous && u !== this.#fixed?.worker,
    );
    const worker = rng.pick(workers.length > 0 ? workers : workersOf(this.#w, team));
    let end =
      start + 30 + Math.round(-Math.log(1 - rng.float()) * MEAN_DAYS_BETWEEN_WORKER_CHANGES);
    if (this.#fixed && end >= this.#fixed.from) end = this.#fixed.from;
    return { start, end, reason: null, worker, team };
  }

  #last(): Segment {
    const last = this.segments[this.segments.length - 1];
    if (!last) throw new Error("no allocation");
    return last;
  }

  #extendTo(day: number): void {
    for (let last = this.#last(); last.end !== null && day >= last.end; last = this.#last()) {
      const fixed = this.#fixed;
      if (fixed && last.end >= fixed.from) {
        last.reason = this.#w.rng.weighted(WORKER_CHANGE_REASONS);
        this.segments.push({ ...fixed, start: fixed.from, end: null, reason: null });
        return;
      }
      last.reason = this.#w.rng.weighted(WORKER_CHANGE_REASONS);
      this.segments.push(this.#segment(last.end, last.team, last.worker));
    }
  }

  #at(day: number): Segment {
    this.#extendTo(day);
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i];
      if (s && s.start <= day) return s;
    }
    return this.segments[0] ?? this.#last();
  }

  worker(day: number): UserInfo {
    return this.#at(day).worker;
  }

  team(day: number): TeamInfo {
    return this.#at(day).team;
  }

  /** Moves the case to another team on `day` (e.g. to Children in Care), if still open then. */
  transfer(day: number, team: TeamInfo, reason: string): void {
    if (this.#fixed && day >= this.#fixed.from) return;
    this.#extendTo(day);
    const last = this.#last();
    if (last.end === null || day <= last.start || last.team === team) return;
    last.end = day;
    last.reason = reason;
    this.segments.push(this.#segment(day, team, last.worker));
  }

  /** Allocation rows and chronology, up to `closedOn` (null: the case is still open). */
  emit(ep: Episode, closedOn: number | null): void {
    const w = this.#w;
    this.#extendTo(closedOn ?? w.today);
    for (const [i, s] of this.segments.entries()) {
      if (closedOn !== null && i > 0 && s.start >= closedOn) break;
      const previous = this.segments[i - 1];
      const changed = s.end !== null && (closedOn === null || s.end < closedOn);
      const ends = changed ? s.end : closedOn;
      const manager = managerOf(w, s.team);
      for (const kid of ep.kids) {
        // The open current allocation is casework's row; every other one is written here.
        let id = this.#fixed?.ids.get(kid.id) ?? "";
        if (ends !== null) {
          id = w.id();
          w.sink.push("allocation", {
            id,
            la_id: w.laId,
            person_id: kid.id,
            worker_id: s.worker.id,
            team_id: s.team.id,
            start_date: dateOf(s.start),
            end_date: dateOf(ends),
            allocated_by: manager.id,
            end_reason: changed ? s.reason : null,
          });
        }
        const to = `${s.worker.displayName} (${s.team.name})`;
        const why = WORKER_CHANGE_NAME[previous?.reason ?? "OTHERS"] ?? "other reason";
        const subject = { type: "allocation", id };
        if (previous) {
          ep.chron(kid, s.start, "reallocated", `Reallocated to ${to}: ${why}.`, manager, subject);
        } else ep.chron(kid, s.start, "allocated", `Allocated to ${to}.`, manager, subject);
      }
      if (!changed) break;
    }
  }
}

export interface FamilyInfo {
  family: DemoFamily;
  carer: "mum" | "dad";
  /** Children whose record the front door has already created. */
  recorded: Set<string>;
}

/** One episode of need for a group of siblings, from the contact to closure (or today). */
export class Episode {
  readonly w: JourneyWorld;
  readonly info: FamilyInfo;
  readonly kids: Kid[];
  /** The referral (episode of need) of each child, once opened. */
  readonly referrals = new Map<string, string>();
  readonly exploitation: boolean;
  /** The last day anything may happen: before the next episode, or the eldest turns 18. */
  readonly limit: number;
  /** Open today (an allocated case): the phases stop at `target` and stay open. */
  readonly target: CurrentStatus | undefined;
  /** Choices a script fixes for this episode. */
  force: Force | undefined;
  /** The last day any of the episode's work ended (the case closes no earlier). */
  busyUntil = 0;
  /** Periods of care in the episode: [start, end or null while looked after]. */
  readonly carePeriods: [number, number | null][] = [];
  source = "10";
  primaryNeed: string | null = null;
  alloc: Allocations | undefined;

  constructor(
    w: JourneyWorld,
    info: FamilyInfo,
    kids: Kid[],
    options: {
      exploitation: boolean;
      limit: number;
      target?: CurrentStatus;
      force?: Force;
    },
  ) {
    this.force = options.force;
    this.w = w;
    this.info = info;
    this.kids = kids;
    this.exploitation = options.exploitation;
    this.target = options.target;
    const eighteen = Math.min(...kids.map((k) => k.adult));
    this.limit = options.target ? w.today : Math.min(options.limit, eighteen);
  }

  get open(): boolean {
    return this.target !== undefined;
  }

  /** Days left before the episode must be closed. */
  room(day: number): number {
    return this.limit - day;
  }

  say(template: string, kid: Kid): string {
    return fill(template, kid.name, this.info.carer);
  }

  worker(day: number): UserInfo {
    if (!this.alloc) throw new Error("the episode is not allocated yet");
    return this.alloc.worker(day);
  }

  team(day: number): TeamInfo {
    if (!this.alloc) throw new Error("the episode is not allocated yet");
    return this.alloc.team(day);
  }

  /** One chronology entry on the child's record. */
  chron(
    kid: Kid,
    day: number,
    kind: ChronologyKind,
    summary: string,
    by: UserInfo,
    subject?: { type: string; id: string },
  ): void {
    const w = this.w;
    w.sink.push("chronology_entry", {
      id: w.id(),
      la_id: w.laId,
      person_id: kid.id,
      occurred_on: dateOf(day),
      kind,
      summary: this.say(summary, kid),
      organisation_id: by.team.organisationId,
      recorded_by: by.id,
      recorded_at: workingTime(w.rng, day),
      subject_type: subject?.type ?? null,
      subject_id: subject?.id ?? null,
    });
  }
}
