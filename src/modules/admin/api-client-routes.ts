/**
 * The administrator's API clients (decision 0030): register a partner system for one of the
 * council's organisations with the permissions it may use, see its secret once, rotate it,
 * revoke the client. The rules are in src/api/clients.ts and src/access/api-clients.ts.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { grantableApiPermissions } from "../../access/api-clients.ts";
import {
  apiClientsOf,
  NewApiClient,
  registerApiClient,
  revokeApiClient,
  rotateApiClientSecret,
  type IssuedSecret,
} from "../../api/clients.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { Id } from "../../platform/schemas.ts";
import { organisationsAndTeams } from "./service.ts";

const ClientParams = z.object({ id: Id });

const listOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === "string" && value ? [value] : [];

/** The registration form as sent (permissions: none, one or many boxes) checked as a client. */
const ApiClientForm = z
  .object({
    name: z.unknown().optional(),
    organisationId: z.unknown().optional(),
    permissions: z.unknown().optional().transform(listOf),
    externalClientId: z
      .unknown()
      .optional()
      .transform((value) => value ?? ""),
    rateLimitPerMinute: z.unknown().optional(),
  })
  .pipe(NewApiClient);

async function clientsPage(
  ctx: RouteContext,
  extra: { issued?: IssuedSecret; values?: FormValues } = {},
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const [clients, { organisations }] = await Promise.all([
    apiClientsOf(ctx.db, actor),
    organisationsAndTeams(ctx.db, actor.laId),
  ]);
  return {
    view: "admin/views/api-clients.njk",
    data: {
      title: "API clients",
      clients,
      organisations: organisations.map((o) => ({
        ...o,
        permissions: grantableApiPermissions(o.kind),
      })),
      values: extra.values ?? {},
      issued: extra.issued,
    },
  };
}

export function registerApiClientRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/admin/api-clients",
    permission: "user.manage",
    audit: "api_client.list",
    handler: async (_request, _reply, ctx) => clientsPage(ctx),
  });

  addFormRoute(app, services, {
    url: "/admin/api-clients",
    permission: "user.manage",
    audit: "api_client.create",
    params: z.object({}),
    body: ApiClientForm,
    load: () => Promise.resolve(undefined),
    page: (ctx, _loaded, values) => clientsPage(ctx, { values }),
    save: async (ctx, _loaded, body) => {
      const issued = await registerApiClient(ctx.db, actorOf(ctx), body, ctx.now);
      ctx.audit({ subjectType: "api_client", subjectId: issued.apiClientId });
      return clientsPage(ctx, { issued });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/admin/api-clients/:id/rotate",
    permission: "user.manage",
    audit: "api_client.rotate",
    params: ClientParams,
    body: z.object({}),
    handler: async (_request, _reply, ctx, { params }) => {
      const issued = await rotateApiClientSecret(ctx.db, actorOf(ctx), params.id, ctx.now);
      ctx.audit({ subjectType: "api_client", subjectId: issued.apiClientId });
      return clientsPage(ctx, { issued });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/admin/api-clients/:id/revoke",
    permission: "user.manage",
    audit: "api_client.revoke",
    params: ClientParams,
    body: z.object({}),
    handler: async (_request, _reply, ctx, { params }) => {
      await revokeApiClient(ctx.db, actorOf(ctx), params.id, ctx.now);
      ctx.audit({ subjectType: "api_client", subjectId: params.id });
      return { redirect: "/admin/api-clients" };
    },
  });
}
