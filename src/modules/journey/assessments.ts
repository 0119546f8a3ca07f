import { mayRecordOn } from "../../access/recording.ts";
import { suggestedFactors } from "../../domain/exploitation.ts";
import type { AuditKind } from "../../audit/kinds.ts";
/**
 * Child and family assessments: due 45 working days after the referral. The social worker
 * completes it with the CIN census factors and an outcome; a team manager authorises it.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { can, type Actor } from "../../access/actor.ts";
import type { Permission } from "../../access/permissions.ts";
import { assessmentFactors, labelFor } from "../../domain/code-lists.ts";
import { todayIn } from "../../domain/dates.ts";
import { authoriseAssessmentRules, submitAssessmentRules } from "../../domain/journey-rules.ts";
import { isOverdue, nextStepDue, strategyDiscussionDue } from "../../domain/timescales.ts";
import type { WorkKind } from "../../domain/work.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { dateParts, FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
} from "../../platform/routes.ts";
import { recordEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { strategyDiscussionWorkingDays } from "../work/queries.ts";
import { completeWork, createWork } from "../work/service.ts";
import { refuseIfBroken } from "./state.ts";

export const assessmentOutcomes = [
  { code: "no_further_action", label: "No further action" },
  { code: "early_help", label: "Step down to early help" },
  { code: "cin_plan", label: "Child in need plan" },
  { code: "strategy_discussion", label: "Strategy discussion" },
  { code: "looked_after", label: "Child to become looked after" },
] as const;

async function findAssessment(ctx: RouteContext, request: FastifyRequest, person: VisiblePerson) {
  const { assessmentId } = request.params as { assessmentId: unknown };
  if (!isUuid(assessmentId)) throw notFound("Assessment");
  const assessment = await ctx.db
    .selectFrom("assessment as a")
    .innerJoin("referral as r", "r.id", "a.referral_id")
    .leftJoin("app_user as s", "s.id", "a.recorded_by")
    .leftJoin("app_user as m", "m.id", "a.authorised_by")
    .selectAll("a")
    .select(["r.referral_date", "s.display_name as recorded_by_name"])
    .select("m.display_name as authorised_by_name")
    .where("a.id", "=", assessmentId)
    .where("a.person_id", "=", person.id)
    .executeTakeFirst();
  if (!assessment) throw notFound("Assessment");
  ctx.audit({ subjectType: "assessment", subjectId: assessment.id });
  return assessment;
}
type Assessment = Awaited<ReturnType<typeof findAssessment>>;

/**
 * The CIN factors the child's latest exploitation screening suggests, for whoever may see
 * screenings: a suggestion beside the factors, never ticked for the social worker.
 */
