/**
 * A journey step as a pair of routes: GET shows a short form (views/step-form.njk), POST saves
 * it through saveForm so a refused step leaves nothing saved and shows the form again with the
 * reasons. Each step names its fields and a `save` that validates, applies the rules and writes.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Actor } from "../../access/actor.ts";
import type { FormedKind } from "../../audit/kinds.ts";
import type { Permission } from "../../access/permissions.ts";
import { todayIn } from "../../domain/dates.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { dateParts, FormReader, saveForm } from "../../platform/forms.ts";
import { addRoute, isUuid, type AppServices, type RouteContext } from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, personIdFrom } from "../people/routes.ts";

export interface StepField {
  kind: "date" | "radios" | "textarea";
  name: string;
  label: string;
  hint?: string;
  items?: readonly { code: string; label: string }[];
}

export interface StepContext {
  ctx: RouteContext;
  actor: Actor;
  person: VisiblePerson;
  today: string;
  /** The :itemId URL parameter, for steps on an existing record. */
  itemId: string | undefined;
}

export interface StepSpec {
  /** URL of the form; the POST goes to the same URL. Use :id for the person, :itemId for a record. */
  url: string;
  permission: Permission;
  /** The save's audit kind; opening the form is logged as its `.form` view. */
  audit: FormedKind;
  title: string;
  button: string;
  fields: readonly StepField[];
  /** Text shown above the form, and the record version (for steps that change a record). */
  describe?: (step: StepContext) => Promise<{ intro?: string; version?: number }>;
  /** Initial values, beyond today's date in each date field. */
  initial?: (step: StepContext) => Promise<Record<string, unknown>>;
  save: (step: StepContext, reader: FormReader) => Promise<void>;
  /** Where to go after saving, when not the journey page (the record may be out of sight). */
  redirectAfter?: (step: StepContext) => Promise<string | undefined>;
}

function itemIdFrom(request: FastifyRequest): string | undefined {
  const { itemId } = request.params as { itemId?: unknown };
  if (itemId === undefined) return undefined;
  if (!isUuid(itemId)) throw notFound();
  return itemId;
}

async function stepContext(ctx: RouteContext, request: FastifyRequest): Promise<StepContext> {
  if (!ctx.actor) throw new AppError("unauthenticated", "Sign in first");
  const person = await getPersonToRecordOn(ctx, personIdFrom(request));
  return { ctx, actor: ctx.actor, person, today: todayIn(ctx.now), itemId: itemIdFrom(request) };
}

export function addStep(app: FastifyInstance, services: AppServices, spec: StepSpec): void {
  const page = async (step: StepContext, values: Record<string, unknown>) => {
    const described = spec.describe ? await spec.describe(step) : {};
    const action = spec.url.replace(":id", step.person.id).replace(":itemId", step.itemId ?? "");
    return {
      view: "journey/views/step-form.njk",
      data: {
        title: spec.title,
        person: step.person,
        action,
        button: spec.button,
        fields: spec.fields,
        values,
        ...described,
      },
    };
  };

  addRoute(app, services, {
    method: "GET",
    url: spec.url,
    permission: spec.permission,
    audit: `${spec.audit}.form`,
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const step = await stepContext(ctx, request);
      const dates = spec.fields
        .filter((f) => f.kind === "date")
        .reduce((all, f) => ({ ...all, ...dateParts(f.name, step.today) }), {});
      const initial = spec.initial ? await spec.initial(step) : {};
      return page(step, { ...dates, ...initial });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: spec.url,
    permission: spec.permission,
    audit: spec.audit,
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const step = await stepContext(ctx, request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          await spec.save(step, new FormReader(form));
          const next = spec.redirectAfter ? await spec.redirectAfter(step) : undefined;
          return { redirect: next ?? `/people/${step.person.id}/journey` };
        },
        () => page(step, form),
      );
    },
  });
}
