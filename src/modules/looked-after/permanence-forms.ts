/**
 * The four forms of the adoption and permanence pages (decision 0042), each a zod route
 * contract: the adoption (AD1), a decision that the child should be placed for adoption
 * (PlacedAdoption), previous permanence (PrevPerm) and a year's OC2 outcomes. Each form's page
 * is shown for whoever may record on the child (getPersonToRecordOn), and the service asks
 * src/access/ again before it writes.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { todayIn } from "../../domain/dates.ts";
import {
  adopterLegalStatusCodes,
  adopterSexCodes,
  placedCeasedReasons,
  previousPermanenceCodes,
  sdqReasons,
} from "../../domain/permanence.ts";
import { collectionPeriod } from "../../domain/ssda903/model.ts";
import { AppError } from "../../platform/errors.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { dateParts } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { PersonParams } from "../../platform/schemas.ts";
import { getPersonToRecordOn } from "../people/routes.ts";
import {
  AdoptionForm,
  DecisionForm,
  DecisionParams,
  OutcomesForm,
  OutcomesParams,
  PreviousForm,
  radios,
  yesNoField,
  type Field,
} from "./permanence-fields.ts";
import {
  adoptionDecisionsOf,
  latestAdoption,
  latestOutcomes,
  latestPreviousPermanence,
  recordAdoption,
  recordAdoptionDecision,
  recordOutcomes,
  recordPreviousPermanence,
} from "./permanence-service.ts";

const today = (ctx: RouteContext) => todayIn(ctx.now);

const DATE_FIELDS = new Set([
  "bestInterestOn",
  "placementOrderOn",
  "matchedOn",
  "adoptedOn",
  "decidedOn",
  "placedOn",
  "ceasedOn",
  "permDate",
]);

/** A service's problem on a date names the day box, as the GOV.UK date pattern asks. */
async function saving(save: () => Promise<unknown>, next: string): Promise<RouteResult> {
  try {
    await save();
  } catch (error) {
    if (error instanceof AppError && error.code === "validation") {
      const fields = error.fieldErrors.map((e) => ({
        ...e,
        field: DATE_FIELDS.has(e.field) ? `${e.field}-day` : e.field,
      }));
      throw new AppError("validation", error.message, fields);
    }
    throw error;
  }
  return { redirect: next };
}

const yn = (value: boolean | null | undefined) =>
  value === true ? "yes" : value === false ? "no" : "";
const back = (person: VisiblePerson) => `/people/${person.id}/looked-after/permanence`;

function formPage(
  person: VisiblePerson,
  values: FormValues,
  spec: { title: string; action: string; button: string; intro?: string; fields: Field[] },
): RouteResult {
  return { view: "looked-after/views/permanence-form.njk", data: { person, values, ...spec } };
}

function registerForm<P extends z.ZodType, B extends z.ZodType>(
  app: FastifyInstance,
  services: AppServices,
  spec: {
    url: string;
    params: P;
    body: B;
    stored: (ctx: RouteContext, person: VisiblePerson, params: z.output<P>) => Promise<FormValues>;
    page: (person: VisiblePerson, values: FormValues, params: z.output<P>) => RouteResult;
    save: (
      ctx: RouteContext,
      person: VisiblePerson,
      body: z.output<B>,
      params: z.output<P>,
    ) => Promise<unknown>;
  },
): void {
  addRoute(app, services, {
    method: "GET",
    url: spec.url,
    permission: "journey.record",
    audit: "cla.view",
    personParam: "id",
    params: spec.params,
    handler: async (_request, _reply, ctx, { params }) => {
      const person = await getPersonToRecordOn(ctx, (params as { id: string }).id);
      return spec.page(person, await spec.stored(ctx, person, params), params);
    },
  });
  addFormRoute(app, services, {
    url: spec.url,
    permission: "journey.record",
    audit: "cla.record",
    personParam: "id",
    params: spec.params,
    body: spec.body,
    load: async (ctx, params) => ({
      person: await getPersonToRecordOn(ctx, (params as { id: string }).id),
      params,
    }),
    page: (_ctx, { person, params }, values) => spec.page(person, values, params),
    save: async (ctx, { person }, body, params) => {
      const result = await saving(() => spec.save(ctx, person, body, params), back(person));
      ctx.audit({
        subjectType: "person",
        subjectId: person.id,
        summary: { form: spec.url.split("/")[4] ?? "" },
      });
      return result;
    },
  });
}

