/**
 * The page that checks a CIN census file made by another system (./file-check.ts). The file
 * is uploaded (src/platform/uploads.ts), checked, and the report shown; nothing is kept.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { maySeeNamedChildren } from "../../access/returns.ts";
import { collectionYears } from "../../domain/cin-census/model.ts";
import { DEFAULT_MAX_BYTES } from "../../domain/cin-census/read-xml.ts";
import { AppError } from "../../platform/errors.ts";
import { withErrors } from "../../platform/form-errors.ts";
import { actorOf, addRoute, type AppServices, type RouteResult } from "../../platform/routes.ts";
import { withUploads } from "../../platform/uploads.ts";
import { checkCensusFile } from "./file-check.ts";

const CheckForm = z.object({
  year: z.enum(collectionYears, { message: "Select a collection year" }),
  file: z.instanceof(Buffer, { message: "Choose a census file (XML) to check" }),
});

function formPage(year: unknown): RouteResult {
  return {
    view: "returns/views/check-file.njk",
    data: {
      title: "Check a census file from another system",
      years: collectionYears.map((y) => ({
        value: y,
        text: y,
        selected: y === (year ?? collectionYears.at(-1)),
      })),
      maxMb: DEFAULT_MAX_BYTES / 1048576,
    },
  };
}

export function registerFileCheckRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/returns/check-file",
    permission: "returns",
    audit: "none",
    handler: () => Promise.resolve(formPage(undefined)),
  });

  withUploads(app, { maxBytes: DEFAULT_MAX_BYTES }, (uploads) => {
    addRoute(uploads, services, {
      method: "POST",
      url: "/returns/check-file",
      permission: "returns",
      audit: "returns.file.check",
      upload: "file",
      body: CheckForm,
      showAgain: (request, _ctx, _input, error) =>
        Promise.resolve(
          withErrors(formPage((request.body as { year?: unknown } | undefined)?.year), error),
        ),
      handler: async (_request, _reply, ctx, { body }) => {
        const checked = await checkCensusFile(body.file, body.year);
        ctx.audit({
          summary: {
            return: "cin",
            year: body.year,
            bytes: body.file.length,
            ...(checked.ok
              ? { children: checked.children, errors: checked.errors, queries: checked.queries }
              : { refused: checked.message }),
          },
        });
        if (!checked.ok) {
          // The file could not be read: nothing to report, so the form again with why.
          return withErrors(
            formPage(body.year),
            new AppError("validation", checked.message, [
              { field: "file", message: checked.message },
            ]),
          );
        }
        return {
          view: "returns/views/check-file-report.njk",
          data: {
            title: `Census file checked for ${checked.year}`,
            check: checked,
            errorGroups: checked.groups.filter((g) => g.severity === "error"),
            queryGroups: checked.groups.filter((g) => g.severity === "query"),
            named: maySeeNamedChildren(actorOf(ctx)),
          },
        };
      },
    });
  });
}
