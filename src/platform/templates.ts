import type nunjucks from "nunjucks";
import { roleLabels, isRole } from "../access/permissions.ts";
import { auditLabel } from "../audit/kinds.ts";
import { chronologyLabel } from "../domain/chronology.ts";
import { formatDate } from "../domain/dates.ts";

/** Filters every page may use. */
export function configureTemplates(env: nunjucks.Environment): void {
  // Plain words for audit actions (src/audit/kinds.ts), never the code.
  env.addFilter("auditAction", (value: unknown) =>
    typeof value === "string" ? auditLabel(value) : "",
  );
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
  env.addFilter("chronologyLabel", (value: unknown) =>
    typeof value === "string" ? chronologyLabel(value) : "",
  );
  env.addFilter("roleLabel", (value: unknown) =>
    typeof value === "string" && isRole(value) ? roleLabels[value] : "",
  );
}
