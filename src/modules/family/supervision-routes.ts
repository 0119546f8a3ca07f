import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Placeholder: filled in by the supervision work. */
export function registerSupervisionRoutes(_app: FastifyInstance, _services: AppServices): void {}
