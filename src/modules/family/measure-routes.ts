import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Placeholder: filled in by the measure work. */
export function registerMeasureRoutes(_app: FastifyInstance, _services: AppServices): void {}
