/**
 * The journey generator, run in memory on a mid-size LA (so rates can be measured on a few
 * thousand referrals): its rows keep every rule of the model, its rates are near England's
 * published figures, and it is deterministic. generate.test.ts checks the same rows in the
 * database.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { isReReferral } from "../domain/journey-rules.ts";
import { addWorkingDays } from "../domain/working-days.ts";
import { buildFoundation, journeyInput, type DemoScale } from "./generate.ts";
import { generateJourneys, type JourneyCounts } from "./journeys.ts";
import { WorkingCalendar } from "./journeys-calendar.ts";
import { journeyProblems, type JourneyRows } from "./journeys-check.ts";
import { RE_REFERRAL_TARGET } from "./journeys-rates.ts";
import { MemorySink } from "./journeys-sink.ts";
import { fromDay, Random, toDay } from "./random.ts";

const today = "2026-03-01";

interface Simulation {
  sink: MemorySink;
  counts: JourneyCounts;
  births: Map<string, string>;
  foundation: ReturnType<typeof buildFoundation>;
}

async function simulate(
  size: "small" | "large",
  seed: number,
  scale: DemoScale = {},
): Promise<Simulation> {
  const options = { size, seed, passwordHash: "x", today };
  const foundation = buildFoundation(options, scale);
  const people = [...foundation.builder.rows.person];
  const sink = new MemorySink();
  const counts = await generateJourneys(journeyInput(foundation, options, sink, scale));
  const births = new Map<string, string>();
  for (const p of [...people, ...sink.of("person")]) {
    if (p.id && p.date_of_birth) births.set(p.id, p.date_of_birth);
  }
  return { sink, counts, births, foundation };
}

function rows(sink: MemorySink): JourneyRows {
  return Object.fromEntries(sink.rows);
}

const share = (part: number, whole: number) => part / whole;

/** The share of referrals that are re-referrals (within 12 months of the child's previous one). */
function reReferralRate(
  referrals: readonly { person_id: string; referral_date: string }[],
): number {
  const byChild = new Map<string, string[]>();
  for (const r of referrals)
    byChild.set(r.person_id, [...(byChild.get(r.person_id) ?? []), r.referral_date]);
  let re = 0;
  for (const dates of byChild.values()) {
    for (const date of dates) if (isReReferral(date, dates)) re++;
  }
  return re / referrals.length;
}

let mid: Simulation;

beforeAll(async () => {
  // A large-style LA of 300 families topped up with historic families to 6,000 referrals.
  mid = await simulate("large", 11, { families: 300, minReferrals: 6000 });
}, 120_000);

