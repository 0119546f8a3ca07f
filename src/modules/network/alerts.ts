/**
 * Network alerts: a new association that links a child to someone assessed as high risk (a
 * person of concern whose risk level is high, or a child whose latest exploitation screening
 * was judged high) raises an alert for the child's allocated workers, shown on the network page
 * and in "My work" until acknowledged. The message names no intelligence: the workers read the
 * association itself on the network page, where the sharing rules decide what they see.
 *
 * An alert is shown only to those who may see the association that raised it, so an alert
 * never reveals an association the actor may not see (decision 0014: not even as a count).
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { associationVisible } from "../../access/network.ts";
import { isLaPractitioner, personVisible } from "../../access/visibility.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";

export const NETWORK_ALERT_MESSAGE =
  "A new association with a person assessed as high risk has been recorded.";

interface NewAssociation {
  id: string;
  laId: string;
  childId: string;
  otherChildId: string | null;
  personOfConcernId: string | null;
}

async function latestScreeningIsHigh(db: Db, personId: string): Promise<boolean> {
  const latest = await db
    .selectFrom("exploitation_screening")
    .select("judged_level")
    .where("person_id", "=", personId)
    .orderBy("screened_on", "desc")
    .orderBy("recorded_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return latest?.judged_level === "high";
}

/**
 * Raises the alerts a new association calls for; returns the children alerted. For an
 * association between two children each is alerted when the other is assessed as high risk.
 */
export async function raiseNetworkAlerts(db: Db, association: NewAssociation): Promise<string[]> {
  const alerted: string[] = [];
  if (association.personOfConcernId) {
    const poc = await db
      .selectFrom("person_of_concern")
      .select("risk_level")
      .where("id", "=", association.personOfConcernId)
      .executeTakeFirstOrThrow();
    if (poc.risk_level === "high") alerted.push(association.childId);
  } else if (association.otherChildId) {
    if (await latestScreeningIsHigh(db, association.otherChildId)) {
      alerted.push(association.childId);
    }
    if (await latestScreeningIsHigh(db, association.childId)) {
      alerted.push(association.otherChildId);
    }
  }
  if (alerted.length > 0) {
    await db
      .insertInto("network_alert")
      .values(
        alerted.map((personId) => ({
          la_id: association.laId,
          association_id: association.id,
          person_id: personId,
          message: NETWORK_ALERT_MESSAGE,
        })),
      )
      .execute();
  }
  return alerted;
}

export interface ChildNetworkAlert {
  id: string;
  message: string;
  raisedAt: Date;
}

/** The open alerts on a child the actor may see (the caller has checked the child). */
export async function openAlertsOnChild(
  db: Db,
  actor: Actor,
  now: Date,
  childId: string,
): Promise<ChildNetworkAlert[]> {
  const rows = await db
    .selectFrom("network_alert as al")
    .innerJoin("association as a", "a.id", "al.association_id")
    .select(["al.id", "al.message", "al.raised_at"])
    .where("al.person_id", "=", childId)
    .where("al.la_id", "=", actor.laId)
    .where("al.acknowledged_at", "is", null)
    .where(associationVisible(actor, now, "a"))
    .orderBy("al.raised_at")
    .orderBy("al.id")
    .execute();
  return rows.map((r) => ({ id: r.id, message: r.message, raisedAt: r.raised_at }));
}

/**
 * Acknowledges an open alert on the child, if the actor may see the association behind it.
 * Returns false when there is no such alert (or someone acknowledged it already).
 */
export async function acknowledgeNetworkAlert(
  db: Db,
  actor: Actor,
  now: Date,
  childId: string,
  alertId: string,
): Promise<boolean> {
  const updated = await db
    .updateTable("network_alert as al")
    .set({ acknowledged_by: actor.userId, acknowledged_at: now })
    .where("al.id", "=", alertId)
    .where("al.person_id", "=", childId)
    .where("al.la_id", "=", actor.laId)
    .where("al.acknowledged_at", "is", null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("association as a")
          .select("a.id")
          .whereRef("a.id", "=", "al.association_id")
          .where(associationVisible(actor, now, "a")),
      ),
    )
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export interface OpenNetworkAlert {
  personId: string;
  personName: string;
  workerName: string;
  raisedOn: string;
  href: string;
}

/**
 * Unacknowledged network alerts on children allocated now to the actor ("mine") or to one of
 * the actor's teams ("team"), for the work tray; only alerts whose association the actor may
 * see. `workerName` is the allocated worker (a social worker or manager first).
 */
export async function openNetworkAlerts(
  db: Db,
  actor: Actor,
  scope: "mine" | "team",
  today: string,
): Promise<OpenNetworkAlert[]> {
  if (!isLaPractitioner(actor)) return [];
  if (scope === "team" && actor.teamIds.length === 0) return [];
  // Visibility rules take an instant; midday UTC falls on `today` in London all year round.
  const now = new Date(`${today}T12:00:00Z`);
  const allocatedTo =
    scope === "mine"
      ? sql`a.worker_id = ${actor.userId}`
      : sql`a.team_id = any(${actor.teamIds}::uuid[])`;
  const rows = await db
    .selectFrom("network_alert as al")
    .innerJoin("association as assoc", "assoc.id", "al.association_id")
    .innerJoin("person as p", "p.id", "al.person_id")
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom("allocation as a")
          .innerJoin("app_user as u", "u.id", "a.worker_id")
          .select("u.display_name as worker_name")
          .whereRef("a.person_id", "=", "al.person_id")
          .where("a.la_id", "=", actor.laId)
          .where((e) => e.or([e("a.end_date", "is", null), e("a.end_date", ">", today)]))
          .where(sql<boolean>`${allocatedTo}`)
          .orderBy(sql`u.role in ('social_worker', 'team_manager')`, "desc")
          .orderBy("u.display_name")
          .limit(1)
          .as("lead"),
      (join) => join.onTrue(),
    )
    .select([
      "al.person_id",
      "al.raised_at",
      sql<string>`p.given_name || ' ' || p.family_name`.as("person_name"),
      "lead.worker_name",
    ])
    .where("al.la_id", "=", actor.laId)
    .where("al.acknowledged_at", "is", null)
    .where(personVisible(actor, now, "p"))
    .where(associationVisible(actor, now, "assoc"))
    .orderBy("al.raised_at")
    .orderBy("al.id")
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    personName: r.person_name,
    workerName: r.worker_name,
    raisedOn: todayIn(r.raised_at),
    href: `/people/${r.person_id}/network`,
  }));
}
