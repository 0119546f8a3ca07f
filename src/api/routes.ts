/**
 * The API's own routes besides /api/v1: the token endpoint (OAuth 2.0 client credentials,
 * RFC 6749 section 4.4), the OpenAPI document and its docs page; and the v1 endpoints.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { auditActorOf, writeAudit } from "../audit/audit.ts";
import type { AppServices } from "../platform/routes.ts";
import { apiActorOf, clientBySecret } from "./clients.ts";
import {
  apiDeclarations,
  apiErrorHandler,
  apiHandler,
  type ApiDeclaration,
  type ApiServices,
} from "./kernel.ts";
import { openApiDocument } from "./openapi.ts";
import { problemTitles } from "./problem.ts";
import { RateLimiter } from "./rate-limit.ts";
import { tokenVerifier, TOKEN_LIFETIME_SECONDS } from "./tokens.ts";
import { registerCaseNoteApi } from "./v1/case-notes.ts";
import { registerChronologyApi } from "./v1/chronology.ts";
import { registerExploitationApi } from "./v1/exploitation.ts";
import { registerIntelligenceApi } from "./v1/intelligence.ts";
import { registerMissingApi } from "./v1/missing.ts";
import { registerPeopleApi } from "./v1/people.ts";
import { registerPlanApi } from "./v1/plans.ts";
import { registerReferralApi } from "./v1/referrals.ts";
import { registerVisitApi } from "./v1/visits.ts";
import { registerWorkTrayApi } from "./v1/work-tray.ts";

/** Token requests a minute for one client id: a secret cannot be guessed by hammering. */
const TOKEN_REQUESTS_PER_MINUTE = 30;

const TokenRequest = z.object({
  grant_type: z.string().max(100).optional(),
  client_id: z.string().max(100).optional(),
  client_secret: z.string().max(200).optional(),
});

/** The client id and secret from HTTP Basic (preferred by RFC 6749) or the form. */
function credentialsOf(request: FastifyRequest, form: z.infer<typeof TokenRequest>) {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? "");
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString();
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    }
  }
  return { clientId: form.client_id ?? "", clientSecret: form.client_secret ?? "" };
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  void reply.header("cache-control", "no-store");
  if (status === 401) void reply.header("www-authenticate", 'Basic realm="trellis-api"');
  return reply.code(status).send({ error, error_description: description });
}

function addPlainApiRoute(
  app: FastifyInstance,
  services: ApiServices,
  declaration: ApiDeclaration,
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
): void {
  app.route({
    method: declaration.method,
    url: declaration.url,
    bodyLimit: 16 * 1024,
    errorHandler: apiErrorHandler(services, declaration),
    handler: apiHandler(declaration, handler),
  });
}

function registerTokenEndpoint(app: FastifyInstance, services: ApiServices): void {
  const declaration: ApiDeclaration = {
    method: "POST",
    url: "/api/oauth/token",
    summary: "Get an access token by client credentials",
    tag: "OAuth",
    permission: "public",
    audit: "api.token",
    status: 200,
    contract: undefined,
  };
  addPlainApiRoute(app, services, declaration, async (request, reply) => {
    const now = services.clock();
    const form = TokenRequest.safeParse(request.body ?? {});
    if (!form.success)
      return oauthError(reply, 400, "invalid_request", "The request could not be read.");
    if (form.data.grant_type !== "client_credentials") {
      return oauthError(
        reply,
        400,
        "unsupported_grant_type",
        "Only client_credentials is supported.",
      );
    }
    const { clientId, clientSecret } = credentialsOf(request, form.data);
    const audit = async (
      actor: Parameters<typeof auditActorOf>[0],
      outcome: "allowed" | "denied",
      reason?: string,
    ) =>
      services.database.db.transaction().execute((tx) =>
        writeAudit(
          tx,
          auditActorOf(actor),
          {
            action: "api.token",
            outcome,
            subjectType: "api_client",
            summary: { apiClient: clientId.slice(0, 100), ...(reason ? { reason } : {}) },
          },
          now,
        ),
      );
    if (services.limiter.take(`token:${clientId}`, TOKEN_REQUESTS_PER_MINUTE, now) > 0) {
      await audit(undefined, "denied", "rate_limited");
      return oauthError(reply, 429, "slow_down", "Too many token requests; try again in a minute.");
    }
    const client =
      clientId && clientSecret
        ? await clientBySecret(services.database.db, clientId, clientSecret)
        : undefined;
    const found = client
      ? await apiActorOf(services.database.db, { clientId: client.clientId })
      : undefined;
    if (!found) {
      await audit(undefined, "denied", "invalid_client");
      return oauthError(
        reply,
        401,
        "invalid_client",
        "The client id or secret is not right, or the client is revoked.",
      );
    }
    await audit(found.actor, "allowed");
    void reply.header("cache-control", "no-store");
    return reply.send({
      access_token: await services.tokens.issue(client?.clientId ?? clientId, now),
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_SECONDS,
    });
  });
}

function registerDocuments(app: FastifyInstance, services: ApiServices): void {
  const document = () => openApiDocument(apiDeclarations(app), services.config.baseUrl);
  const base = {
    permission: "public",
    audit: "none",
    status: 200,
    contract: undefined,
    tag: "Docs",
  } as const;
  addPlainApiRoute(
    app,
    services,
    { ...base, method: "GET", url: "/api/openapi.json", summary: "This document" },
    async (_request, reply) => reply.type("application/json").send(document()),
  );
  addPlainApiRoute(
    app,
    services,
    { ...base, method: "GET", url: "/api/docs", summary: "The API's documentation" },
    async (_request, reply) => {
      const doc = document();
      const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          operation: operation as { summary: string; description: string; tags: string[] },
          json: JSON.stringify(operation, null, 2),
        })),
      );
      return reply.view("api-docs.njk", {
        title: "Trellis API",
        info: doc.info,
        operations,
        problems: Object.entries(problemTitles).map(([kind, title]) => ({ kind, title })),
        schemas: JSON.stringify(doc.components.schemas, null, 2),
        cspNonce: reply.cspNonce.script,
        navigation: [],
      });
    },
  );
}

export function registerApi(app: FastifyInstance, appServices: AppServices): void {
  const services: ApiServices = {
    ...appServices,
    tokens: tokenVerifier(appServices.config),
    limiter: new RateLimiter(),
  };
  registerTokenEndpoint(app, services);
  registerDocuments(app, services);
  registerPeopleApi(app, services);
  registerChronologyApi(app, services);
  registerMissingApi(app, services);
  registerReferralApi(app, services);
  registerIntelligenceApi(app, services);
  registerExploitationApi(app, services);
  registerCaseNoteApi(app, services);
  registerVisitApi(app, services);
  registerPlanApi(app, services);
  registerWorkTrayApi(app, services);
}
