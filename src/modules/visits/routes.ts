import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

export function registerVisitsRoutes(_app: FastifyInstance, _services: AppServices): void {
  // Routes are added by the module's work in progress (issue 3).
}
