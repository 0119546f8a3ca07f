/**
 * The administrator's API clients (decision 0030): register a partner system for one of the
 * council's organisations with the permissions it may use, see its secret once, rotate it,
 * revoke the client. The rules are in src/api/clients.ts and src/access/api-clients.ts.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { grantableApiPermissions } from "../../access/api-clients.ts";
import {
  apiClientsOf,
  NewApiClient,
  registerApiClient,
  revokeApiClient,
  rotateApiClientSecret,
  type IssuedSecret,
} from "../../api/clients.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
} from "../../platform/routes.ts";

async function clientsPage(
  ctx: RouteContext,
  extra: {
    issued?: IssuedSecret;
    values?: Record<string, unknown>;
    errors?: { field: string; message: string }[];
  } = {},
) {
  const actor = actorOf(ctx);
  const [clients, organisations] = await Promise.all([
    apiClientsOf(ctx.db, actor),
    ctx.db
      .selectFrom("organisation")
      .select(["id", "name", "kind"])
      .where("la_id", "=", actor.laId)
      .orderBy("name")
      .execute(),
  ]);
  return {
    view: "admin/views/api-clients.njk",
    status: extra.errors && extra.errors.length > 0 ? 400 : 200,
    data: {
      title: "API clients",
      clients,
      organisations: organisations.map((o) => ({
        ...o,
        permissions: grantableApiPermissions(o.kind),
      })),
      values: extra.values ?? {},
      errors: extra.errors ?? [],
      issued: extra.issued,
    },
  };
}

function clientIdFrom(request: FastifyRequest): string {
  const { id } = request.params as { id: unknown };
  if (!isUuid(id)) throw notFound("API client");
  return id;
}

const listOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === "string" && value ? [value] : [];

export function registerApiClientRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/admin/api-clients",
    permission: "user.manage",
    audit: "api_client.list",
    handler: async (_request, _reply, ctx) => clientsPage(ctx),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/admin/api-clients",
    permission: "user.manage",
    audit: "api_client.create",
    handler: async (request, _reply, ctx) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const parsed = NewApiClient.safeParse({
        name: form.name,
        organisationId: form.organisationId,
        permissions: listOf(form.permissions),
        externalClientId: form.externalClientId ?? "",
        rateLimitPerMinute: form.rateLimitPerMinute,
      });
      if (!parsed.success) {
        ctx.setOutcome("failed");
        return clientsPage(ctx, {
          values: form,
          errors: parsed.error.issues.map((i) => ({
            field: String(i.path[0] ?? "name"),
            message: i.message,
          })),
        });
      }
      try {
        const issued = await registerApiClient(ctx.db, actorOf(ctx), parsed.data, ctx.now);
        ctx.audit({ subjectType: "api_client", subjectId: issued.apiClientId });
        return await clientsPage(ctx, { issued });
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "validation") throw error;
        ctx.setOutcome("failed");
        return clientsPage(ctx, { values: form, errors: error.fieldErrors });
      }
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/admin/api-clients/:id/rotate",
    permission: "user.manage",
    audit: "api_client.rotate",
    handler: async (request, _reply, ctx) => {
      const issued = await rotateApiClientSecret(
        ctx.db,
        actorOf(ctx),
        clientIdFrom(request),
        ctx.now,
      );
      ctx.audit({ subjectType: "api_client", subjectId: issued.apiClientId });
      return clientsPage(ctx, { issued });
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/admin/api-clients/:id/revoke",
    permission: "user.manage",
    audit: "api_client.revoke",
    handler: async (request, _reply, ctx) => {
      const id = clientIdFrom(request);
      await revokeApiClient(ctx.db, actorOf(ctx), id, ctx.now);
      ctx.audit({ subjectType: "api_client", subjectId: id });
      return { redirect: "/admin/api-clients" };
    },
  });
}
