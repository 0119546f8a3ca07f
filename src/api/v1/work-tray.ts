/**
 * The caller's work tray as JSON (decision 0044): what falls due within the look-ahead on the
 * open records the client's organisation may see, from the same rules as "My work". Soonest
 * first in a stable order (due date, child, what, link), filterable and cursor-paginated. The
 * audit row names the children listed, as the page's does.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { sharedRecordsTray } from "../../modules/worktray/shared.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import { afterCursor, CalendarDate, Cursor, encodeCursor, Id, Limit } from "../schemas.ts";

const WorkTrayQuery = z.strictObject({
  personId: Id.optional().describe("Only what is due on this child."),
  overdue: z.enum(["true", "false"]).optional().describe("Only what is (or is not) overdue."),
  limit: Limit,
  cursor: Cursor.optional(),
});

const TrayCursor = z.object({
  dueOn: CalendarDate,
  personId: Id,
  what: z.string().max(400),
  href: z.string().max(400),
});

export const WorkTray = z
  .object({
    items: z.array(
      z.object({
        personId: Id,
        childName: z.string(),
        worker: z.string().nullable().describe("The child's allocated worker."),
        what: z.string(),
        dueOn: CalendarDate,
        overdue: z.boolean(),
        link: z.string().describe("The page in Trellis where the work is done."),
      }),
    ),
    next: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
  })
  .meta({ id: "WorkTray" });

type Key = z.infer<typeof TrayCursor>;

const compare = (a: Key, b: Key) =>
  a.dueOn.localeCompare(b.dueOn) ||
  a.personId.localeCompare(b.personId) ||
  a.what.localeCompare(b.what) ||
  a.href.localeCompare(b.href);

export function registerWorkTrayApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/work-tray",
    summary: "What is due soon on the open records the client may see",
    tag: "Work tray",
    permission: "journey.view",
    audit: "worktray.view",
    contract: { query: WorkTrayQuery, response: WorkTray },
    handler: async ({ query }, ctx) => {
      const after = afterCursor(query.cursor, TrayCursor);
      const all = await sharedRecordsTray(ctx.db, ctx.actor, ctx.now);
      const wanted = all.filter(
        (i) =>
          (!query.personId || i.personId === query.personId) &&
          (query.overdue === undefined || i.overdue === (query.overdue === "true")) &&
          (!after || compare(i, after) > 0),
      );
      const items = wanted.slice(0, query.limit);
      const last = items.at(-1);
      ctx.audit({
        personIds: [...new Set(items.map((i) => i.personId))],
        summary: { items: items.length },
      });
      return {
        items: items.map((i) => ({
          personId: i.personId,
          childName: i.childName,
          worker: i.workerName ?? null,
          what: i.what,
          dueOn: i.dueOn,
          overdue: i.overdue,
          link: i.href,
        })),
        next:
          wanted.length > query.limit && last
            ? encodeCursor({
                dueOn: last.dueOn,
                personId: last.personId,
                what: last.what,
                href: last.href,
              })
            : null,
      };
    },
  });
}
