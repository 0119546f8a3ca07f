import type { FastifyInstance } from "fastify";
import { allocatableSpecialist } from "../../access/family.ts";
import { allocationOpen } from "../../access/caseloads.ts";
import { todayIn } from "../../domain/dates.ts";
import { practiceRoleLabels, type PracticeRole } from "../../domain/family-safeguarding.ts";
import { AppError } from "../../platform/errors.ts";
import type { Db } from "../../platform/database.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import type { Actor } from "../../access/actor.ts";
import { recordEvent } from "../chronology/record.ts";
import { familyIdFrom, getVisibleFamily, requireRecordable, type VisibleFamily } from "./family.ts";

/**
 * A team manager allocates adult specialists (recovery, domestic abuse, mental health) to the
 * adults of a family. The allocation is an ordinary allocation row, so the specialist then
 * sees the adult and their family (src/access/visibility.ts) and the work trays count it.
 */
function specialistsFor(db: Db, actor: Actor) {
  return db
    .selectFrom("team_member as tm")
    .innerJoin("app_user as u", "u.id", "tm.user_id")
    .innerJoin("team as t", "t.id", "tm.team_id")
    .select([
      "tm.user_id",
      "tm.team_id",
      "tm.practice_role",
      "u.display_name",
      "t.name as team_name",
    ])
    .where(allocatableSpecialist(actor, "tm"))
    .orderBy("u.display_name")
    .execute();
}

export function registerSpecialistRoutes(app: FastifyInstance, services: AppServices): void {
  const form = async (
    db: Db,
    actor: Actor,
    family: VisibleFamily,
    values: Record<string, unknown>,
  ): Promise<RouteResult> => {
    const specialists = await specialistsFor(db, actor);
    return {
      view: "family/views/specialist-form.njk",
      data: {
        title: "Allocate an adult specialist",
        family,
        values,
        adults: family.members.filter((m) => m.adult && !m.viaBreakGlassOnly),
        specialists: specialists.map((s) => ({
          value: `${s.user_id}:${s.team_id}`,
          text: `${s.display_name}, ${practiceRoleLabels[s.practice_role as PracticeRole]} (${s.team_name})`,
        })),
      },
    };
  };

  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/specialists/new",
    permission: "caseload.manage",
    audit: "family.allocate.form",
    handler: async (request, _reply, ctx) => {
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireRecordable(family);
      return form(ctx.db, actorOf(ctx), family, {});
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/specialists",
    permission: "caseload.manage",
    audit: "family.allocate",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireRecordable(family);
      const body = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(body);
          const adults = family.members.filter((m) => m.adult && !m.viaBreakGlassOnly);
          const adult = adults.find((m) => m.id === f.raw("personId"));
          if (!adult) f.fail("personId", "Select the adult the specialist will work with");
          const choice = (await specialistsFor(ctx.db, actor)).find(
            (s) => `${s.user_id}:${s.team_id}` === f.raw("specialist"),
          );
          if (!choice) f.fail("specialist", "Select an adult specialist from your teams");
          const today = todayIn(ctx.now);
          const startDate = f.date("startDate", "the date the work starts", {
            required: true,
            notAfter: today,
          });
          f.done();
          if (!adult || !choice || !startDate) throw new Error("validated form lost a value");
          const already = await ctx.db
            .selectFrom("allocation as a")
            .select("a.id")
            .where("a.person_id", "=", adult.id)
            .where("a.worker_id", "=", choice.user_id)
            .where(allocationOpen("a", today))
            .executeTakeFirst();
          if (already) {
            const message = `${choice.display_name} already works with ${adult.name}`;
            throw new AppError("validation", message, [{ field: "specialist", message }]);
          }
          const row = await ctx.db
            .insertInto("allocation")
            .values({
              la_id: actor.laId,
              person_id: adult.id,
              worker_id: choice.user_id,
              team_id: choice.team_id,
              start_date: startDate,
              allocated_by: actor.userId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          // The chronology says who was allocated, not which discipline: a partner who sees
          // this adult's chronology must not learn of mental health or substance work from it.
          await recordEvent(ctx.db, actor, {
            personId: adult.id,
            occurredOn: startDate,
            kind: "allocated",
            summary: `Adult specialist ${choice.display_name} allocated`,
            subject: { type: "allocation", id: row.id },
          });
          ctx.audit({ personIds: [adult.id], subjectType: "allocation", subjectId: row.id });
          return { redirect: `/families/${family.id}` };
        },
        () => form(ctx.db, actor, family, body),
      );
    },
  });
}
