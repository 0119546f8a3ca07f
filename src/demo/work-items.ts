/**
 * The work decisions created (decision 0020), for the demo: a few items in the fixed social
 * worker's My work and a few on Team A's unallocated queue, so "My work", "My team's work"
 * and "Unallocated work" show them on first start. Chosen from the journeys already written
 * (children of Team A with an open case), in id order, so the same seed gives the same items.
 */
import type { Transaction } from "kysely";
import type { WorkKind } from "../domain/work.ts";
import { addWorkingDays } from "../domain/working-days.ts";
import type { DB } from "../platform/schema.ts";

interface DemoWork {
  laId: string;
  teamId: string;
  socialWorkerId: string;
  teamManagerId: string;
  /** 'YYYY-MM-DD' */
  today: string;
}

/** What each item is and when it was created, as working days before today (0 = today). */
const mine: readonly { kind: WorkKind; createdDaysAgo: number; dueDays: number }[] = [
  { kind: "strategy_discussion", createdDaysAgo: 0, dueDays: 1 },
  { kind: "plan_or_close", createdDaysAgo: 2, dueDays: 8 },
];
const queued: readonly { kind: WorkKind; createdDaysAgo: number; dueDays: number }[] = [
  { kind: "strategy_discussion", createdDaysAgo: 3, dueDays: -2 },
  { kind: "icpc", createdDaysAgo: 1, dueDays: 1 },
  { kind: "cin_plan", createdDaysAgo: 0, dueDays: 10 },
];

/** `n` working days from `day`; negative counts back. */
function workingDaysFrom(day: string, n: number): string {
  if (n >= 0) return addWorkingDays(day, n);
  let date = day;
  let count = 0;
  // Step back one calendar day at a time until n working days have passed.
  while (count < -n) {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 1);
    date = d.toISOString().slice(0, 10);
    if (addWorkingDays(date, 0) === date) count++;
  }
  return date;
}

export async function writeDemoWork(tx: Transaction<DB>, demo: DemoWork): Promise<number> {
  const cases = await tx
    .selectFrom("allocation as a")
    .innerJoin("referral as r", "r.person_id", "a.person_id")
    .select(["a.person_id", "a.worker_id", "r.id as referral_id"])
    .where("a.team_id", "=", demo.teamId)
    .where("a.end_date", "is", null)
    .where("r.closed_on", "is", null)
    .orderBy("a.person_id")
    .execute();
  const ofWorker = cases.filter((c) => c.worker_id === demo.socialWorkerId);
  const others = cases.filter((c) => c.worker_id !== demo.socialWorkerId);
  const rows = [
    ...mine.flatMap((w, i) => {
      const c = ofWorker[i];
      return c ? [{ ...w, c, workerId: demo.socialWorkerId }] : [];
    }),
    ...queued.flatMap((w, i) => {
      const c = others[i];
      return c ? [{ ...w, c, workerId: null }] : [];
    }),
  ];
  if (rows.length === 0) return 0;
  await tx
    .insertInto("work_item")
    .values(
      rows.map(({ kind, createdDaysAgo, dueDays, c, workerId }) => ({
        la_id: demo.laId,
        person_id: c.person_id,
        kind,
        team_id: demo.teamId,
        worker_id: workerId,
        due_on: workingDaysFrom(demo.today, dueDays),
        source_type: "referral",
        source_id: c.referral_id,
        created_on: workingDaysFrom(demo.today, -createdDaysAgo),
        created_by: demo.teamManagerId,
      })),
    )
    .execute();
  return rows.length;
}
