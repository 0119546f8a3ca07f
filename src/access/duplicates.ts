import { sql } from "kysely";
import type { Db } from "../platform/database.ts";
import { can, type Actor } from "./actor.ts";

/**
 * Who checks the possible duplicates routed to the front door (decision 0022): a team manager
 * of a front-door team (team.kind 'front_door') or a head of service. They see, for each flag,
 * the names and dates of birth of the two records and which details matched: the least needed
 * to judge whether they are one person. It gives no sight of either record: opening one
 * follows the ordinary rules (visibility.ts), or emergency access with its reason.
 */
export async function mayCheckPossibleDuplicates(db: Db, actor: Actor): Promise<boolean> {
  if (!can(actor, "journey.decide")) return false;
  if (actor.headOfService === true) return true;
  if (actor.teamIds.length === 0) return false;
  const row = await sql<{ front_door: boolean }>`select exists (select 1 from team t
      where t.id = any(${actor.teamIds}::uuid[]) and t.la_id = ${actor.laId}
        and t.kind = 'front_door') as front_door`.execute(db);
  return row.rows[0]?.front_door === true;
}
