/**
 * Who may be a care leaver's personal adviser, and whether the adviser can see the young
 * person's record (decision 0038). Recording on a care leaver needs `journey.record` and is
 * refused on emergency access alone, as every write is (recording.ts); reading needs
 * `journey.view` on a record the actor may see (visibility.ts).
 */
import type { Db } from "../platform/database.ts";
import { loadActor, type Actor } from "./actor.ts";
import type { Role } from "./permissions.ts";
import { personVisible, viaBreakGlassOnly } from "./visibility.ts";

/**
 * A personal adviser (s23B, s23CZB Children Act 1989) is one of the council's practitioners
 * who hold cases: Trellis has no separate role for it, so a leaving care team's advisers are
 * given the social worker role (or team manager), and no new permission is needed.
 */
export const personalAdviserRoles: readonly Role[] = ["social_worker", "team_manager"];

export function mayBePersonalAdviser(adviser: Actor, laId: string): boolean {
  return (
    adviser.laId === laId &&
    adviser.organisationKind === "la_childrens_services" &&
    personalAdviserRoles.includes(adviser.role)
  );
}

/**
 * Whether the user named as adviser may be appointed for this young person: one of the roles
 * above in the council, who sees the record other than through emergency access (allocated to
 * them or their team). Appointing someone does not widen who sees a record; allocation does.
 */
export async function adviserVerdict(
  db: Db,
  adviserId: string,
  personId: string,
  laId: string,
  now: Date,
): Promise<"may_advise" | "not_an_adviser" | "cannot_see"> {
  const adviser = await loadActor(db, adviserId);
  if (!adviser || !mayBePersonalAdviser(adviser, laId)) return "not_an_adviser";
  const seen = await db
    .selectFrom("person")
    .select(viaBreakGlassOnly(adviser, now).as("via_break_glass"))
    .where("person.id", "=", personId)
    .where(personVisible(adviser, now))
    .executeTakeFirst();
  return seen && !seen.via_break_glass ? "may_advise" : "cannot_see";
}
