import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { can } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { AppError, type FieldError } from "../../platform/errors.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { errorList, fieldErrors } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { Id, PersonParams } from "../../platform/schemas.ts";
import type { Choice } from "../network/queries.ts";
import { getVisiblePerson } from "../people/routes.ts";
import { heatGrid, scatterMap } from "./charts.ts";
import { incidentsByPlace, incidentsByWardAndMonth, readHotspotFilter } from "./hotspots.ts";
import { IncidentForm, incidentKinds } from "./input.ts";
import { visibleIncidentsOfChild } from "./queries.ts";
import { incidentChoices, recordIncident } from "./service.ts";

/** The form for a child: ticked only if they are one the actor may name (checked on save). */
const NewIncidentQuery = z.object({
  child: z
    .unknown()
    .optional()
    .transform((value) => Id.safeParse(value).data),
});

/** The period and kind: a wrong one is named on the page, which still shows (the defaults). */
const HotspotQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  kind: z.string().optional(),
});

/** The values a form field holds: one or several (ticked checkboxes). */
const valuesOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");

const selectOf = (choices: readonly Choice[], selected: unknown, prompt: string) => [
  { value: "", text: prompt },
  ...choices.map((c) => ({ value: c.id, text: c.name, selected: c.id === selected })),
];

const checkboxesOf = (choices: readonly Choice[], ticked: unknown) =>
  choices.map((c) => ({ value: c.id, text: c.name, checked: valuesOf(ticked).includes(c.id) }));

async function incidentForm(ctx: RouteContext, values: FormValues): Promise<RouteResult> {
  const choices = await incidentChoices(ctx.db, actorOf(ctx), ctx.now);
  const child = choices.children.find((c) => valuesOf(values.childIds).includes(c.id));
  return {
    view: "incidents/views/incident-form.njk",
    data: {
      title: "Record an incident",
      values,
      backHref: child ? `/people/${child.id}/incidents` : "/hotspots",
      kindItems: incidentKinds.map((k) => ({
        value: k.code,
        text: k.label,
        checked: k.code === values.kind,
      })),
      placeItems: selectOf(choices.places, values.locationId, "No place, or not known"),
      agencyItems:
        choices.agencies.length > 1
          ? selectOf(choices.agencies, values.sourceOrganisationId, "Select")
          : [],
      soleAgency: choices.agencies.length === 1 ? choices.agencies[0]?.name : undefined,
      childItems: checkboxesOf(choices.children, values.childIds),
      concernItems: checkboxesOf(choices.personsOfConcern, values.personOfConcernIds),
    },
  };
}

/** Incidents at places and involving children, and hotspots over time. */
export function registerIncidentRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/incidents/new",
    permission: "intelligence.record",
    audit: "incident.record.form",
    query: NewIncidentQuery,
    handler: (_request, _reply, ctx, { query }) =>
      incidentForm(ctx, {
        sourceOrganisationId: actorOf(ctx).organisationId,
        ...(query.child ? { childIds: [query.child] } : {}),
      }),
  });

  addFormRoute(app, services, {
    url: "/incidents",
    permission: "intelligence.record",
    audit: "incident.record",
    params: z.object({}),
    body: IncidentForm,
    load: () => Promise.resolve(undefined),
    page: (ctx, _loaded, values) => incidentForm(ctx, values),
    save: async (ctx, _loaded, body) => {
      const { id, childIds } = await recordIncident(ctx.db, actorOf(ctx), body, ctx.now);
      ctx.audit({ personIds: childIds, subjectType: "incident", subjectId: id });
      const [first] = childIds;
      return { redirect: first ? `/people/${first}/incidents` : "/hotspots" };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/incidents",
    permission: "exploitation.view",
    audit: "incident.view",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx, { params }) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, params.id);
      const incidents = await visibleIncidentsOfChild(ctx.db, actor, ctx.now, person.id);
      ctx.audit({
        personIds: [...new Set(incidents.flatMap((i) => i.children.map((c) => c.id)))],
        summary: {
          incidents: incidents.length,
          ...(person.via_break_glass ? { breakGlass: true } : {}),
        },
      });
      return {
        view: "incidents/views/incidents.njk",
        data: {
          title: `Incidents involving ${person.given_name} ${person.family_name}`,
          person,
          incidents,
          canRecord: can(actor, "intelligence.record") && mayAddToRecord(person.via_break_glass),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/hotspots",
    permission: "exploitation.view",
    audit: "hotspot.view",
    query: HotspotQuery,
    handler: async (_request, _reply, ctx, { query }) => {
      const actor = actorOf(ctx);
      const { filter, errors } = readHotspotFilter(query, ctx.now);
      const table = await incidentsByWardAndMonth(ctx.db, actor, filter);
      const places = await incidentsByPlace(ctx.db, actor, filter);
      ctx.audit({
        summary: { from: filter.from, to: filter.to, kind: filter.kind, incidents: table.total },
      });
      return {
        view: "incidents/views/hotspots.njk",
        status: errors.length > 0 ? 400 : 200,
        data: {
          title: "Hotspots",
          ...errorData(errors),
          values: {
            from: typeof query.from === "string" ? query.from : filter.from,
            to: typeof query.to === "string" ? query.to : filter.to,
          },
          filter,
          kindItems: [
            { value: "", text: "Every kind" },
            ...incidentKinds.map((k) => ({
              value: k.code,
              text: k.label,
              selected: k.code === filter.kind,
            })),
          ],
          kindLabel: incidentKinds.find((k) => k.code === filter.kind)?.label,
          table,
          grid: heatGrid(table),
          places,
          map: scatterMap(places, filter.from, filter.to),
        },
      };
    },
  });
}

/** The error summary and messages for a filter's wrong fields (the page still shows). */
function errorData(errors: FieldError[]): Record<string, unknown> {
  if (errors.length === 0) return {};
  const error = new AppError("validation", "Check the period", errors);
  return { errors: errorList(error), fieldErrors: fieldErrors(error) };
}
