import type { FastifyInstance } from "fastify";
import type { AppServices } from "../../platform/routes.ts";

/** Multi-agency panels (MACE, MASP): meetings, agendas, decisions and actions. */
export function registerPanelRoutes(_app: FastifyInstance, _services: AppServices): void {}
