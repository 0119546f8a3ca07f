import { maySeePlacementPostcode } from "../../access/looked-after.ts";
import type { Actor } from "../../access/actor.ts";
import { todayIn } from "../../domain/dates.ts";
import { nextClaReviewDue, periodsOfCare } from "../../domain/looked-after-rules.ts";
import {
  legalStatuses,
  placementProviders,
  placementTypes,
  reasonsEpisodeCeased,
  reasonsForNewEpisode,
  reviewParticipation,
} from "../../domain/ssda903.ts";
import { isOverdue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";
import type { RouteResult } from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { codeText, mayRecord } from "./common.ts";
import { claEpisodesOf, claReviewsOf, type StoredClaEpisode } from "./queries.ts";

/** The child's looked-after page: periods of care, current status, reviews. */
export async function lookedAfterPage(
  db: Db,
  actor: Actor,
  person: VisiblePerson,
  now: Date,
): Promise<RouteResult> {
  const today = todayIn(now);
  const [episodes, reviews] = await Promise.all([
    claEpisodesOf(db, person.id),
    claReviewsOf(db, person.id),
  ]);
  const showPostcode = maySeePlacementPostcode(actor, person.via_break_glass);
  const describe = (e: StoredClaEpisode) => ({
    ...e,
    legalStatusText: codeText(legalStatuses, e.legalStatus),
    placementTypeText: codeText(placementTypes, e.placementType),
    providerText: codeText(placementProviders, e.placementProvider) || "Not applicable",
    postcodeText: showPostcode ? (e.placementPostcode ?? "Not recorded") : "Withheld",
    reasonNewEpisodeText: codeText(reasonsForNewEpisode, e.reasonNewEpisode),
    reasonCeasedText: codeText(reasonsEpisodeCeased, e.reasonCeased),
  });
  const periods = periodsOfCare(episodes).map((p) => ({
    ...p,
    episodes: p.episodes.map(describe),
    reasonCeasedText: p.endDate ? codeText(reasonsEpisodeCeased, p.reasonCeased) : "",
  }));
  const current = periods.at(-1)?.endDate === null ? periods.at(-1) : undefined;
  const open = current?.episodes.at(-1);
  let nextReview: { dueOn: string; overdue: boolean } | undefined;
  if (current) {
    const heldInPeriod = reviews.map((r) => r.held_on).filter((d) => d >= current.startDate);
    const dueOn = nextClaReviewDue(current.startDate, heldInPeriod);
    nextReview = { dueOn, overdue: isOverdue(dueOn, today) };
  }
  return {
    view: "looked-after/views/looked-after.njk",
    data: {
      title: `Looked after: ${person.given_name} ${person.family_name}`,
      person,
      periods: [...periods].reverse(),
      current,
      open,
      nextReview,
      reviews: [...reviews].reverse().map((r) => ({
        ...r,
        late: r.held_on > r.due_on,
        participationText: codeText(reviewParticipation, r.participation),
      })),
      canRecord: mayRecord(actor, person),
    },
  };
}
