/**
 * The child's chronology: every significant event from every module in one timeline,
 * filterable by agency and by type of event, and printable.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { chronologyLabel, chronologyTypes, type ChronologyType } from "../../domain/chronology.ts";
import { actorOf, addRoute, type AppServices } from "../../platform/routes.ts";
import { Id, PersonParams } from "../../platform/schemas.ts";
import { getVisiblePerson } from "../people/routes.ts";
import { agenciesOf, ALL, chronologyOf, RECENT, type ChronologyFilters } from "./service.ts";

/** The filters: a value the page does not offer (an agency not an id, an unknown type) is ignored. */
const ChronologyQuery = z.object({
  agency: z
    .unknown()
    .optional()
    .transform((value) => Id.safeParse(value).data),
  type: z
    .unknown()
    .optional()
    .transform(
      (value): ChronologyType | undefined => chronologyTypes.find((t) => t.code === value)?.code,
    ),
  all: z
    .unknown()
    .optional()
    .transform((value) => value === "1"),
}) satisfies z.ZodType<ChronologyFilters>;

export function registerChronologyRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/chronology",
    permission: "journey.view",
    audit: "chronology.view",
    personParam: "id",
    params: PersonParams,
    query: ChronologyQuery,
    handler: async (_request, _reply, ctx, { params, query: filters }) => {
      actorOf(ctx);
      const person = await getVisiblePerson(ctx, params.id);
      const [entries, agencies] = await Promise.all([
        chronologyOf(ctx.db, person.id, filters),
        agenciesOf(ctx.db, person.id),
      ]);
      ctx.audit({
        summary: { filtered: Boolean(filters.agency ?? filters.type), all: filters.all },
      });
      return {
        view: "chronology/views/chronology.njk",
        data: {
          title: `Chronology: ${person.given_name} ${person.family_name}`,
          person,
          filters,
          agencies,
          types: chronologyTypes,
          truncated: entries.length > (filters.all ? ALL : RECENT),
          showAllHref: `/people/${person.id}/chronology?${new URLSearchParams({
            ...(filters.agency ? { agency: filters.agency } : {}),
            ...(filters.type ? { type: filters.type } : {}),
            all: "1",
          }).toString()}`,
          entries: entries
            .slice(0, filters.all ? ALL : RECENT)
            .map((e) => ({ ...e, label: chronologyLabel(e.kind) })),
        },
      };
    },
  });
}
