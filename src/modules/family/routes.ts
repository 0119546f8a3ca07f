import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";
import { registerFamilyGroupConferenceRoutes } from "./fgc-routes.ts";
import { registerMeasureRoutes } from "./measure-routes.ts";
import { registerFamilyPlanRoutes } from "./plan-routes.ts";
import { registerSignsOfSafetyRoutes } from "./sos-routes.ts";
import { registerSupervisionRoutes } from "./supervision-routes.ts";
import { registerWorkbookRoutes } from "./workbook-routes.ts";

/** Family Safeguarding: the team around the family, the Workbook and everything in it. */
export function registerFamilyRoutes(app: FastifyInstance, services: AppServices): void {
  registerWorkbookRoutes(app, services);
  registerMeasureRoutes(app, services);
  registerSignsOfSafetyRoutes(app, services);
  registerFamilyPlanRoutes(app, services);
  registerFamilyGroupConferenceRoutes(app, services);
  registerSupervisionRoutes(app, services);
}
