import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Placeholder: filled in by the fgc work. */
export function registerFamilyGroupConferenceRoutes(
  _app: FastifyInstance,
  _services: AppServices,
): void {}
