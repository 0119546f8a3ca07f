import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Placeholder: filled in by the sos work. */
export function registerSignsOfSafetyRoutes(_app: FastifyInstance, _services: AppServices): void {}
