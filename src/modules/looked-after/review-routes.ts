import type { FastifyInstance } from "fastify";
import { todayIn } from "../../domain/dates.ts";
import { checkReview } from "../../domain/looked-after-rules.ts";
import { reviewParticipation } from "../../domain/ssda903.ts";
import { AppError } from "../../platform/errors.ts";
import type { FormReader } from "../../platform/forms.ts";
import type { AppServices } from "../../platform/routes.ts";
import { codeText, LOOKED_AFTER, radioItems } from "./common.ts";
import { refuseBreaches } from "./input.ts";
import { claEpisodesOf, claReviewsOf } from "./queries.ts";
import { addNewRecord, recordOnChronology, type Recording } from "./record-routes.ts";

/**
 * Looked-after reviews: the date held and how the child took part. The due date stored with
 * each is the one it answered (src/domain/looked-after-rules.ts), so a late review stays
 * visible as late.
 */

async function recordReview(recording: Recording, reader: FormReader): Promise<void> {
  const { ctx, actor, person } = recording;
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
  await recordOnChronology(
    recording,
    {
      occurredOn: heldOn,
      kind: "cla_review",
      summary: `Looked-after review held${heldOn > dueOn ? " late" : ""}: ${codeText(reviewParticipation, participation)}`,
      subject: { type: "cla_review", id: review.id },
    },
    { participation, late: heldOn > dueOn },
  );
}

export function registerClaReviewRoutes(app: FastifyInstance, services: AppServices): void {
  const url = "/people/:id/looked-after/reviews";
  addNewRecord(app, services, {
    area: LOOKED_AFTER,
    formUrl: url,
    url,
    show: (_ctx, person, values) => ({
      view: "looked-after/views/review.njk",
      data: {
        title: "Record a looked-after review",
        person,
        values,
        participationItems: radioItems(reviewParticipation, values.participation),
      },
    }),
    save: recordReview,
  });
}
