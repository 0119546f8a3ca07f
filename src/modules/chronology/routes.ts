/**
 * The child's chronology: every significant event from every module in one timeline,
 * filterable by agency and by type of event, and printable.
 */
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { AppError } from "../../platform/errors.ts";
import {
  chronologyLabel,
  chronologyTypes,
  kindsOfType,
  type ChronologyType,
} from "../../domain/chronology.ts";
import { addRoute, isUuid, type AppServices } from "../../platform/routes.ts";
import { getVisiblePerson, personIdFrom } from "../people/routes.ts";
import type { Db } from "../../platform/database.ts";

/** The most recent entries the page shows first; "Show all" lifts it (e.g. to print). */
const RECENT = 500;
/** Even "all" stops here, so one request cannot read without bound. */
const ALL = 20_000;

interface Filters {
  agency: string | undefined;
  type: ChronologyType | undefined;
  all: boolean;
}

function filtersFrom(query: Record<string, unknown>): Filters {
  const agency = isUuid(query.agency) ? query.agency : undefined;
  const type = chronologyTypes.find((t) => t.code === query.type)?.code;
  return { agency, type, all: query.all === "1" };
}

async function chronologyOf(db: Db, personId: string, filters: Filters) {
  let query = db
    .selectFrom("chronology_entry as c")
    .innerJoin("organisation as o", "o.id", "c.organisation_id")
    .innerJoin("app_user as u", "u.id", "c.recorded_by")
    .select([
      "c.id",
      "c.occurred_on",
      "c.kind",
      "c.summary",
      "o.name as organisation_name",
      "o.kind as organisation_kind",
      "u.display_name as recorded_by_name",
    ])
    .where("c.person_id", "=", personId);
  if (filters.agency) query = query.where("c.organisation_id", "=", filters.agency);
  if (filters.type) query = query.where("c.kind", "in", kindsOfType(filters.type));
  return query
    .orderBy("c.occurred_on", "desc")
    .orderBy("c.recorded_at", "desc")
    .limit((filters.all ? ALL : RECENT) + 1)
    .execute();
}

/** The agencies that have added to this person's chronology, for the filter. */
async function agenciesOf(db: Db, personId: string) {
  return db
    .selectFrom("organisation as o")
    .select(["o.id", "o.name"])
    .where(
      sql<boolean>`exists (select 1 from chronology_entry c
        where c.person_id = ${personId} and c.organisation_id = o.id)`,
    )
    .orderBy("o.name")
    .execute();
}

export function registerChronologyRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/chronology",
    permission: "journey.view",
    audit: "chronology.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      if (!ctx.actor) throw new AppError("unauthenticated", "Sign in first");
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      const filters = filtersFrom(request.query as Record<string, unknown>);
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
