import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import view from "@fastify/view";
import Fastify, { type FastifyInstance } from "fastify";
import nunjucks from "nunjucks";
import type { Config } from "./platform/config.ts";
import type { Database } from "./platform/database.ts";
import { AppError } from "./platform/errors.ts";
import {
  kernelDeclarationOf,
  sendError,
  type AppServices,
  type RouteDeclaration,
} from "./platform/routes.ts";
import type { Contract } from "./platform/contracts.ts";
import { configureTemplates } from "./platform/templates.ts";
import { registerAssetRoutes } from "./platform/assets.ts";
import { registerAdminRoutes } from "./modules/admin/routes.ts";
import { registerApiClientRoutes } from "./modules/admin/api-client-routes.ts";
import { registerAuthRoutes } from "./modules/auth/routes.ts";
import { registerBreakGlassRoutes } from "./modules/break-glass/routes.ts";
import type { OidcClient } from "./modules/auth/oidc.ts";
import { registerHomeRoutes } from "./modules/home/routes.ts";
import { registerPeopleRoutes } from "./modules/people/routes.ts";
import { registerAddPersonRoutes } from "./modules/people/add-person.ts";
import { registerPossibleDuplicateRoutes } from "./modules/people/possible-duplicates.ts";
import { registerSharingRoutes } from "./modules/sharing/routes.ts";
import { registerMergeRoutes } from "./modules/merge/routes.ts";
import { registerCaseloadsRoutes } from "./modules/caseloads/routes.ts";
import { registerChronologyRoutes } from "./modules/chronology/routes.ts";
import { registerJourneyRoutes } from "./modules/journey/routes.ts";
import { registerProtectionRoutes } from "./modules/protection/routes.ts";
import { registerLookedAfterRoutes } from "./modules/looked-after/routes.ts";
import { registerCareLeaverRoutes } from "./modules/care-leavers/routes.ts";
import { registerVisitsRoutes } from "./modules/visits/routes.ts";
import { registerWorktrayRoutes } from "./modules/worktray/routes.ts";
import { registerWorkRoutes } from "./modules/work/routes.ts";
import { registerFamilyRoutes } from "./modules/family/routes.ts";
import { registerExploitationRoutes } from "./modules/exploitation/routes.ts";
import { registerNetworkRoutes } from "./modules/network/routes.ts";
import { registerContextRoutes } from "./modules/contexts/routes.ts";
import { registerPanelRoutes } from "./modules/panels/routes.ts";
import { registerIncidentRoutes } from "./modules/incidents/routes.ts";
import { registerReferralRoutes } from "./modules/referrals/routes.ts";
import { registerReturnsRoutes } from "./modules/returns/routes.ts";
import { registerAnnexARoutes } from "./modules/returns/annex-a-routes.ts";
import { apiDeclarationOf } from "./api/kernel.ts";
import { registerApi } from "./api/routes.ts";
import { registerKpiRoutes } from "./modules/kpis/routes.ts";

export interface AppOptions {
  database: Database;
  config: Config;
  clock?: () => Date;
  oidc?: OidcClient;
  logger?: boolean;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  permission: string;
  audit: string;
  /** The URL parameter naming the person the route is about, if any. */
  personParam?: string;
  /** Which parts of the request and response have a schema (decision 0029). */
  contract: Contract;
  /** The folder under src/ that declared it, e.g. "modules/work". */
  declaredIn: string;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route with its declared permission and audit kind (enumerated by a test). */
    routeTable: RegisteredRoute[];
  }
}

const noContract: Contract = {
  params: false,
  query: false,
  body: false,
  response: false,
  readsRawQuery: false,
};

