import { sql } from "kysely";
import { claReviewDue, isOverdue, returnInterviewDue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";

/**
 * What is due for many children at once, for the work tray and caseload pages. Callers pass
 * the children the actor may already see; these functions only read within the LA.
 */

export interface ReturnInterviewDue {
  personId: string;
  episodeId: string;
  /** 72 hours after the child came back. */
  dueAt: Date;
  /** The 72 hours have passed and the interview has not been held. */
  overdue: boolean;
  /** Offered (and perhaps accepted) but not yet held. */
  offered: boolean;
}

/**
 * Return home interviews not yet held, for children who have come back, oldest first: judged
 * on when the interview is held, not only offered (src/domain/missing-rules.ts). One the child
 * declined is closed.
 */
export async function returnInterviewsDue(
  db: Db,
  laId: string,
  personIds: readonly string[],
  now: Date,
): Promise<ReturnInterviewDue[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom("missing_episode")
    .select(["id", "person_id", "ended_at", "interview_offered_at"])
    .where("la_id", "=", laId)
    .where(sql<boolean>`person_id = any(${[...personIds]}::uuid[])`)
    .where("ended_at", "is not", null)
    .where("interview_held_at", "is", null)
    .where(sql<boolean>`interview_accepted is distinct from false`)
    .orderBy("ended_at")
    .execute();
  return rows.flatMap((row) => {
    if (row.ended_at === null) return [];
    const dueAt = returnInterviewDue(row.ended_at);
    return [
      {
        personId: row.person_id,
        episodeId: row.id,
        dueAt,
        overdue: now > dueAt,
        offered: row.interview_offered_at !== null,
      },
    ];
  });
}

export interface ClaReviewDue {
  personId: string;
  dueOn: string;
  overdue: boolean;
}

/**
 * The next looked-after review of each child who is looked after today: the first within 20
 * working days of the start of the period of care, the second within 3 months of the first,
 * then every 6 months. Reviews count within the current period only (its start is the latest
 * "started to be looked after" episode). Soonest first.
 */
export async function claReviewsDue(
  db: Db,
  laId: string,
  personIds: readonly string[],
  today: string,
): Promise<ClaReviewDue[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .with("looked_after", (qb) =>
      qb
        .selectFrom("cla_episode as e")
        .select([
          "e.person_id",
          sql<string>`coalesce((select max(s.start_date) from cla_episode s
            where s.person_id = e.person_id and s.reason_new_episode = 'S'
              and s.start_date <= e.start_date), e.start_date)`.as("period_start"),
        ])
        .where("e.la_id", "=", laId)
        .where(sql<boolean>`e.person_id = any(${[...personIds]}::uuid[])`)
        .where("e.end_date", "is", null)
        .where("e.start_date", "<=", today),
    )
    .selectFrom("looked_after as l")
    .leftJoin("cla_review as r", (join) =>
      join.onRef("r.person_id", "=", "l.person_id").onRef("r.held_on", ">=", "l.period_start"),
    )
    .select((eb) => [
      "l.person_id",
      "l.period_start",
      eb.fn.count<number>("r.id").as("held"),
      eb.fn.max("r.held_on").as("last_held"),
    ])
    .groupBy(["l.person_id", "l.period_start"])
    .execute();
  return rows
    .map((row) => {
      // count() is bigint in SQL; the database layer reads it as a number.
      const dueOn = claReviewDue(row.last_held ?? row.period_start, row.held + 1);
      return { personId: row.person_id, dueOn, overdue: isOverdue(dueOn, today) };
    })
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}
