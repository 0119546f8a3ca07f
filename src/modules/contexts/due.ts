import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { contextVisible } from "../../access/contexts.ts";
import { isOverdue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";

/**
 * Context reviews due, for the work tray. A context (a peer group, a place, a school) has no
 * allocated worker, so its worker is whoever reviewed it last, else assessed it, else referred
 * it: "My work" lists the contexts whose worker is the actor, "My team's work" those whose
 * worker is in the manager's teams. Open contexts only, and only those the actor may see
 * (src/access/contexts.ts); the date is the latest review's next review date.
 */
export interface ContextReviewDue {
  contextId: string;
  name: string;
  workerName: string;
  dueOn: string;
  overdue: boolean;
}

export async function contextReviewsDue(
  db: Db,
  actor: Actor,
  now: Date,
  today: string,
  scope: "mine" | "team",
): Promise<ContextReviewDue[]> {
  const rows = await db
    .selectFrom("context_case as cc")
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom("context_review as r")
          .select(["r.next_review_on", "r.reviewed_by"])
          .whereRef("r.context_id", "=", "cc.id")
          .orderBy("r.reviewed_on", "desc")
          .orderBy("r.recorded_at", "desc")
          .limit(1)
          .as("latest"),
      (join) => join.onTrue(),
    )
    .leftJoin("peer_group as g", "g.id", "cc.peer_group_id")
    .leftJoin("location as l", "l.id", "cc.location_id")
    .leftJoin("organisation as s", "s.id", "cc.school_organisation_id")
    .innerJoin("app_user as w", (join) =>
      join.on(sql<boolean>`w.id = coalesce(latest.reviewed_by, cc.assessed_by, cc.referred_by)`),
    )
    .select([
      "cc.id",
      sql<string>`coalesce(g.name, l.name, s.name)`.as("name"),
      "w.display_name as worker_name",
      "latest.next_review_on",
    ])
    .where("cc.la_id", "=", actor.laId)
    .where("cc.closed_on", "is", null)
    .where("latest.next_review_on", "is not", null)
    .where(
      scope === "mine"
        ? sql<boolean>`w.id = ${actor.userId}`
        : sql<boolean>`exists (select 1 from team_member tm where tm.user_id = w.id
            and tm.team_id = any(${actor.teamIds}::uuid[]))`,
    )
    .where(contextVisible(actor, now, "cc"))
    .execute();
  return rows.flatMap((r) =>
    r.next_review_on === null
      ? []
      : [
          {
            contextId: r.id,
            name: r.name,
            workerName: r.worker_name,
            dueOn: r.next_review_on,
            overdue: isOverdue(r.next_review_on, today),
          },
        ],
  );
}
