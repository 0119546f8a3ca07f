/**
 * The pages for a looked-after child's adoption, decisions to place for adoption, previous
 * permanence and OC2 outcomes (decision 0042): a summary page, and one form each, with route
 * contracts. The forms' fields are listed here and drawn by one template (permanence-form.njk);
 * saving goes through permanence-service.ts, which asks src/access/ who may record.
 */
import type { FastifyInstance } from "fastify";
import { labelFor, type CodeList } from "../../domain/code-list.ts";
import { formatDate } from "../../domain/dates.ts";
import {
  adopterLegalStatusCodes,
  adopterSexCodes,
  datePerm,
  placedCeasedReasons,
  previousPermanenceCodes,
  sdqReasons,
} from "../../domain/permanence.ts";
import { ssda903Years } from "../../domain/ssda903/model.ts";
import type { Db } from "../../platform/database.ts";
import { actorOf, addRoute, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { PersonParams } from "../../platform/schemas.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getVisiblePerson } from "../people/routes.ts";
import { mayRecord } from "./common.ts";
import { registerPermanenceForms } from "./permanence-forms.ts";
import {
  adoptionDecisionsOf,
  latestAdoption,
  latestOutcomes,
  latestPreviousPermanence,
} from "./permanence-service.ts";

const yesNo = (value: boolean | null | undefined) =>
  value === true ? "Yes" : value === false ? "No" : "Not answered";
const when = (iso: string | null | undefined) => (iso ? formatDate(iso) : "Not recorded");
const coded = (list: CodeList, code: string | null | undefined) =>
  code ? `${labelFor(list, code)} (${code})` : "Not recorded";
const rowsOf = (pairs: [string, string][]) =>
  pairs.map(([key, value]) => ({ key: { text: key }, value: { text: value } }));

async function permanencePage(db: Db, person: VisiblePerson, canRecord: boolean) {
  const [adoption, decisions, previous, ...outcomes] = await Promise.all([
    latestAdoption(db, person.id),
    adoptionDecisionsOf(db, person.id),
    latestPreviousPermanence(db, person.id),
    ...ssda903Years.map((year) => latestOutcomes(db, person.id, year)),
  ]);
  return {
    view: "looked-after/views/permanence.njk",
    data: {
      title: "Adoption, permanence and outcomes",
      person,
      canRecord,
      adoption:
        adoption &&
        rowsOf([
          [
            "Decision that adoption is in the child's best interests",
            when(adoption.best_interest_on),
          ],
          ["Placement order", when(adoption.placement_order_on)],
          ["Matched with adopters", when(adoption.matched_on)],
          ["Adopted by their foster carers", yesNo(adoption.foster_care)],
          ["Number of adopters", adoption.number_of_adopters?.toString() ?? "Not recorded"],
          ["Adopters", coded(adopterSexCodes, adoption.sex_of_adopters)],
          [
            "Adopters' legal status",
            coded(adopterLegalStatusCodes, adoption.legal_status_of_adopters),
          ],
          ["Adoption order", when(adoption.adopted_on)],
        ]),
      decisions: decisions.map((d) => ({
        id: d.id,
        rows: rowsOf([
          ["Decided", when(d.decidedOn)],
          ["Placed for adoption", when(d.placedOn)],
          ["Should no longer be placed", when(d.ceasedOn)],
          ["Why", coded(placedCeasedReasons, d.ceasedReason)],
        ]),
      })),
      previous:
        previous &&
        rowsOf([
          ["Previous permanence", coded(previousPermanenceCodes, previous.prev_perm)],
          ["Council that arranged it", previous.la_perm ?? "Not known"],
          [
            "Date of the order",
            datePerm({
              year: previous.perm_year,
              month: previous.perm_month,
              day: previous.perm_day,
            }) || "Not known",
          ],
        ]),
      outcomes: ssda903Years.map((year, i) => {
        const o = outcomes[i];
        return {
          year,
          yearEnd: String(Number(year.slice(0, 4)) + 1),
          rows:
            o &&
            rowsOf([
              ["SDQ score", o.sdq_score?.toString() ?? coded(sdqReasons, o.sdq_reason)],
              ["Convicted in the year", yesNo(o.convicted)],
              ["Development checks up to date", yesNo(o.health_check)],
              ["Immunisations up to date", yesNo(o.immunisations)],
              ["Teeth checked", yesNo(o.teeth_check)],
              ["Health assessment", yesNo(o.health_assessment)],
              ["Substance misuse problem", yesNo(o.substance_misuse)],
              ["Intervention received", yesNo(o.intervention_received)],
              ["Intervention offered", yesNo(o.intervention_offered)],
            ]),
        };
      }),
    },
  };
}

export function registerPermanenceRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/looked-after/permanence",
    permission: "journey.view",
    audit: "cla.view",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx: RouteContext, { params }) => {
      const person = await getVisiblePerson(ctx, params.id);
      return permanencePage(ctx.db, person, mayRecord(actorOf(ctx), person));
    },
  });
  registerPermanenceForms(app, services);
}
