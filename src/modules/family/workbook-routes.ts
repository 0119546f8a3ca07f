import type { FastifyInstance } from "fastify";
import { can } from "../../access/actor.ts";
import { maySeeDiscipline, maySeeTeamWork, mayWriteDiscipline } from "../../access/family.ts";
import { todayIn } from "../../domain/dates.ts";
import {
  workbookDisciplineLabels,
  workbookDisciplines,
  type WorkbookDiscipline,
} from "../../domain/family-safeguarding.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import {
  familyIdFrom,
  getVisibleFamily,
  memberOf,
  recordOnChildren,
  requireRecordable,
  requireSeeDiscipline,
  requireWriteDiscipline,
  sectionDisciplines,
  workbookOf,
  type FamilyMember,
  type VisibleFamily,
} from "./family.ts";
import { familyWorkers, sectionsOf, sectionRevisions } from "./workbook-queries.ts";
import { registerSpecialistRoutes } from "./specialist-routes.ts";

/**
 * The team around the family, opening the family's Workbook, and its sections: one per person
 * and discipline, each written by that discipline's practitioners (decision 0013). A section
 * keeps every earlier text as a revision; a stale edit is refused.
 */
const SECTION_MAX = 50_000;

function sectionParams(params: unknown): { personId: unknown; discipline: WorkbookDiscipline } {
  const { personId, discipline } = params as { personId: unknown; discipline: unknown };
  if (!(workbookDisciplines as readonly unknown[]).includes(discipline)) throw notFound("Page");
  return { personId, discipline: discipline as WorkbookDiscipline };
}

function sectionOfMember(member: FamilyMember, discipline: WorkbookDiscipline): void {
  if (!sectionDisciplines(member).includes(discipline)) throw notFound("Page");
}