describe("journey rows", () => {
  it("keep every rule of the model (sequences, due dates, code lists, no overlaps)", () => {
    expect(journeyProblems(rows(mid.sink), mid.births, today)).toEqual([]);
  });

  it("reach the referral target with historic families, many of them now adults", () => {
    expect(mid.counts.referrals).toBeGreaterThanOrEqual(6000);
    expect(mid.counts.historicFamilies).toBeGreaterThan(1000);
    const adults = new Set(
      [...mid.births]
        .filter(([, dob]) => dob <= fromDay(toDay(today) - 18 * 366))
        .map(([id]) => id),
    );
    const adultReferrals = mid.sink.of("referral").filter((r) => adults.has(r.person_id));
    expect(adultReferrals.length).toBeGreaterThan(500);
    for (const r of adultReferrals)
      expect(r.closed_on, "an adult's episode is closed").toBeTruthy();
  });

  it("open exactly one referral for each child allocated today, none for anyone else", () => {
    const allocated = new Map<string, number>();
    for (const c of mid.foundation.casework.cases) {
      for (const child of c.children) allocated.set(child.id, c.startDay);
    }
    const open = mid.sink.of("referral").filter((r) => r.closed_on === null);
    expect(new Set(open.map((r) => r.person_id))).toEqual(new Set(allocated.keys()));
    expect(open).toHaveLength(allocated.size);
    const endedAt = new Map<string, string[]>();
    for (const a of mid.sink.of("allocation")) {
      if (a.end_date) endedAt.set(a.person_id, [...(endedAt.get(a.person_id) ?? []), a.end_date]);
    }
    for (const r of open) {
      const start = fromDay(allocated.get(r.person_id) ?? 0);
      expect(r.referral_date <= start, "the episode began by the allocation").toBe(true);
      // The current worker took over on the day the decision was made, or from a colleague.
      if (r.referral_date < fromDay(toDay(start) - 3)) {
        expect(endedAt.get(r.person_id) ?? [], "a handover on the allocation's start").toContain(
          start,
        );
      }
    }
  });

  it("look like England's published figures (CIN 2023-24)", () => {
    const referrals = mid.sink.of("referral");
    expect(Math.abs(reReferralRate(referrals) - RE_REFERRAL_TARGET)).toBeLessThan(0.03);
    // About 1 in 3 referrals has a section 47 enquiry.
    expect(share(mid.sink.count("s47_enquiry"), referrals.length)).toBeGreaterThan(0.27);
    expect(share(mid.sink.count("s47_enquiry"), referrals.length)).toBeLessThan(0.39);
    const done = mid.sink.of("assessment").filter((a) => a.authorised_on);
    const nfa = share(done.filter((a) => a.outcome === "no_further_action").length, done.length);
    expect(nfa).toBeGreaterThan(0.22);
    expect(nfa).toBeLessThan(0.36);
    const onTime = share(
      done.filter((a) => (a.authorised_on ?? "") <= a.due_on).length,
      done.length,
    );
    expect(onTime).toBeGreaterThan(0.76);
    expect(onTime).toBeLessThan(0.9);
    const needs = referrals.map((r) => r.primary_need).filter((n) => n && n !== "N9" && n !== "N0");
    const abuse = share(needs.filter((n) => n === "N1").length, needs.length);
    expect(abuse).toBeGreaterThan(0.5);
    expect(abuse).toBeLessThan(0.64);
    const plans = mid.sink.of("cp_plan");
    const neglect = share(plans.filter((p) => p.initial_category === "NEG").length, plans.length);
    const emotional = share(plans.filter((p) => p.initial_category === "EMO").length, plans.length);
    expect(neglect).toBeGreaterThan(0.42);
    expect(neglect).toBeLessThan(0.58);
    expect(emotional).toBeGreaterThan(0.29);
    expect(emotional).toBeLessThan(0.45);
    const icpcs = mid.sink.of("cp_conference");
    const icpcOnTime = share(icpcs.filter((c) => c.held_on <= c.due_on).length, icpcs.length);
    expect(icpcOnTime).toBeGreaterThan(0.7);
    expect(icpcOnTime).toBeLessThan(0.86);
  });

  it("hold strategy discussions mostly with all 3 statutory partners", () => {
    const agencies = new Map<string, Set<string>>();
    for (const a of mid.sink.of("strategy_attendee")) {
      const set = agencies.get(a.strategy_discussion_id) ?? new Set();
      set.add(a.agency_kind);
      agencies.set(a.strategy_discussion_id, set);
    }
    const all = [...agencies.values()].filter(
      (s) => s.has("la_childrens_services") && s.has("police") && s.has("health"),
    );
    const rate = share(all.length, agencies.size);
    expect(rate).toBeGreaterThan(0.72);
    expect(rate).toBeLessThan(0.88);
  });

  it("offer most return interviews within 72 hours, and see most children alone", () => {
    const episodes = mid.sink.of("missing_episode");
    expect(episodes.length).toBeGreaterThan(20);
    const timely = episodes.filter((m) => {
      const offered = m.interview_offered_at;
      const ended = m.ended_at;
      if (!(offered instanceof Date) || !(ended instanceof Date)) return false;
      return offered.getTime() - ended.getTime() <= 72 * 3_600_000;
    });
    expect(share(timely.length, episodes.length)).toBeGreaterThan(0.75);
    const seen = mid.sink.of("visit").filter((v) => v.seen);
    expect(share(seen.filter((v) => v.seen_alone).length, seen.length)).toBeGreaterThan(0.5);
  });

  it("give the long-history child a long history: several referrals, CP plans, care, 300+ events", () => {
    const entries = new Map<string, number>();
    for (const c of mid.sink.of("chronology_entry"))
      entries.set(c.person_id, (entries.get(c.person_id) ?? 0) + 1);
    const [child, count] = [...entries].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
    expect(count).toBeGreaterThanOrEqual(300);
    const of = <T extends { person_id: string }>(list: T[]) =>
      list.filter((r) => r.person_id === child);
    expect(of(mid.sink.of("referral")).length).toBeGreaterThanOrEqual(3);
    expect(of(mid.sink.of("cp_plan")).length).toBeGreaterThanOrEqual(2);
    expect(of(mid.sink.of("cla_episode")).length).toBeGreaterThanOrEqual(1);
    expect(of(mid.sink.of("visit")).length).toBeGreaterThanOrEqual(50);
    expect(of(mid.sink.of("case_note")).length).toBeGreaterThanOrEqual(24);
    const worker = mid.foundation.casework.cases.find((c) =>
      c.children.some((k) => k.id === child),
    )?.worker;
    expect(worker?.email).toBe("social.worker@northmoor.example");
  });
});

describe("determinism", () => {
  it("gives identical rows for the same seed and different rows for another", async () => {
    const a = await simulate("small", 5);
    const b = await simulate("small", 5);
    const c = await simulate("small", 6);
    expect(JSON.stringify([...b.sink.rows])).toBe(JSON.stringify([...a.sink.rows]));
    expect(a.sink.count("referral")).toBeGreaterThan(30);
    expect(JSON.stringify(c.sink.of("referral"))).not.toBe(JSON.stringify(a.sink.of("referral")));
  });
});

describe("WorkingCalendar", () => {
  it("gives exactly the domain's working days", () => {
    const first = toDay("2015-01-01");
    const cal = new WorkingCalendar(first, toDay("2027-12-31"));
    const rng = new Random(1, "calendar test");
    for (let i = 0; i < 2000; i++) {
      const day = first + rng.int(100, 4000);
      const n = rng.int(0, 60);
      expect(fromDay(cal.add(day, n)), `${fromDay(day)} + ${String(n)}`).toBe(
        addWorkingDays(fromDay(day), n),
      );
      const back = cal.subtract(day, n);
      expect(cal.add(back, n) <= day).toBe(true);
      expect(cal.between(back, cal.add(back, n))).toBe(n);
    }
  });
});
