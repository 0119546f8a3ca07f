import type nunjucks from "nunjucks";
import { roleLabels, isRole } from "../access/permissions.ts";
import { chronologyLabel } from "../domain/chronology.ts";
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
  "journey.view": "Viewed the statutory journey",
  "chronology.view": "Viewed the chronology",
  "contact.view": "Viewed a contact",
  "contact.record": "Recorded a contact",
  "contact.decide": "Decided on a contact",
  "contact.list": "Listed at the front door",
  "assessment.view": "Viewed an assessment",
  "assessment.submit": "Completed an assessment",
  "assessment.authorise": "Authorised an assessment",
  "case.close": "Closed the case",
  "visit.view": "Viewed the visits",
  "visit.record": "Recorded a visit",
  "case_note.view": "Viewed the case notes",
  "case_note.write": "Added a case note",
  "worktray.view": "Listed in a work tray",
  "caseload.view": "Listed on a team caseload",
  "protection.view": "Viewed child protection records",
  "cla.view": "Viewed looked-after details",
  "cla.record": "Recorded looked-after details",
  "missing.view": "Viewed missing episodes",
  "missing.record": "Recorded a missing episode",
  "protection.record": "Recorded child protection work",
  "allocation.view": "Viewed the allocation history",
  "allocation.reallocate": "Reallocated",
  "worktray.view_team": "Listed in a team's work tray",
  "family.view": "Viewed the team around the family",
  "family.allocate": "Allocated an adult specialist",
  "workbook.open": "Opened the family Workbook",
  "workbook.view": "Viewed the family Workbook",
  "workbook.section": "Wrote in the family Workbook",
  "measure.view": "Viewed scored measures",
  "measure.record": "Scored a measure",
  "measure.acknowledge": "Acknowledged a measure alert",
  "sos_map.view": "Viewed a Signs of Safety map",
  "sos_map.record": "Recorded a Signs of Safety map",
  "family_plan.view": "Viewed the whole-family plan",
  "family_plan.write": "Changed the whole-family plan",
  "fgc.view": "Viewed a Family Group Conference",
  "fgc.record": "Recorded a Family Group Conference",
  "supervision.view": "Viewed group supervision",
  "supervision.record": "Recorded group supervision",
  "supervision.decide": "Recorded a group supervision decision",
  "instrument.manage": "Managed the council's measures",
  "checklist.manage": "Managed the exploitation screening checklist",
  "screening.view": "Viewed exploitation screenings",
  "screening.record": "Screened for exploitation",
  "safety_plan.view": "Viewed a safety plan",
  "safety_plan.record": "Wrote a safety plan",
  "network.view": "Viewed the network around the child",
  "intelligence.view": "Viewed intelligence",
  "intelligence.record": "Recorded intelligence",
  "incident.view": "Viewed incidents",
  "incident.record": "Recorded an incident",
  "hotspot.view": "Viewed hotspots",
  "context.view": "Viewed a context",
  "context.record": "Recorded work on a context",
  "panel.view": "Viewed a panel meeting",
  "panel.record": "Recorded panel business",
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
  env.addFilter("chronologyLabel", (value: unknown) =>
    typeof value === "string" ? chronologyLabel(value) : "",
  );
  env.addFilter("roleLabel", (value: unknown) =>
    typeof value === "string" && isRole(value) ? roleLabels[value] : "",
  );
}
