/**
 * The form-route helper (decision 0029): one POST route that loads what the form is about,
 * checks the body against its schema, saves through a service, and redirects; or shows the
 * form again with each field's error and the user's answers kept. Refusals and failures are
 * audited by the kernel; a failed save is rolled back to before it began (`saveForm`).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Permission } from "../access/permissions.ts";
import type { Schema } from "./contracts.ts";
import type { AppError } from "./errors.ts";
import { saveForm } from "./forms.ts";
import {
  addRoute,
  type AppServices,
  type AuditKind,
  type RouteContext,
  type RouteResult,
} from "./routes.ts";

/** The answers as the user typed them, to fill the form when it is shown again. */
export type FormValues = Record<string, unknown>;

export interface FormRouteSpec<P extends Schema, B extends Schema, L> {
  url: string;
  permission: Permission;
  audit: AuditKind;
  personParam?: string;
  params: P;
  body: B | ((now: Date) => B);
  /** Loads what the form is about; refuses (not found, read only) before the body is used. */
  load(ctx: RouteContext, params: z.output<P>): Promise<L>;
  /** The form's page, filled with `values`; `error` is why it is shown again. */
  page(
    ctx: RouteContext,
    loaded: L,
    values: FormValues,
    error: AppError,
  ): RouteResult | Promise<RouteResult>;
  /** Saves through a service (a rule it breaks shows the form again) and says where next. */
  save(ctx: RouteContext, loaded: L, body: z.output<B>, params: z.output<P>): Promise<RouteResult>;
}

function valuesOf(request: FastifyRequest): FormValues {
  return (request.body ?? {}) as FormValues;
}

export function addFormRoute<P extends Schema, B extends Schema, L>(
  app: FastifyInstance,
  services: AppServices,
  spec: FormRouteSpec<P, B, L>,
): void {
  addRoute(app, services, {
    method: "POST",
    url: spec.url,
    permission: spec.permission,
    audit: spec.audit,
    ...(spec.personParam ? { personParam: spec.personParam } : {}),
    params: spec.params,
    body: spec.body,
    handler: async (request, _reply, ctx, input) => {
      const loaded = await spec.load(ctx, input.params);
      return saveForm(
        ctx,
        () => spec.save(ctx, loaded, input.body, input.params),
        (error) => spec.page(ctx, loaded, valuesOf(request), error),
      );
    },
    showAgain: async (request, ctx, input, error) =>
      spec.page(ctx, await spec.load(ctx, input.params), valuesOf(request), error),
  });
}
