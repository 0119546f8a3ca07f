/**
 * A system's work tray (decision 0044): an API client holds no caseload, so its tray is what
 * falls due on the records its organisation may see and that are open now (allocated to a
 * worker): the same items, rules and look-ahead as a worker's "My work" (trayItems), for
 * those children only. Items about no one child (a contact to decide, a family's group
 * supervision) belong to the council's workers and are left out.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { visiblePersonIds } from "../../access/visibility.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import { trayItems, type TrayChild, type TrayItem } from "./items.ts";

export type SharedTrayItem = TrayItem & { personId: string };

/** The children the actor may see that are allocated now, each with their worker. */
async function openVisibleChildren(db: Db, actor: Actor, now: Date): Promise<TrayChild[]> {
  const today = todayIn(now);
  return db
    .selectFrom("allocation as a")
    .innerJoin("person as p", "p.id", "a.person_id")
    .innerJoin("app_user as u", "u.id", "a.worker_id")
    .select([
      "p.id",
      sql<string>`p.given_name || ' ' || p.family_name`.as("name"),
      "u.display_name as worker_name",
    ])
    .where("a.la_id", "=", actor.laId)
    .where((eb) => eb.or([eb("a.end_date", "is", null), eb("a.end_date", ">", today)]))
    .where(sql<boolean>`p.id in (${visiblePersonIds(actor, now)})`)
    .execute();
}

/** What is due on the open records the actor may see, soonest first in a stable order. */
export async function sharedRecordsTray(
  db: Db,
  actor: Actor,
  now: Date,
): Promise<SharedTrayItem[]> {
  const today = todayIn(now);
  const children = await openVisibleChildren(db, actor, now);
  const ids = new Set(children.map((c) => c.id));
  const items = await trayItems(db, actor, now, today, children);
  return items
    .filter((i): i is SharedTrayItem => i.personId !== null && ids.has(i.personId))
    .sort(
      (a, b) =>
        a.dueOn.localeCompare(b.dueOn) ||
        a.personId.localeCompare(b.personId) ||
        a.what.localeCompare(b.what) ||
        a.href.localeCompare(b.href),
    );
}
