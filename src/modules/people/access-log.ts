import type { FastifyRequest } from "fastify";
import { sql } from "kysely";
import { kindsIn, type AuditCategory } from "../../audit/kinds.ts";
import type { Db } from "../../platform/database.ts";
import type { RouteResult } from "../../platform/routes.ts";
import type { VisiblePerson } from "./queries.ts";

/**
 * "Who has viewed this record": every audit row naming the person, in plain words, split into
 * changes, views, appearances in lists (which a manager may hide: a caseload alone lists a
 * child many times a day), and oversight. Each part is its own query, so the many list rows
 * never push the views and changes off the page.
 */
export type AccessLogPart = "change" | "view" | "list" | "other";

const PART_LIMIT = 200;

const headings: Record<AccessLogPart, string> = {
  change: "Changes",
  view: "Views",
  list: "Appearances in lists and searches",
  other: "Reviews and administration",
};

/** The kinds in a part; "other" is everything not a view, change or list, unknown kinds too. */
function actionFilter(part: AccessLogPart) {
  if (part !== "other") return sql<boolean>`l.action = any(${kindsIn(part)}::text[])`;
  const known = (["change", "view", "list"] as AuditCategory[]).flatMap(kindsIn);
  return sql<boolean>`not (l.action = any(${known}::text[]))`;
}

export async function accessLogPart(
  db: Db,
  laId: string,
  personIds: readonly string[],
  part: AccessLogPart,
) {
  return db
    .selectFrom("audit_log as l")
    .leftJoin("app_user as u", "u.id", "l.actor_user_id")
    .leftJoin("organisation as o", "o.id", "l.actor_organisation_id")
    .select([
      "l.seq",
      "l.occurred_at",
      "l.action",
      "l.outcome",
      "l.summary",
      "u.display_name",
      "u.role",
      "o.name as organisation_name",
    ])
    .where(sql<boolean>`l.person_ids && ${[...personIds]}::uuid[]`)
    .where((eb) => eb.or([eb("l.la_id", "=", laId), eb("l.la_id", "is", null)]))
    .where(actionFilter(part))
    .orderBy("l.seq", "desc")
    .limit(PART_LIMIT)
    .execute();
}

/** `?lists=hide` leaves out appearances in lists; anything else shows them. */
export function listsHidden(request: FastifyRequest): boolean {
  const { lists } = request.query as { lists?: unknown };
  return lists === "hide" || (Array.isArray(lists) && lists.includes("hide"));
}

export async function accessLogPage(
  db: Db,
  laId: string,
  person: VisiblePerson,
  hideLists: boolean,
  /** Records merged into this one: their audit history is this person's too. */
  mergedIds: readonly string[] = [],
): Promise<RouteResult> {
  const parts: AccessLogPart[] = hideLists
    ? ["change", "view", "other"]
    : ["change", "view", "list", "other"];
  const sections = await Promise.all(
    parts.map(async (part) => ({
      part,
      heading: headings[part],
      entries: await accessLogPart(db, laId, [person.id, ...mergedIds], part),
    })),
  );
  return {
    view: "people/views/access-log.njk",
    data: {
      title: `Who has viewed ${person.given_name} ${person.family_name}'s record`,
      person,
      sections,
      hideLists,
      limit: PART_LIMIT,
    },
  };
}
