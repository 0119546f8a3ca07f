import { mayRecordOn } from "../../access/recording.ts";
import { isLaPractitioner } from "../../access/visibility.ts";
import type { FastifyInstance } from "fastify";
import type { Actor } from "../../access/actor.ts";
import {
  labelFor,
  primaryNeeds,
  reasonsForClosure,
  referralSources,
} from "../../domain/code-lists.ts";
import { todayIn } from "../../domain/dates.ts";
import { isOverdue } from "../../domain/timescales.ts";
import { AppError } from "../../platform/errors.ts";
import { addRoute, type AppServices } from "../../platform/routes.ts";
import { getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { assessmentOutcomes, registerAssessmentRoutes } from "./assessments.ts";
import { contactDecisions } from "./contact-decision.ts";
import { registerContactRoutes } from "./contacts.ts";
import { openWork } from "../work/queries.ts";
import { journeyOf } from "./queries.ts";
import { childState } from "./state.ts";
import { earlyHelpEndReasons, registerEpisodeSteps } from "./steps-episode.ts";

export function registerJourneyRoutes(app: FastifyInstance, services: AppServices): void {
  registerContactRoutes(app, services);
  registerAssessmentRoutes(app, services);
  registerEpisodeSteps(app, services);

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/journey",
    permission: "journey.view",
    audit: "journey.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor: Actor | undefined = ctx.actor;
      if (!actor) throw new AppError("unauthenticated", "Sign in first");
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      const today = todayIn(ctx.now);
      const [state, journey] = [
        await childState(ctx.db, person.id),
        await journeyOf(ctx.db, person.id),
      ];
      // The council's own work on the child: not shown to partner agencies.
      const nextSteps = isLaPractitioner(actor)
        ? await openWork(ctx.db, actor, ctx.now, { person: person.id })
        : [];
      const mayRecord = mayRecordOn(actor, "journey.record", {
        viaBreakGlassOnly: person.via_break_glass,
      });
      return {
        view: "journey/views/journey.njk",
        data: {
          title: `Journey: ${person.given_name} ${person.family_name}`,
          person,
          state,
          mayRecord,
          showNextSteps: isLaPractitioner(actor),
          nextSteps: nextSteps.map((w) => ({ ...w, overdue: isOverdue(w.dueOn, today) })),
          referrals: journey.referrals.map((r) => ({
            ...r,
            sourceLabel: labelFor(referralSources, r.source),
            needLabel: r.primary_need ? labelFor(primaryNeeds, r.primary_need) : undefined,
            closureLabel: r.closure_reason
              ? labelFor(reasonsForClosure, r.closure_reason)
              : undefined,
            decisionLabel: contactDecisions.find((d) => d.code === r.decision)?.label,
          })),
          assessments: journey.assessments.map((a) => ({
            ...a,
            outcomeLabel: assessmentOutcomes.find((o) => o.code === a.outcome)?.label,
            overdue: a.authorised_on === null && isOverdue(a.due_on, today),
          })),
          cinPlans: journey.cinPlans,
          earlyHelp: journey.earlyHelp.map((e) => ({
            ...e,
            reasonLabel: earlyHelpEndReasons.find((r) => r.code === e.end_reason)?.label,
          })),
        },
      };
    },
  });
}
