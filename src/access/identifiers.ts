import { sql } from "kysely";
import type { Db } from "../platform/database.ts";
import { can, type Actor } from "./actor.ts";

/**
 * Who sees the front door's list of children without the consistent identifier (decision
 * 0023): team managers, and social workers in a front door team. The list itself shows only
 * children the actor may see (visibility.ts).
 */
export async function mayReviewIdentifiers(db: Db, actor: Actor): Promise<boolean> {
  if (!can(actor, "person.identifier_review")) return false;
  if (actor.role === "team_manager") return true;
  if (actor.role !== "social_worker" || actor.teamIds.length === 0) return false;
  const row = await db
    .selectFrom("team")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("id", "in", actor.teamIds)
    .where("kind", "=", "front_door")
    .executeTakeFirstOrThrow();
  return row.n > 0;
}