async function screeningSuggestion(ctx: RouteContext, person: VisiblePerson) {
  if (!can(actorOf(ctx), "exploitation.view")) return null;
  const latest = await ctx.db
    .selectFrom("exploitation_screening")
    .select(["screened_on", "indicators", "harm_types"])
    .where("person_id", "=", person.id)
    .orderBy("screened_on", "desc")
    .orderBy("recorded_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const factors = latest ? suggestedFactors(latest.indicators, latest.harm_types) : [];
  return latest && factors.length ? { screenedOn: latest.screened_on, factors } : null;
}

async function assessmentPage(
  ctx: RouteContext,
  person: VisiblePerson,
  assessment: Assessment,
  values: Record<string, unknown>,
) {
  const actor = actorOf(ctx);
  const suggestion = await screeningSuggestion(ctx, person);
  const today = todayIn(ctx.now);
  const open = assessment.authorised_on === null;
  return {
    view: "journey/views/assessment.njk",
    data: {
      title: `Assessment: ${person.given_name} ${person.family_name}`,
      person,
      assessment,
      values,
      overdue: open && isOverdue(assessment.due_on, today),
      factors: assessmentFactors,
      suggestion,
      factorLabels: assessment.factors.map((f) => `${f}: ${labelFor(assessmentFactors, f)}`),
      outcomes: assessmentOutcomes,
      outcomeLabel: assessmentOutcomes.find((o) => o.code === assessment.outcome)?.label,
      canSubmit:
        assessment.submitted_on === null &&
        mayRecordOn(actor, "journey.record", { viaBreakGlassOnly: person.via_break_glass }),
      canAuthorise:
        assessment.submitted_on !== null &&
        open &&
        mayRecordOn(actor, "journey.decide", { viaBreakGlassOnly: person.via_break_glass }),
    },
  };
}

export function registerAssessmentRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/assessments/:assessmentId",
    permission: "journey.view",
    audit: "assessment.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      const assessment = await findAssessment(ctx, request, person);
      const today = todayIn(ctx.now);
      return assessmentPage(ctx, person, assessment, {
        ...dateParts("submittedOn", today),
        ...dateParts("authorisedOn", today),
        factors: assessment.factors,
        outcome: assessment.outcome,
        analysis: assessment.analysis,
      });
    },
  });

  addAssessmentStep(app, services, {
    action: "submit",
    permission: "journey.record",
    audit: "assessment.submit",
    save: async ({ ctx, actor, person, assessment }, reader) => {
      const version = reader.version();
      const submittedOn = reader.date("submittedOn", "the date the assessment was completed", {
        required: true,
      });
      const factors = reader.codes("factors", assessmentFactors, "the factors identified");
      const outcome = reader.code("outcome", assessmentOutcomes, "the outcome", {
        required: true,
      });
      const analysis = reader.text("analysis", "the analysis", {
        required: true,
        max: 20000,
      });
      reader.done();
      if (!submittedOn || !outcome) throw new AppError("validation", "Check the assessment");
      if (assessment.submitted_on !== null) {
        throw new AppError("conflict", "This assessment has already been completed.");
      }
      refuseIfBroken(
        submitAssessmentRules(assessment.started_on, submittedOn, factors, todayIn(ctx.now)),
        "Check the assessment",
      );
      const updated = await ctx.db
        .updateTable("assessment")
        .set({
          submitted_on: submittedOn,
          factors,
          outcome,
          analysis,
          version: version + 1,
        })
        .where("id", "=", assessment.id)
        .where("version", "=", version)
        .where("submitted_on", "is", null)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) {
        throw new AppError(
          "conflict",
          "Someone else changed this assessment while you were editing. Nothing you entered has been saved: reload it and try again.",
        );
      }
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: submittedOn,
        kind: "assessment_submitted",
        summary: `Assessment completed: ${assessmentOutcomes.find((o) => o.code === outcome)?.label ?? outcome}`,
        subject: { type: "assessment", id: assessment.id },
      });
      await completeWork(ctx.db, actor, {
        personId: person.id,
        kinds: ["assessment"],
        subject: { type: "assessment", id: assessment.id },
        doneOn: submittedOn,
      });
      ctx.audit({ summary: { outcome, factors: factors.length } });
    },
  });

  addAssessmentStep(app, services, {
    action: "authorise",
    permission: "journey.decide",
    audit: "assessment.authorise",
    save: async ({ ctx, actor, person, assessment }, reader) => {
      const version = reader.version();
      const authorisedOn = reader.date("authorisedOn", "the authorisation date", {
        required: true,
      });
      reader.done();
      if (!authorisedOn) throw new AppError("validation", "Check the authorisation");
      refuseIfBroken(
        authoriseAssessmentRules(
          {
            startedOn: assessment.started_on,
            submittedOn: assessment.submitted_on,
            authorisedOn: assessment.authorised_on,
          },
          authorisedOn,
          todayIn(ctx.now),
        ),
        "The assessment cannot be authorised",
      );
      const updated = await ctx.db
        .updateTable("assessment")
        .set({ authorised_on: authorisedOn, authorised_by: actor.userId, version: version + 1 })
        .where("id", "=", assessment.id)
        .where("version", "=", version)
        .where("authorised_on", "is", null)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) {
        throw new AppError(
          "conflict",
          "This assessment changed while you were looking at it. Nothing has been saved: reload it and check before authorising.",
        );
      }
      await recordEvent(ctx.db, actor, {
        personId: person.id,
        occurredOn: authorisedOn,
        kind: "assessment_authorised",
        summary: "Assessment authorised by a team manager",
        subject: { type: "assessment", id: assessment.id },
      });
      const next = await createNextStepOfAssessment(ctx, actor, {
        personId: person.id,
        assessmentId: assessment.id,
        outcome: assessment.outcome,
        authorisedOn,
      });
      ctx.audit({ summary: { nextStep: next } });
    },
  });
}

interface AssessmentStep {
  action: "submit" | "authorise";
  permission: Permission;
  audit: AuditKind;
  save: (
    step: { ctx: RouteContext; actor: Actor; person: VisiblePerson; assessment: Assessment },
    reader: FormReader,
  ) => Promise<void>;
}

/** A POST on one assessment: saved through saveForm, or the page shown again with the reasons. */
function addAssessmentStep(app: FastifyInstance, services: AppServices, step: AssessmentStep) {
  addRoute(app, services, {
    method: "POST",
    url: `/people/:id/assessments/:assessmentId/${step.action}`,
    permission: step.permission,
    audit: step.audit,
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const assessment = await findAssessment(ctx, request, person);
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          await step.save({ ctx, actor, person, assessment }, new FormReader(form));
          return { redirect: `/people/${person.id}/assessments/${assessment.id}` };
        },
        () => assessmentPage(ctx, person, assessment, form),
      );
    },
  });
}

/** The work each authorised outcome implies (decision 0020). */
export const assessmentNextStep: Record<AssessmentOutcome, WorkKind> = {
  no_further_action: "close_case",
  early_help: "close_case",
  cin_plan: "cin_plan",
  strategy_discussion: "strategy_discussion",
  looked_after: "looked_after",
};
type AssessmentOutcome = (typeof assessmentOutcomes)[number]["code"];

async function createNextStepOfAssessment(
  ctx: RouteContext,
  actor: Actor,
  input: { personId: string; assessmentId: string; outcome: string | null; authorisedOn: string },
): Promise<WorkKind | null> {
  const outcome = assessmentOutcomes.find((o) => o.code === input.outcome)?.code;
  if (!outcome) return null;
  const kind = assessmentNextStep[outcome];
  const dueOn =
    kind === "strategy_discussion"
      ? strategyDiscussionDue(
          input.authorisedOn,
          await strategyDiscussionWorkingDays(ctx.db, actor.laId),
        )
      : nextStepDue(input.authorisedOn);
  await createWork(ctx.db, actor, {
    personId: input.personId,
    kind,
    dueOn,
    createdOn: input.authorisedOn,
    source: { type: "assessment", id: input.assessmentId },
  });
  return kind;
}
