import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";
import { registerFrequencyRoutes } from "./frequency-routes.ts";
import { registerCaseNoteRoutes } from "./note-routes.ts";
import { registerVisitRoutes } from "./visit-routes.ts";

/** Statutory visits, case notes, and the LA's visit frequency settings. */
export function registerVisitsRoutes(app: FastifyInstance, services: AppServices): void {
  registerVisitRoutes(app, services);
  registerCaseNoteRoutes(app, services);
  registerFrequencyRoutes(app, services);
}