export function registerWorkbookRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/families/:id",
    permission: "family.view",
    audit: "family.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      const workers = await familyWorkers(ctx.db, actor, family, ctx.now);
      const recordable = family.members.some((m) => !m.viaBreakGlassOnly);
      return {
        view: "family/views/family.njk",
        data: {
          title: `Team around the ${family.name}`,
          family,
          workers,
          teamWork: maySeeTeamWork(actor),
          canOpen: !family.workbook && can(actor, "workbook.write") && recordable,
          canAllocate: can(actor, "caseload.manage") && recordable,
        },
      };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook",
    permission: "workbook.write",
    audit: "workbook.open",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      requireRecordable(family);
      if (family.workbook) {
        throw new AppError("conflict", "This family's Workbook is already open.");
      }
      const openedOn = todayIn(ctx.now);
      const workbook = await ctx.db
        .insertInto("workbook")
        .values({
          la_id: actor.laId,
          family_id: family.id,
          opened_on: openedOn,
          opened_by: actor.userId,
        })
        .onConflict((oc) => oc.column("family_id").doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!workbook) throw new AppError("conflict", "This family's Workbook is already open.");
      await recordOnChildren(ctx.db, actor, family, {
        occurredOn: openedOn,
        kind: "workbook_opened",
        summary: `Family Workbook opened by ${actor.displayName}`,
        subject: { type: "workbook", id: workbook.id },
      });
      ctx.audit({ subjectType: "workbook", subjectId: workbook.id });
      return { redirect: `/families/${family.id}/workbook` };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook",
    permission: "family.view",
    audit: "workbook.view",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      const workbook = workbookOf(family);
      const sections = await sectionsOf(ctx.db, workbook.id);
      const people = family.members.map((member) => ({
        member,
        sections: sectionDisciplines(member)
          .filter((discipline) => maySeeDiscipline(actor, discipline, member))
          .map((discipline) => ({
            discipline,
            label: workbookDisciplineLabels[discipline],
            section: sections.find((s) => s.person_id === member.id && s.discipline === discipline),
            canWrite: mayWriteDiscipline(actor, discipline, member),
          })),
      }));
      ctx.audit({ subjectType: "workbook", subjectId: workbook.id });
      return {
        view: "family/views/workbook.njk",
        data: {
          title: `${family.name} Workbook`,
          family,
          workbook,
          people,
          teamWork: maySeeTeamWork(actor),
        },
      };
    },
  });

  const sectionForm = (
    family: VisibleFamily,
    member: FamilyMember,
    discipline: WorkbookDiscipline,
    values: Record<string, unknown>,
    revisions: Awaited<ReturnType<typeof sectionRevisions>>,
  ): RouteResult => ({
    view: "family/views/section-form.njk",
    data: {
      title: `${workbookDisciplineLabels[discipline]}: ${member.name}`,
      family,
      member,
      discipline,
      values,
      revisions,
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/families/:id/workbook/sections/:personId/:discipline",
    permission: "workbook.write",
    audit: "workbook.section.form",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      const workbook = workbookOf(family);
      const { personId, discipline } = sectionParams(request.params);
      const member = memberOf(family, personId);
      sectionOfMember(member, discipline);
      requireSeeDiscipline(actor, member, discipline);
      requireWriteDiscipline(actor, member, discipline);
      const section = (await sectionsOf(ctx.db, workbook.id)).find(
        (s) => s.person_id === member.id && s.discipline === discipline,
      );
      const revisions = section ? await sectionRevisions(ctx.db, section.id) : [];
      ctx.audit({
        personIds: [member.id],
        subjectType: "workbook_section",
        subjectId: section?.id,
      });
      return sectionForm(
        family,
        member,
        discipline,
        {
          body: section?.body ?? "",
          version: section ? String(section.version) : "new",
        },
        revisions,
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/families/:id/workbook/sections/:personId/:discipline",
    permission: "workbook.write",
    audit: "workbook.section",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const family = await getVisibleFamily(ctx, familyIdFrom(request));
      const workbook = workbookOf(family);
      const { personId, discipline } = sectionParams(request.params);
      const member = memberOf(family, personId);
      sectionOfMember(member, discipline);
      requireSeeDiscipline(actor, member, discipline);
      requireWriteDiscipline(actor, member, discipline);
      const form = (request.body ?? {}) as Record<string, unknown>;
      ctx.audit({ personIds: [member.id] });
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const isNew = f.raw("version") === "new";
          const version = isNew ? 0 : f.version();
          const body = f.text(
            "body",
            workbookDisciplineLabels[discipline].toLowerCase() + " section",
            {
              required: true,
              max: SECTION_MAX,
            },
          );
          f.done();
          const stale = () =>
            new AppError(
              "conflict",
              "Someone else changed this section while you were writing. Nothing you entered has been saved: copy your text, reload the page and add it again.",
            );
          let sectionId: string;
          if (isNew) {
            const created = await ctx.db
              .insertInto("workbook_section")
              .values({
                la_id: actor.laId,
                workbook_id: workbook.id,
                person_id: member.id,
                discipline,
                body,
                updated_by: actor.userId,
              })
              .onConflict((oc) =>
                oc.columns(["workbook_id", "discipline", "person_id"]).doNothing(),
              )
              .returning("id")
              .executeTakeFirst();
            if (!created) throw stale();
            sectionId = created.id;
          } else {
            const updated = await ctx.db
              .updateTable("workbook_section")
              .set({ body, version: version + 1, updated_by: actor.userId, updated_at: ctx.now })
              .where("workbook_id", "=", workbook.id)
              .where("person_id", "=", member.id)
              .where("discipline", "=", discipline)
              .where("version", "=", version)
              .returning("id")
              .executeTakeFirst();
            if (!updated) throw stale();
            sectionId = updated.id;
          }
          await ctx.db
            .insertInto("workbook_section_revision")
            .values({
              la_id: actor.laId,
              section_id: sectionId,
              version: version + 1,
              body,
              written_by: actor.userId,
              organisation_id: actor.organisationId,
            })
            .execute();
          ctx.audit({
            subjectType: "workbook_section",
            subjectId: sectionId,
            summary: { discipline },
          });
          return { redirect: `/families/${family.id}/workbook#person-${member.id}` };
        },
        async () => {
          const section = (await sectionsOf(ctx.db, workbook.id)).find(
            (s) => s.person_id === member.id && s.discipline === discipline,
          );
          return sectionForm(
            family,
            member,
            discipline,
            form,
            section ? await sectionRevisions(ctx.db, section.id) : [],
          );
        },
      );
    },
  });

  registerSpecialistRoutes(app, services);
}
