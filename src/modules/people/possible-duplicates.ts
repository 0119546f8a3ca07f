/**
 * The front door's list of possible duplicates (decision 0022): new records whose recorder
 * could not see an existing record that may be the same person. A front-door manager checks
 * each and records the outcome; merging the two is a separate step (the merge work).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { sql } from "kysely";
import { mayCheckPossibleDuplicates } from "../../access/duplicates.ts";
import { notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
} from "../../platform/routes.ts";
import { matchReasonLabels, matchReasons, type MatchReason } from "./candidates.ts";

const outcomes = [
  { code: "different_people", label: "They are different people" },
  { code: "same_person", label: "They are the same person: the records need merging" },
] as const;

interface FlagRow {
  id: string;
  score: number;
  reasons: string[];
  flagged_at: Date;
  flagged_by_name: string;
  new_id: string;
  new_name: string;
  new_dob: string | null;
  existing_id: string;
  existing_name: string;
  existing_dob: string | null;
}

const reasonLabel = (reason: string): string =>
  (matchReasons as readonly string[]).includes(reason)
    ? matchReasonLabels[reason as MatchReason]
    : reason;

async function requireChecker(ctx: RouteContext): Promise<void> {
  if (!(await mayCheckPossibleDuplicates(ctx.db, actorOf(ctx)))) throw notFound();
}

function flagIdFrom(request: FastifyRequest): string {
  const { id } = request.params as { id: unknown };
  if (!isUuid(id)) throw notFound("Possible duplicate");
  return id;
}

async function openFlags(ctx: RouteContext): Promise<FlagRow[]> {
  const rows = await sql<FlagRow>`
    select d.id, d.score, d.reasons, d.flagged_at, u.display_name as flagged_by_name,
      n.id as new_id, n.given_name || ' ' || n.family_name as new_name, n.date_of_birth as new_dob,
      e.id as existing_id, e.given_name || ' ' || e.family_name as existing_name,
      e.date_of_birth as existing_dob
    from possible_duplicate d
    join person n on n.id = d.person_id
    join person e on e.id = d.candidate_id
    join app_user u on u.id = d.flagged_by
    where d.la_id = ${actorOf(ctx).laId} and d.resolved_at is null
    order by d.flagged_at
    limit 200`.execute(ctx.db);
  return rows.rows;
}

async function listPage(ctx: RouteContext) {
  const flags = await openFlags(ctx);
  ctx.audit({ personIds: flags.flatMap((f) => [f.new_id, f.existing_id]) });
  return {
    view: "people/views/possible-duplicates.njk",
    data: {
      title: "Possible duplicate records",
      flags: flags.map((f) => ({
        ...f,
        reasonText: f.reasons.map((r) => reasonLabel(r)).join(", "),
      })),
      outcomes,
    },
  };
}

export function registerPossibleDuplicateRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/front-door/possible-duplicates",
    permission: "journey.decide",
    audit: "possible_duplicate.list",
    handler: async (_request, _reply, ctx) => {
      await requireChecker(ctx);
      return listPage(ctx);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/front-door/possible-duplicates/:id",
    permission: "journey.decide",
    audit: "possible_duplicate.resolve",
    handler: async (request, _reply, ctx) => {
      await requireChecker(ctx);
      const actor = actorOf(ctx);
      const id = flagIdFrom(request);
      ctx.audit({ subjectType: "possible_duplicate", subjectId: id });
      const flag = await ctx.db
        .selectFrom("possible_duplicate")
        .select(["id", "person_id", "candidate_id", "resolved_at"])
        .where("id", "=", id)
        .where("la_id", "=", actor.laId)
        .forUpdate()
        .executeTakeFirst();
      if (!flag) throw notFound("Possible duplicate");
      ctx.audit({ personIds: [flag.person_id, flag.candidate_id] });
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          const reader = new FormReader(form);
          const outcome = reader.code("outcome", outcomes, "whether they are the same person", {
            required: true,
          });
          reader.done();
          // Checked already by someone else: their answer stands.
          if (outcome && flag.resolved_at === null) {
            await ctx.db
              .updateTable("possible_duplicate")
              .set({ resolution: outcome, resolved_by: actor.userId, resolved_at: ctx.now })
              .where("id", "=", id)
              .execute();
          }
          ctx.audit({ summary: { outcome } });
          return { redirect: "/front-door/possible-duplicates" };
        },
        () => listPage(ctx),
      );
    },
  });
}
