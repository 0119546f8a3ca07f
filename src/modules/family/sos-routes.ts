import type { FastifyInstance } from "fastify";
import { can } from "../../access/actor.ts";
import { notFound } from "../../platform/errors.ts";
import { saveForm } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import {
  familyIdFrom,
  getVisibleFamily,
  requireRecordable,
  requireTeamWork,
  workbookOf,
  type VisibleFamily,
} from "./family.ts";
import {
  saveSosMap,
  scalingRows,
  sosFormValues,
  sosMap,
  sosTextFields,
  sosVersions,
  type SosMap,
  type SosVersion,
} from "./sos-maps.ts";

/**
 * Signs of Safety maps of a family's Workbook: the team's own working space, so for LA
 * practitioners only (requireTeamWork). The page shows the latest version and lists the
 * earlier ones; each save adds a version and never changes an old one.
 */
const scoreItems = ["", ...Array.from({ length: 11 }, (_, i) => String(i))];

function mapPage(
  family: VisibleFamily,
  map: SosMap | undefined,
  versions: SosVersion[],
  canRecord: boolean,
): RouteResult {
  const latest = versions[0];
  return {
    view: "family/views/sos.njk",
    data: {
      title:
        map && latest && map.versionNo !== latest.versionNo
          ? `Signs of Safety map, version ${String(map.versionNo)}`
          : "Signs of Safety map",
      family,
      map,
      latest,
      versions,
      fields: sosTextFields,
      canRecord,
    },
  };
}

/** The form; `basedOn` is the version it starts from (0: none), `latest` the newest saved. */
function mapForm(
  family: VisibleFamily,
  values: Record<string, unknown>,
  basedOn: number,
  latest: SosVersion | undefined,
): RouteResult {
  return {
    view: "family/views/sos-form.njk",
    data: {
      title: latest
        ? "Record a new version of the Signs of Safety map"
        : "Record the Signs of Safety map",
      family,
      values,
      basedOn,
      latest,
      fields: sosTextFields,
      rows: scalingRows(),
      scoreItems,
    },
  };
}

export function registerSignsOfSafetyRoutes(app: FastifyInstance, services: AppServices): void {
  const base = "/families/:id/workbook/signs-of-safety";

  addRoute(app, services, {
    method: "GET",
    url: base,
    permission: "family.view",
    audit: "sos_map.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireTeamWork(actor);
      const workbook = workbookOf(family);
      const versions = await sosVersions(ctx.db, workbook.id);
      const latest = versions[0];
      const map = latest ? await sosMap(ctx.db, workbook.id, latest.versionNo) : undefined;
      if (map) ctx.audit({ subjectType: "sos_map", subjectId: map.id });
      const recordable = family.members.some((m) => !m.viaBreakGlassOnly);
      return mapPage(family, map, versions, can(actor, "workbook.write") && recordable);
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: `${base}/versions/:n`,
    permission: "family.view",
    audit: "sos_map.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireTeamWork(actor);
      const workbook = workbookOf(family);
      const { n } = request.params as { n: string };
      if (!/^[1-9]\d{0,8}$/.test(n)) throw notFound("Map");
      const map = await sosMap(ctx.db, workbook.id, Number(n));
      if (!map) throw notFound("Map");
      ctx.audit({ subjectType: "sos_map", subjectId: map.id });
      const versions = await sosVersions(ctx.db, workbook.id);
      const recordable = family.members.some((m) => !m.viaBreakGlassOnly);
      return mapPage(family, map, versions, can(actor, "workbook.write") && recordable);
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: `${base}/new`,
    permission: "workbook.write",
    audit: "sos_map.record.form",
    handler: async (request, _reply, ctx) => {
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireTeamWork(actorOf(ctx));
      requireRecordable(family);
      const workbook = workbookOf(family);
      const [latest] = await sosVersions(ctx.db, workbook.id);
      const map = latest ? await sosMap(ctx.db, workbook.id, latest.versionNo) : undefined;
      return mapForm(family, sosFormValues(map), latest?.versionNo ?? 0, latest);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: base,
    permission: "workbook.write",
    audit: "sos_map.record",
    handler: async (request, _reply, ctx) => {
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireTeamWork(actorOf(ctx));
      requireRecordable(family);
      const workbook = workbookOf(family);
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          await saveSosMap(ctx, family, workbook, form);
          return { redirect: `/families/${family.id}/workbook/signs-of-safety` };
        },
        async (error) => {
          // After a conflict the form is shown again on the newest version, named in the
          // message, so the user can read it before saving theirs; otherwise on their own.
          const [latest] = await sosVersions(ctx.db, workbook.id);
          const submitted = Number(typeof form.basedOn === "string" ? form.basedOn : 0) || 0;
          const basedOn = error.code === "conflict" ? (latest?.versionNo ?? 0) : submitted;
          return mapForm(family, form, basedOn, latest);
        },
      );
    },
  });
}
