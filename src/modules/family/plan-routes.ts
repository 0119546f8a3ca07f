import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Placeholder: filled in by the plan work. */
export function registerFamilyPlanRoutes(_app: FastifyInstance, _services: AppServices): void {}
