import type { FastifyInstance, FastifyRequest } from "fastify";
import { can } from "../../access/actor.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { dateParts, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import {
  familyIdFrom,
  getVisibleFamily,
  requireRecordable,
  requireTeamWork,
  workbookOf,
  type VisibleFamily,
} from "./family.ts";
import {
  conferenceIn,
  conferencesOf,
  recordConference,
  referForConference,
  type FamilyGroupConference,
} from "./fgc-service.ts";

/**
 * Family Group Conferences of a family's Workbook: the team's working space, so for LA
 * practitioners only (requireTeamWork); referring and recording need workbook.write and sight
 * of the family other than through emergency access.
 */
type Form = Record<string, unknown>;

function referralForm(family: VisibleFamily, values: Form): RouteResult {
  return {
    view: "family/views/fgc-referral-form.njk",
    data: { title: "Refer for a Family Group Conference", family, values },
  };
}

function conferenceForm(
  family: VisibleFamily,
  conference: FamilyGroupConference,
  values: Form,
  version: number,
): RouteResult {
  return {
    view: "family/views/fgc-conference-form.njk",
    data: { title: "Record the Family Group Conference", family, conference, values, version },
  };
}

/** The family for recording on: team work, not on emergency access alone, Workbook open. */
async function familyToRecordOn(ctx: RouteContext, request: FastifyRequest) {
  const family = await getVisibleFamily(ctx, familyIdFrom(request));
  requireTeamWork(actorOf(ctx));
  requireRecordable(family);
  return { family, workbook: workbookOf(family) };
}

async function conferenceFrom(
  ctx: RouteContext,
  request: FastifyRequest,
  workbookId: string,
): Promise<FamilyGroupConference> {
  const { fgcId } = request.params as { fgcId: unknown };
  const conference = isUuid(fgcId) ? await conferenceIn(ctx.db, workbookId, fgcId) : undefined;
  if (!conference) throw notFound("Family Group Conference");
  ctx.audit({ subjectType: "family_group_conference", subjectId: conference.id });
  return conference;
}

export function registerFamilyGroupConferenceRoutes(
  app: FastifyInstance,
  services: AppServices,
): void {
  const base = "/families/:id/workbook/fgc";

  addRoute(app, services, {
    method: "GET",
    url: base,
    permission: "family.view",
    audit: "fgc.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireTeamWork(actor);
      const workbook = workbookOf(family);
      const conferences = await conferencesOf(ctx.db, workbook.id);
      ctx.audit({ summary: { conferences: conferences.length } });
      const recordable = family.members.some((m) => !m.viaBreakGlassOnly);
      return {
        view: "family/views/fgc.njk",
        data: {
          title: "Family Group Conferences",
          family,
          conferences,
          canRecord: can(actor, "workbook.write") && recordable,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: `${base}/new`,
    permission: "workbook.write",
    audit: "fgc.record.form",
    handler: async (request, _reply, ctx) => {
      const { family } = await familyToRecordOn(ctx, request);
      return referralForm(family, {});
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: base,
    permission: "workbook.write",
    audit: "fgc.record",
    handler: async (request, _reply, ctx) => {
      const { family, workbook } = await familyToRecordOn(ctx, request);
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await referForConference(ctx, family, workbook, form);
          return { redirect: `/families/${family.id}/workbook/fgc` };
        },
        () => referralForm(family, form),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: `${base}/:fgcId/conference`,
    permission: "workbook.write",
    audit: "fgc.record.form",
    handler: async (request, _reply, ctx) => {
      const { family, workbook } = await familyToRecordOn(ctx, request);
      const conference = await conferenceFrom(ctx, request, workbook.id);
      if (conference.heldOn) {
        throw new AppError("conflict", "This Family Group Conference has already been recorded.");
      }
      const values = {
        // Those invited are listed to start from: the coordinator keeps the ones who came.
        network: conference.networkText,
        familyPlan: conference.familyPlan,
        planAgreed: conference.planAgreed === null ? "" : conference.planAgreed ? "yes" : "no",
        ...dateParts("heldOn", conference.heldOn),
        ...dateParts("reviewOn", conference.reviewOn),
      };
      return conferenceForm(family, conference, values, conference.version);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: `${base}/:fgcId/conference`,
    permission: "workbook.write",
    audit: "fgc.record",
    handler: async (request, _reply, ctx) => {
      const { family, workbook } = await familyToRecordOn(ctx, request);
      const conference = await conferenceFrom(ctx, request, workbook.id);
      const form = (request.body ?? {}) as Form;
      return saveForm(
        ctx,
        async () => {
          await recordConference(ctx, family, conference, form);
          return { redirect: `/families/${family.id}/workbook/fgc` };
        },
        () => conferenceForm(family, conference, form, Number(form.version) || conference.version),
      );
    },
  });
}
