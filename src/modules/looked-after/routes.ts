import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";
import { registerClaRoutes } from "./cla-routes.ts";
import { registerMissingRoutes } from "./missing-routes.ts";
import { registerClaReviewRoutes } from "./review-routes.ts";
import { registerPermanenceRoutes } from "./permanence-routes.ts";
import { registerUascRoutes } from "./uasc-routes.ts";

/** Looked-after children (periods of care, reviews) and missing episodes. */
export function registerLookedAfterRoutes(app: FastifyInstance, services: AppServices): void {
  registerClaRoutes(app, services);
  registerClaReviewRoutes(app, services);
  registerMissingRoutes(app, services);
  registerUascRoutes(app, services);
  registerPermanenceRoutes(app, services);
}
