import { fileURLToPath } from "node:url";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { addRoute, type AppServices } from "./routes.ts";
import { notFound } from "./errors.ts";

const root = (relative: string): string =>
  fileURLToPath(new URL(`../../${relative}`, import.meta.url));

/** URL prefix under /assets/ -> folder. Only these folders are ever served. */
const folders: Record<string, string> = {
  fonts: root("node_modules/govuk-frontend/dist/govuk/assets/fonts"),
  images: root("node_modules/govuk-frontend/dist/govuk/assets/images"),
  govuk: root("node_modules/govuk-frontend/dist/govuk"),
  moj: root("node_modules/@ministryofjustice/frontend/moj"),
  app: root("web"),
  // The network drawing (web/network-graph.mjs) imports their self-contained UMD builds.
  sigma: root("node_modules/sigma/dist"),
  graphology: root("node_modules/graphology/dist"),
};

const allowedFile = /^[a-zA-Z0-9._-]+\.(css|js|mjs|map|woff2?|svg|png|ico|json)$/;

export function registerAssetRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/assets/:folder/:file",
    permission: "public",
    audit: "none",
    handler: async (request, reply) => {
      const { folder, file } = request.params as { folder: string; file: string };
      const base = folders[folder];
      if (!base || !allowedFile.test(file)) throw notFound("File");
      await reply
        .header("cache-control", "public, max-age=3600")
        .sendFile(path.basename(file), base);
      return { sent: true };
    },
  });
  addRoute(app, services, {
    method: "GET",
    url: "/assets/manifest.json",
    permission: "public",
    audit: "none",
    handler: async (_request, reply) => {
      await reply.sendFile("manifest.json", root("node_modules/govuk-frontend/dist/govuk/assets"));
      return { sent: true };
    },
  });
}
