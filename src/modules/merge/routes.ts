/**
 * Merging two records of one person (decision 0024): a team manager who may record on both
 * chooses the other record, sees both side by side, says which survives and why, and can undo
 * the merge for MERGE_UNDO_DAYS. And the front door's list of children without the consistent
 * identifier (decision 0023).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { mayReviewIdentifiers } from "../../access/identifiers.ts";
import { genders, labelFor } from "../../domain/code-lists.ts";
import { todayIn } from "../../domain/dates.ts";
import { formatNhsNumber } from "../../domain/identifiers.ts";
import { AppError, notFound, type FieldError } from "../../platform/errors.ts";
import { errorList, FormReader, saveForm } from "../../platform/forms.ts";
import type { MergeMoves } from "../../platform/schema-merge.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  requireMayRecordOn,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { getVisiblePerson, personIdFrom } from "../people/routes.ts";
import { searchPeople } from "../people/queries.ts";
import { mergeBlockers } from "./blockers.ts";
import {
  childrenWithoutIdentifier,
  IDENTIFIER_LIST_LIMIT,
  mergeSide,
  survivorFor,
  type MergeSideView,
} from "./queries.ts";
import { MERGE_UNDO_DAYS, mergePeople, undoMerge } from "./service.ts";

type Form = Record<string, unknown>;

function describeSide(side: MergeSideView) {
  return {
    ...side,
    sexLabel: side.sex ? labelFor(genders, side.sex) : undefined,
    nhsNumberText: side.nhs_number ? formatNhsNumber(side.nhs_number) : undefined,
  };
}

/** The other record of a merge, named in the query or the form: one the actor may record on. */
async function otherRecord(ctx: RouteContext, personId: string, otherId: unknown) {
  if (!isUuid(otherId) || otherId === personId) {
    throw new AppError("validation", "Choose the other record to merge with", [
      { field: "other", message: "Choose the other record to merge with" },
    ]);
  }
  await requireMayRecordOn(ctx, "person.merge", [otherId]);
  const side = await mergeSide(ctx.db, actorOf(ctx), otherId, ctx.now);
  if (!side) throw notFound("Person");
  ctx.audit({ personIds: [otherId] });
  return side;
}

async function confirmPage(
  ctx: RouteContext,
  personId: string,
  otherId: unknown,
  values: Form,
  refusal?: AppError,
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const thisSide = await mergeSide(ctx.db, actor, personId, ctx.now);
  if (!thisSide) throw notFound("Person");
  const other = await otherRecord(ctx, personId, otherId);
  const blockers = await mergeBlockers(ctx.db, thisSide, other);
  const errors: FieldError[] = refusal?.fieldErrors.filter((e) => e.field !== "blockers") ?? [];
  const survivor = values.survivor === other.id ? other.id : thisSide.id;
  return {
    view: "merge/views/confirm.njk",
    status: refusal ? (refusal.code === "conflict" ? 409 : 400) : 200,
    data: {
      title: "Merge two records of one person",
      person: thisSide,
      sides: [describeSide(thisSide), describeSide(other)],
      other,
      blockers,
      conflict: refusal?.code === "conflict" ? refusal.message : undefined,
      survivorItems: [thisSide, other].map((side) => ({
        value: side.id,
        text: `${side.given_name} ${side.family_name} (${side === thisSide ? "this record" : "the other record"})`,
        checked: side.id === survivor,
      })),
      values,
      undoDays: MERGE_UNDO_DAYS,
      errors: refusal
        ? refusal.code === "conflict"
          ? errorList(refusal)
          : errors.map((e) => ({ text: e.message, href: `#${e.field}` }))
        : [],
      fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
    },
  };
}

/** How many rows moved or were set aside, per table and column (for the audit row). */
function movedCounts(moved: MergeMoves): Record<string, number> {
  return Object.fromEntries(
    Object.entries(moved)
      .filter(([, m]) => m.moved.length + m.dropped.length > 0)
      .map(([k, m]) => [k, m.moved.length + m.dropped.length]),
  );
}

function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  return request.query as Record<string, string | undefined>;
}