export function registerPermanenceForms(app: FastifyInstance, services: AppServices): void {
  registerForm(app, services, {
    url: "/people/:id/looked-after/adoption",
    params: PersonParams,
    body: AdoptionForm,
    stored: async (ctx, person) => {
      const a = await latestAdoption(ctx.db, person.id);
      if (!a) return {};
      return {
        ...dateParts("bestInterestOn", a.best_interest_on),
        ...dateParts("placementOrderOn", a.placement_order_on),
        ...dateParts("matchedOn", a.matched_on),
        ...dateParts("adoptedOn", a.adopted_on),
        fosterCare: yn(a.foster_care),
        numberOfAdopters: a.number_of_adopters?.toString() ?? "",
        sexOfAdopters: a.sex_of_adopters ?? "",
        legalStatusOfAdopters: a.legal_status_of_adopters ?? "",
      };
    },
    page: (person, values) =>
      formPage(person, values, {
        title: "Adoption",
        action: `/people/${person.id}/looked-after/adoption`,
        button: "Save adoption",
        fields: [
          {
            kind: "date",
            name: "bestInterestOn",
            label:
              "Date of the decision that adoption is in the child's best interests (should be placed)",
          },
          {
            kind: "date",
            name: "placementOrderOn",
            label: "Date of the placement order (if there is one)",
          },
          { kind: "date", name: "matchedOn", label: "Date the child was matched with adopters" },
          yesNoField("fosterCare", "Is the child being adopted by their foster carers?", values),
          radios(
            "numberOfAdopters",
            "Number of adopters",
            [
              { code: "1", label: "One" },
              { code: "2", label: "Two" },
            ],
            values,
          ),
          radios("sexOfAdopters", "The adopters", adopterSexCodes, values),
          radios(
            "legalStatusOfAdopters",
            "The adopters' legal status",
            adopterLegalStatusCodes,
            values,
          ),
          {
            kind: "date",
            name: "adoptedOn",
            label: "Date of the adoption order (when it is made)",
          },
        ],
      }),
    save: (ctx, person, body) =>
      recordAdoption(ctx.db, actorOf(ctx), {
        personId: person.id,
        now: ctx.now,
        today: today(ctx),
        adoption: {
          ...body,
          numberOfAdopters: body.numberOfAdopters === null ? null : Number(body.numberOfAdopters),
        },
      }),
  });

  registerForm(app, services, {
    url: "/people/:id/looked-after/adoption-decisions/:decision",
    params: DecisionParams,
    body: DecisionForm,
    stored: async (ctx, person, params) => {
      if (params.decision === "new") return {};
      const d = (await adoptionDecisionsOf(ctx.db, person.id)).find(
        (x) => x.id === params.decision,
      );
      if (!d) throw new AppError("not_found", "Page not found");
      return {
        ...dateParts("decidedOn", d.decidedOn),
        ...dateParts("placedOn", d.placedOn),
        ...dateParts("ceasedOn", d.ceasedOn),
        ceasedReason: d.ceasedReason ?? "",
      };
    },
    page: (person, values, params) =>
      formPage(person, values, {
        title: "Decision that the child should be placed for adoption",
        action: `/people/${person.id}/looked-after/adoption-decisions/${params.decision}`,
        button: "Save decision",
        intro:
          "The decision, the date the child was placed with prospective adopters, and, if it happened, the decision that they should no longer be placed.",
        fields: [
          {
            kind: "date",
            name: "decidedOn",
            label: "Date of the decision that the child should be placed for adoption",
          },
          {
            kind: "date",
            name: "placedOn",
            label: "Date the child was placed for adoption (if they have been)",
          },
          {
            kind: "date",
            name: "ceasedOn",
            label:
              "Date of the decision that the child should no longer be placed (if there was one)",
          },
          radios(
            "ceasedReason",
            "Why the child should no longer be placed for adoption",
            placedCeasedReasons,
            values,
          ),
        ],
      }),
    save: (ctx, person, body, params) =>
      recordAdoptionDecision(ctx.db, actorOf(ctx), {
        personId: person.id,
        now: ctx.now,
        today: today(ctx),
        decision: { ...body, ...(params.decision === "new" ? {} : { id: params.decision }) },
      }),
  });

  registerForm(app, services, {
    url: "/people/:id/looked-after/previous-permanence",
    params: PersonParams,
    body: PreviousForm,
    stored: async (ctx, person) => {
      const p = await latestPreviousPermanence(ctx.db, person.id);
      if (!p) return {};
      return {
        prevPerm: p.prev_perm,
        laPerm: p.la_perm ?? "",
        "permDate-day": p.perm_day?.toString() ?? "",
        "permDate-month": p.perm_month?.toString() ?? "",
        "permDate-year": p.perm_year?.toString() ?? "",
      };
    },
    page: (person, values) =>
      formPage(person, values, {
        title: "Permanence before this period of care",
        action: `/people/${person.id}/looked-after/previous-permanence`,
        button: "Save previous permanence",
        fields: [
          radios(
            "prevPerm",
            "Before this period of care, did the child have",
            previousPermanenceCodes,
            values,
          ),
          {
            kind: "text",
            name: "laPerm",
            label: "The council that arranged it (its three-digit DfE code)",
            hint: "Leave empty if not known",
          },
          {
            kind: "partialDate",
            name: "permDate",
            label: "Date of the order",
            hint: "Give what is known: the year, the month and year, or the whole date",
          },
        ],
      }),
    save: (ctx, person, body) =>
      recordPreviousPermanence(ctx.db, actorOf(ctx), {
        personId: person.id,
        now: ctx.now,
        today: today(ctx),
        permanence: {
          prevPerm: body.prevPerm,
          laPerm: body.laPerm === "" ? null : body.laPerm,
          ...body.permDate,
        },
      }),
  });

  registerForm(app, services, {
    url: "/people/:id/looked-after/outcomes/:year",
    params: OutcomesParams,
    body: OutcomesForm,
    stored: async (ctx, person, params) => {
      const o = await latestOutcomes(ctx.db, person.id, params.year);
      if (!o) return {};
      return {
        sdqScore: o.sdq_score?.toString() ?? "",
        sdqReason: o.sdq_reason ?? "",
        convicted: yn(o.convicted),
        healthCheck: yn(o.health_check),
        immunisations: yn(o.immunisations),
        teethCheck: yn(o.teeth_check),
        healthAssessment: yn(o.health_assessment),
        substanceMisuse: yn(o.substance_misuse),
        interventionReceived: yn(o.intervention_received),
        interventionOffered: yn(o.intervention_offered),
      };
    },
    page: (person, values, params) =>
      formPage(person, values, {
        title: `Outcomes for the year to 31 March ${collectionPeriod(params.year).end.slice(0, 4)}`,
        action: `/people/${person.id}/looked-after/outcomes/${params.year}`,
        button: "Save outcomes",
        intro:
          "For a child looked after continuously for 12 months at 31 March (the SSDA903's OC2). Leave a question unanswered where it does not apply.",
        fields: [
          {
            kind: "text",
            name: "sdqScore",
            label: "Strengths and Difficulties Questionnaire score (0 to 40)",
            hint: "For a child aged 4 to 16",
          },
          radios("sdqReason", "Or: why there is no SDQ score", sdqReasons, values),
          yesNoField(
            "convicted",
            "Was the child convicted or subject to a youth caution in the year?",
            values,
            "For a child 10 or over on 31 March",
          ),
          yesNoField(
            "healthCheck",
            "Are the child's development checks up to date?",
            values,
            "For a child under 5 on 31 March",
          ),
          yesNoField("immunisations", "Are the child's immunisations up to date?", values),
          yesNoField(
            "teethCheck",
            "Were the child's teeth checked by a dentist in the year?",
            values,
          ),
          yesNoField(
            "healthAssessment",
            "Did the child have their annual health assessment?",
            values,
          ),
          yesNoField(
            "substanceMisuse",
            "Was the child identified as having a substance misuse problem?",
            values,
          ),
          yesNoField(
            "interventionReceived",
            "Did the child receive an intervention for it?",
            values,
          ),
          yesNoField("interventionOffered", "If not, was an intervention offered?", values),
        ],
      }),
    save: (ctx, person, body, params) =>
      recordOutcomes(ctx.db, actorOf(ctx), {
        personId: person.id,
        now: ctx.now,
        today: today(ctx),
        year: params.year,
        outcomes: body,
      }),
  });
}
