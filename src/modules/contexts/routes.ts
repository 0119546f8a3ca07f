import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Incidents, hotspots and contexts (a peer group, a place, a school) as subjects. */
export function registerContextRoutes(_app: FastifyInstance, _services: AppServices): void {}