const dir = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** Assembles the service: plugins, security headers, templates and each module's routes. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Personal data must not reach logs: requests are logged by route pattern, never by URL
    // (a search URL carries a name; a record URL carries an id).
    logger: options.logger
      ? {
          serializers: {
            req: (request: { method: string; routeOptions?: { url?: string } }) => ({
              method: request.method,
              route: request.routeOptions?.url,
            }),
          },
        }
      : false,
    trustProxy: options.config.trustProxy ?? false,
  });
  const services: AppServices = {
    database: options.database,
    config: options.config,
    clock: options.clock ?? (() => new Date()),
  };

  // Deny by default: a route that does not declare its permission and audit kind cannot start.
  const routeTable: RegisteredRoute[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (route) => {
    // The declaration comes from addRoute's own record of its handlers, never from the route's
    // config: a route registered directly with a hand-written config would skip the wrapper.
    // The API's routes come from its own kernel (src/api/kernel.ts), which keeps the same record.
    const api = apiDeclarationOf(route.handler);
    const declared: Partial<RouteDeclaration> | undefined =
      kernelDeclarationOf(route.handler) ??
      (api && {
        ...api,
        contract: {
          params: Boolean(api.contract?.params),
          query: Boolean(api.contract?.query),
          body: Boolean(api.contract?.body),
          response: Boolean(api.contract?.response),
          readsRawQuery: false,
        },
        declaredIn: "api",
      });
    if (!declared?.permission || !declared.audit) {
      throw new Error(
        `Route ${String(route.method)} ${route.url} must be registered with addRoute (permission and audit kind)`,
      );
    }
    routeTable.push({
      method: String(route.method),
      url: route.url,
      permission: declared.permission,
      audit: declared.audit,
      ...(declared.personParam ? { personParam: declared.personParam } : {}),
      contract: declared.contract ?? noContract,
      declaredIn: declared.declaredIn ?? "unknown",
    });
  });

  await app.register(cookie, { secret: options.config.cookieSecret });
  await app.register(formbody);
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    referrerPolicy: { policy: "same-origin" },
  });
  await app.register(fastifyStatic, { root: dir("../web/"), serve: false });
  await app.register(view, {
    engine: { nunjucks },
    templates: [
      dir("./views/"),
      dir("./modules/"),
      dir("../node_modules/govuk-frontend/dist/"),
      dir("../node_modules/@ministryofjustice/frontend/"),
    ],
    options: { onConfigure: configureTemplates },
  });

  app.setNotFoundHandler(async (request, reply) =>
    sendError(reply, request, undefined, new AppError("not_found", "Page not found")),
  );
  app.setErrorHandler(async (error: { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error(error);
    const message =
      status === 413
        ? "What you sent is too large."
        : status < 500
          ? "The request could not be read. Go back and try again."
          : "Sorry, something went wrong. Nothing was saved.";
    return sendError(
      reply,
      request,
      undefined,
      new AppError("validation", message),
      undefined,
      status,
    );
  });

  registerAssetRoutes(app, services);
  registerAuthRoutes(app, services, options.oidc);
  registerHomeRoutes(app, services);
  registerKpiRoutes(app, services);
  registerPeopleRoutes(app, services);
  registerAddPersonRoutes(app, services);
  registerPossibleDuplicateRoutes(app, services);
  registerSharingRoutes(app, services);
  registerMergeRoutes(app, services);
  registerBreakGlassRoutes(app, services);
  registerAdminRoutes(app, services);
  registerApiClientRoutes(app, services);
  registerJourneyRoutes(app, services);
  registerProtectionRoutes(app, services);
  registerChronologyRoutes(app, services);
  registerLookedAfterRoutes(app, services);
  registerCareLeaverRoutes(app, services);
  registerVisitsRoutes(app, services);
  registerCaseloadsRoutes(app, services);
  registerWorktrayRoutes(app, services);
  registerWorkRoutes(app, services);
  registerFamilyRoutes(app, services);
  registerExploitationRoutes(app, services);
  registerNetworkRoutes(app, services);
  registerContextRoutes(app, services);
  registerPanelRoutes(app, services);
  registerIncidentRoutes(app, services);
  registerReferralRoutes(app, services);
  registerReturnsRoutes(app, services);
  registerAnnexARoutes(app, services);
  registerApi(app, services);
  return app;
}
