import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Contexts (a peer group, a place, a school) as subjects: referral, assessment, plan, review. */
export function registerContextRoutes(_app: FastifyInstance, _services: AppServices): void {}
