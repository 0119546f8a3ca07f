import type nunjucks from "nunjucks";
import { roleLabels, isRole } from "../access/permissions.ts";
import { formatDate } from "../domain/dates.ts";

/** Filters every page may use. */
export function configureTemplates(env: nunjucks.Environment): void {
  env.addFilter("date", (value: unknown) =>
    typeof value === "string" && value ? formatDate(value) : "",
  );
  env.addFilter("dateTime", (value: unknown) =>
    value instanceof Date
      ? value.toLocaleString("en-GB", {
          timeZone: "Europe/London",
          dateStyle: "medium",
          timeStyle: "short",
        })
      : "",
  );
  env.addFilter("roleLabel", (value: unknown) =>
    typeof value === "string" && isRole(value) ? roleLabels[value] : "",
  );
}