export function registerMergeRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/merge",
    permission: "person.merge",
    audit: "person.merge.form",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      const raw = queryOf(request).name;
      const name = (raw ?? person.family_name).trim().slice(0, 100);
      const results =
        name.length >= 2
          ? (await searchPeople(ctx.db, actorOf(ctx), { name, dateOfBirth: null }, ctx.now)).filter(
              (r) => r.id !== person.id,
            )
          : [];
      ctx.audit({ personIds: results.map((r) => r.id), summary: { results: results.length } });
      return {
        view: "merge/views/choose.njk",
        data: { title: "Choose the record to merge with", person, name, results },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/merge/confirm",
    permission: "person.merge",
    audit: "person.merge.form",
    personParam: "id",
    handler: async (request, _reply, ctx) =>
      confirmPage(ctx, personIdFrom(request), queryOf(request).other, {}),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/merge",
    permission: "person.merge",
    audit: "person.merge",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const personId = personIdFrom(request);
      const form = (request.body ?? {}) as Form;
      const reader = new FormReader(form);
      const otherId = reader.raw("other");
      const survivorId = reader.raw("survivor");
      const reason = reader.text("reason", "why these are one person's records", {
        required: true,
        max: 2000,
      });
      if (!isUuid(otherId) || otherId === personId) reader.fail("other", "Choose the other record");
      if (survivorId !== personId && survivorId !== otherId) {
        reader.fail("survivor", "Select which record stays");
      }
      const versions = [reader.raw("version"), reader.raw("otherVersion")].map(Number);
      if (!isUuid(otherId) || otherId === personId) {
        // Nothing to show side by side: back to choosing the other record.
        ctx.setOutcome("failed");
        ctx.audit({ summary: { reason: "validation", fields: ["other"] } });
        const person = await getVisiblePerson(ctx, personId);
        return {
          view: "merge/views/choose.njk",
          status: 400,
          data: {
            title: "Choose the record to merge with",
            person,
            name: person.family_name,
            results: [],
            errors: [{ text: "Choose the other record to merge with", href: "#name" }],
          },
        };
      }
      if (await survivorFor(ctx.db, actorOf(ctx), otherId, ctx.now)) {
        // Another manager merged it first: say so rather than "not found".
        throw new AppError(
          "conflict",
          "The other record has already been merged, by someone else in the meantime. Nothing more was changed: open this record to see it.",
        );
      }
      await requireMayRecordOn(ctx, "person.merge", [otherId]);
      // In a savepoint: a refusal found part-way leaves nothing moved (saveForm).
      return saveForm(
        ctx,
        async () => {
          reader.done("Check the merge");
          const mergedId = survivorId === personId ? otherId : personId;
          const [thisVersion = 0, otherVersion = 0] = versions;
          const { mergeId, moved } = await mergePeople(
            ctx.db,
            actorOf(ctx),
            {
              survivorId,
              mergedId,
              reason,
              survivorVersion: survivorId === personId ? thisVersion : otherVersion,
              mergedVersion: survivorId === personId ? otherVersion : thisVersion,
            },
            ctx.now,
          );
          ctx.audit({
            personIds: [otherId],
            subjectType: "person_merge",
            subjectId: mergeId,
            summary: { survivorId, mergedId, moved: movedCounts(moved) },
          });
          return { redirect: `/people/${survivorId}` };
        },
        (error) => confirmPage(ctx, personId, otherId, form, error),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/unmerge",
    permission: "person.merge",
    audit: "person.unmerge",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const personId = personIdFrom(request);
      const form = (request.body ?? {}) as Form;
      const mergeId = new FormReader(form).raw("mergeId");
      if (!isUuid(mergeId)) {
        throw new AppError("validation", "Choose the merge to undo. Nothing was changed.");
      }
      const { mergedId } = await undoMerge(ctx.db, actorOf(ctx), personId, mergeId, ctx.now);
      ctx.audit({
        personIds: [mergedId],
        subjectType: "person_merge",
        subjectId: mergeId,
        summary: { survivorId: personId, mergedId },
      });
      return { redirect: `/people/${personId}` };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/front-door/identifiers",
    permission: "person.identifier_review",
    audit: "person.identifier_list",
    handler: async (_request, _reply, ctx) => {
      const actor = actorOf(ctx);
      if (!(await mayReviewIdentifiers(ctx.db, actor))) throw notFound();
      const children = await childrenWithoutIdentifier(ctx.db, actor, ctx.now);
      ctx.audit({ personIds: children.map((c) => c.id), summary: { results: children.length } });
      return {
        view: "merge/views/identifiers.njk",
        data: {
          title: "Children without a consistent identifier",
          children,
          limit: IDENTIFIER_LIST_LIMIT,
          today: todayIn(ctx.now),
        },
      };
    },
  });
}
