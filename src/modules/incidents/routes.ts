import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Incidents at places and involving children, and hotspots over time. */
export function registerIncidentRoutes(_app: FastifyInstance, _services: AppServices): void {}
