import type nunjucks from "nunjucks";
import { roleLabels, isRole } from "../access/permissions.ts";
import { formatDate } from "../domain/dates.ts";

/** Filters every page may use. */
/** Plain words for audit actions on the "who has viewed this record" page. */
const auditActions: Record<string, string> = {
  "person.view": "Viewed the record",
  "person.search": "Appeared in search results",
  "person.create": "Added the person",
  "person.update": "Changed the details",
  "person.view_access_log": "Viewed this access log",
  "home.view": "Listed on their caseload",
  "break_glass.search": "Appeared in an emergency-access search",
  "break_glass.grant": "Opened with emergency access",
  "break_glass.list": "Listed for emergency-access review",
  "break_glass.review": "Emergency access reviewed",
};

export function configureTemplates(env: nunjucks.Environment): void {
  env.addFilter("auditAction", (value: unknown) =>
    typeof value === "string" ? (auditActions[value] ?? value) : "",
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
  env.addFilter("roleLabel", (value: unknown) =>
    typeof value === "string" && isRole(value) ? roleLabels[value] : "",
  );
}
