import { sql, type RawBuilder } from "kysely";
import { loadActor, type Actor } from "../../src/access/actor.ts";
import type { Db } from "../../src/platform/database.ts";
import type { World } from "./world.ts";

export type UserKey = keyof World["users"];

/** The world's user, as access rules see them. */
export async function worldActor(db: Db, world: World, key: UserKey): Promise<Actor> {
  const found = await loadActor(db, world.users[key].id);
  if (!found) throw new Error(`no actor ${key}`);
  return found;
}

/**
 * Which of `users`, in their order, a rule lets see one row: the row of `table` with `id`,
 * aliased `t`, and the rule as SQL for an actor (e.g. `(a) => incidentVisible(a, now, "t")`).
 * For access tests that state exactly who may and may not see something.
 */
export async function whoSees(
  db: Db,
  world: World,
  users: readonly UserKey[],
  table: string,
  id: string,
  rule: (actor: Actor) => RawBuilder<boolean>,
): Promise<UserKey[]> {
  const seen: UserKey[] = [];
  for (const key of users) {
    const actor = await worldActor(db, world, key);
    const { rows } = await sql`select t.id from ${sql.table(table)} t
      where t.id = ${id} and ${rule(actor)}`.execute(db);
    if (rows.length > 0) seen.push(key);
  }
  return seen;
}
