import type { FastifyInstance } from "fastify";
import { networkAround, type NetworkAround } from "./graph.ts";
import { can } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import {
  ageBands,
  concernRiskLevels,
  informationGradings,
  locationKinds,
  sourceGradings,
} from "../../domain/exploitation.ts";
import type { Db } from "../../platform/database.ts";
import { notFound } from "../../platform/errors.ts";
import { saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import type { Actor } from "../../access/actor.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { acknowledgeNetworkAlert, openAlertsOnChild } from "./alerts.ts";
import { associationKindOf, associationKinds, type AssociationKind } from "./input.ts";
import { registerNetworkGraphRoutes } from "./graph-routes.ts";
import { registerNodeRoutes } from "./node-routes.ts";
import {
  childChoices,
  groupChoices,
  personOfConcernChoices,
  placeChoices,
  sourceAgencies,
  visibleAssociations,
  type Choice,
} from "./queries.ts";
import { recordAssociation } from "./service.ts";

/** How far from the child the network page looks: their contacts, and their contacts' contacts. */
const NETWORK_STEPS = 2;

/** Where a node of the network links to. */
function nodeHref(key: string): string | null {
  const [kind, id] = key.split(":");
  if (kind === "child") return `/people/${id ?? ""}`;
  if (kind === "poc") return `/network/persons/${id ?? ""}`;
  if (kind === "place") return `/network/places/${id ?? ""}`;
  if (kind === "group") return `/network/groups/${id ?? ""}`;
  return null;
}

const kindLabels: Record<string, string> = {
  child: "Child",
  poc: "Person of concern",
  place: "Place",
  group: "Peer group",
};

/**
 * The analysis of the network the actor may see around the child, for the page: the child's
 * peer group (their community by Louvain), who is within reach and how far, the most connected,
 * and the children near someone assessed as high risk.
 */
function connectionsView(around: NetworkAround) {
  const node = (key: string, label: string, kind: string) => ({
    key,
    label,
    kind: kindLabels[kind] ?? kind,
    href: nodeHref(key),
  });
  const community = around.groups.community.get(around.centre);
  const peerGroup = (around.groups.groups.find((g) => g.includes(around.centre)) ?? [])
    .filter((key) => key !== around.centre)
    .map((key) => {
      const { label, kind } = around.graph.getNodeAttributes(key);
      return node(key, label, kind);
    });
  const distances = around.distances
    .filter((d) => d.key !== around.centre)
    .map((d) => ({ ...node(d.key, d.label, d.kind), distance: d.distance }));
  return {
    community,
    peerGroup,
    distances,
    mostConnected: around.mostConnected.map((r) => ({
      ...node(r.key, r.label, r.kind),
      degree: r.degree,
    })),
    nearHighRisk: around.nearHighRisk.map((c) => ({
      child: node(c.key, c.label, "child"),
      nearest: node(c.nearest.key, c.nearest.label, c.nearest.kind),
      distance: c.distance,
    })),
    childIds: around.graph
      .filterNodes((_key, attributes) => attributes.kind === "child")
      .map((key) => key.slice("child:".length)),
  };
}

/** Intelligence (persons of concern, places, peer groups, associations) and the network. */
export function registerNetworkRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/network",
    permission: "exploitation.view",
    audit: "network.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      const associations = await visibleAssociations(ctx.db, actor, ctx.now, {
        child: person.id,
      });
      const alerts = await openAlertsOnChild(ctx.db, actor, ctx.now, person.id);
      const mayAdd = mayAddToRecord(person.via_break_glass);
      const around = await networkAround(ctx.db, actor, person.id, NETWORK_STEPS, ctx.now);
      const connections = around ? connectionsView(around) : undefined;
      ctx.audit({
        personIds: [
          ...new Set([
            ...associations.filter((a) => a.with.kind === "child").map((a) => a.with.id),
            ...(connections?.childIds ?? []),
          ]),
        ],
        summary: {
          associations: associations.length,
          ...(person.via_break_glass ? { breakGlass: true } : {}),
        },
      });
      return {
        view: "network/views/network.njk",
        data: {
          title: `Network around ${person.given_name} ${person.family_name}`,
          person,
          associations,
          alerts,
          connections,
          steps: NETWORK_STEPS,
          canRecord: can(actor, "intelligence.record") && mayAdd,
          canAcknowledge: can(actor, "exploitation.record") && mayAdd,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/network/alerts/:alertId/acknowledge",
    permission: "exploitation.record",
    audit: "intelligence.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const { alertId } = request.params as { alertId: unknown };
      if (!isUuid(alertId)) throw notFound("Alert");
      const done = await acknowledgeNetworkAlert(ctx.db, actor, ctx.now, person.id, alertId);
      if (!done) throw notFound("Alert");
      ctx.audit({ subjectType: "network_alert", subjectId: alertId });
      return { redirect: `/people/${person.id}/network` };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/associations/new",
    permission: "intelligence.record",
    audit: "intelligence.record.form",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const query = request.query as Record<string, unknown>;
      const kind = associationKindOf(query.kind);
      const values: Record<string, unknown> = { sourceOrganisationId: actorOf(ctx).organisationId };
      if (kind === "child" && isUuid(query.otherChild)) values.otherChildId = query.otherChild;
      return kind ? associationForm(ctx, person, kind, values) : kindPage(person);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/associations",
    permission: "intelligence.record",
    audit: "intelligence.record",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getPersonToRecordOn(ctx, personIdFrom(request));
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          await recordAssociation(ctx, actor, person, form);
          return { redirect: `/people/${person.id}/network` };
        },
        () => {
          const kind = associationKindOf(form.kind);
          return kind ? associationForm(ctx, person, kind, form) : kindPage(person, form);
        },
      );
    },
  });

  registerNodeRoutes(app, services);
  registerNetworkGraphRoutes(app, services);
}

