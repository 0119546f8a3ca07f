import type { FastifyInstance } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import { checkReview } from "../../domain/looked-after-rules.ts";
import { reviewParticipation } from "../../domain/ssda903.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import { addRoute, type AppServices } from "../../platform/routes.ts";
import { recordEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, personIdFrom } from "../people/routes.ts";
import { actorOf, codeText, radioItems, type Form } from "./common.ts";
import { refuseBreaches } from "./input.ts";
import { claEpisodesOf, claReviewsOf, lockChild } from "./queries.ts";

/**
 * Looked-after reviews: the date held and how the child took part. The due date stored with
 * each is the one it answered (src/domain/looked-after-rules.ts), so a late review stays
 * visible as late.
 */
export function registerClaReviewRoutes(app: FastifyInstance, services: AppServices): void {
  const base = "/people/:id/looked-after";

  const reviewForm = (person: VisiblePerson, values: Form) => ({
    view: "looked-after/views/review.njk",
    data: {
      title: "Record a looked-after review",
      person,
      values,
      participationItems: radioItems(reviewParticipation, values.participation),
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: `${base}/reviews`,
    permission: "journey.record",
    audit: "cla.view",
    personParam: "id",
    handler: async (request, _reply, ctx) =>
      reviewForm(await getPersonToRecordOn(ctx, personIdFrom(request)), {}),
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/reviews`,
    permission: "journey.record",
    audit: "cla.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await lockChild(ctx.db, person.id);
          const reader = new FormReader(form);
          const heldOn = reader.date("heldOn", "the date of the review", { required: true });
          const participation = reader.code(
            "participation",
            reviewParticipation,
            "how the child took part",
            { required: true },
          );
          reader.done();
          if (!heldOn || !participation) throw new AppError("validation", "Check the details");
          const [episodes, reviews] = await Promise.all([
            claEpisodesOf(ctx.db, person.id),
            claReviewsOf(ctx.db, person.id),
          ]);
          const { breaches, dueOn } = checkReview(
            { dateOfBirth: person.date_of_birth },
            episodes,
            reviews.map((r) => r.held_on),
            { heldOn, participation },
            todayIn(ctx.now),
          );
          refuseBreaches(breaches, ["heldOn"]);
          if (!dueOn) throw new AppError("validation", "Check the details");
          const review = await ctx.db
            .insertInto("cla_review")
            .values({
              la_id: actor.laId,
              person_id: person.id,
              held_on: heldOn,
              due_on: dueOn,
              participation,
              recorded_by: actor.userId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await recordEvent(ctx.db, actor, {
            personId: person.id,
            occurredOn: heldOn,
            kind: "cla_review",
            summary: `Looked-after review held${heldOn > dueOn ? " late" : ""}: ${codeText(reviewParticipation, participation)}`,
            subject: { type: "cla_review", id: review.id },
          });
          ctx.audit({
            subjectType: "cla_review",
            subjectId: review.id,
            summary: { participation, late: heldOn > dueOn },
          });
          return { redirect: `/people/${person.id}/looked-after` };
        },
        () => reviewForm(person, form),
      );
    },
  });
}
