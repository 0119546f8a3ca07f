import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

export function registerWorkbookRoutes(_app: FastifyInstance, _services: AppServices): void {}