function kindPage(person: VisiblePerson, values: Record<string, unknown> = {}): RouteResult {
  return {
    view: "network/views/association-kind.njk",
    data: {
      title: `Record an association for ${person.given_name} ${person.family_name}`,
      person,
      kindItems: associationKinds.map((k) => ({
        value: k.code,
        text: k.label,
        checked: values.kind === k.code,
      })),
    },
  };
}

const selectOf = (choices: readonly Choice[], selected: unknown, prompt: string) => [
  { value: "", text: prompt },
  ...choices.map((c) => ({ value: c.id, text: c.name, selected: c.id === selected })),
];

const itemsOf = (list: readonly { code: string; label: string }[], selected: unknown) =>
  list.map((entry) => ({ value: entry.code, text: entry.label, checked: entry.code === selected }));

async function choicesFor(
  db: Db,
  actor: Actor,
  now: Date,
  person: VisiblePerson,
  kind: AssociationKind,
): Promise<Choice[]> {
  if (kind === "child") return childChoices(db, actor, now, person.id);
  if (kind === "person") return personOfConcernChoices(db, actor, now);
  if (kind === "place") return placeChoices(db, actor);
  if (kind === "group") return groupChoices(db, actor, now);
  return [];
}

const choiceFields: Partial<Record<AssociationKind, { name: string; label: string }>> = {
  child: { name: "otherChildId", label: "Child" },
  person: { name: "personOfConcernId", label: "Person of concern" },
  place: { name: "locationId", label: "Place" },
  group: { name: "peerGroupId", label: "Peer group" },
};

async function associationForm(
  ctx: RouteContext,
  person: VisiblePerson,
  kind: AssociationKind,
  values: Record<string, unknown>,
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const choiceField = choiceFields[kind];
  const choices = choiceField ? await choicesFor(ctx.db, actor, ctx.now, person, kind) : [];
  const agencies = await sourceAgencies(ctx.db, actor);
  const withSelect = (list: readonly { code: string; label: string }[], name: string) =>
    selectOf(
      list.map((e) => ({ id: e.code, name: e.label })),
      values[name],
      "Select",
    );
  return {
    view: "network/views/association-form.njk",
    data: {
      title: `Record an association for ${person.given_name} ${person.family_name}`,
      person,
      kind,
      kindLabel: associationKinds.find((k) => k.code === kind)?.label ?? kind,
      values,
      choiceField,
      choiceItems: choiceField ? selectOf(choices, values[choiceField.name], "Select") : [],
      noChoices: choiceField !== undefined && choices.length === 0,
      newKind: { person: "new_person", place: "new_place", group: "new_group" }[kind as string],
      agencyItems:
        agencies.length > 1 ? selectOf(agencies, values.sourceOrganisationId, "Select") : [],
      soleAgency: agencies.length === 1 ? agencies[0]?.name : undefined,
      sourceGradingItems: itemsOf(sourceGradings, values.sourceGrading),
      informationGradingItems: itemsOf(informationGradings, values.informationGrading),
      ageBandItems: withSelect(ageBands, "pocAgeBand"),
      riskLevelItems: withSelect(concernRiskLevels, "pocRiskLevel"),
      placeKindItems: withSelect(locationKinds, "placeKind"),
    },
  };
}
