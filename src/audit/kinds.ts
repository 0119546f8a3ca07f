/**
 * Every kind of audit row the service writes, with the plain words the access log shows and
 * what sort of access it is. The list is closed: `AuditKind` (used by addRoute) is its keys,
 * so a route with an unknown kind does not compile, and a test checks every registered route.
 *
 * - view: someone saw part of a record, including opening a form (a form shows the record);
 * - change: someone saved something (or tried to: the row's outcome says which);
 * - list: the person appeared in a list, a search or a caseload;
 * - session: signing in and out;
 * - admin: accounts, the council's settings, and oversight such as emergency-access review.
 *
 * A GET that shows a form for a change is logged as `<change kind>.form`, a view.
 */
export type AuditCategory = "view" | "change" | "list" | "session" | "admin";

interface KindInfo {
  label: string;
  category: AuditCategory;
}

const view = (label: string): KindInfo => ({ label, category: "view" });
const change = (label: string): KindInfo => ({ label, category: "change" });
const list = (label: string): KindInfo => ({ label, category: "list" });
const admin = (label: string): KindInfo => ({ label, category: "admin" });
const session = (label: string): KindInfo => ({ label, category: "session" });

export const auditKinds = {
  "auth.sign_in": session("Signed in"),
  "auth.sign_out": session("Signed out"),

  "home.view": list("Listed on their caseload"),
  "person.search": list("Appeared in search results"),
  "person.view": view("Viewed the record"),
  "person.create": change("Added the person"),
  "person.update": change("Changed the details"),
  "person.candidates": list("Listed as a possible match for a person being added"),
  "possible_duplicate.list": list("Listed as a possible duplicate for the front door"),
  "possible_duplicate.resolve": change("Checked a possible duplicate record"),
  "person.view_access_log": view("Viewed this access log"),
  "person.merge.form": view("Opened the form to merge two records"),
  "person.merge": change("Merged two records of the person"),
  "person.unmerge": change("Undid a merge of two records"),
  "person.identifier_list": list("Listed as a child without a consistent identifier"),
  "record.share": change("Shared the record with a partner agency"),
  "record.revoke_share": change("Ended sharing with a partner agency"),

  "returns.start": admin("Started a statutory return's run for the whole council"),
  "returns.generate": list("Included in a statutory return generated for the whole council"),
  "returns.report.view": list("Named in a statutory return's validation report"),
  "returns.report.download": list("Named in a downloaded validation report of a statutory return"),
  "returns.file.download": list("Included in a downloaded statutory return file"),
  "returns.query.answer": change("Answered a statutory return's query about the child"),
  "returns.child.view": view("Viewed the census details from a statutory return's report"),
  "returns.child.correct": change("Corrected census details from a statutory return's report"),
  "returns.file.check": admin(
    "Checked a census file made by another system against the DfE's rules",
  ),
  "returns.feed.send": list("Sent to the DfE in the daily children's social care feed"),
  "returns.feed.page": admin("Looked at the DfE feed's runs"),

  "break_glass.search": list("Appeared in an emergency-access search"),
  "break_glass.grant": view("Opened with emergency access"),
  "break_glass.list": list("Listed for emergency-access review"),
  "break_glass.view_review": admin("Looked at an emergency-access review"),
  "break_glass.review": admin("Reviewed emergency access"),
  "break_glass.search_review": admin("Reviewed an emergency-access search"),
  "oversight.case_roles": admin("Listed grants of case roles"),
  // Performance figures (decision 0033): an aggregate names no child; a drill-down names those
  // shown.
  "kpi.view": admin("Looked at performance figures"),
  "kpi.children": list("Listed behind a performance figure"),

  "journey.view": view("Viewed the statutory journey"),
  "chronology.view": view("Viewed the chronology"),
  "contact.view": view("Viewed a contact"),
  "contact.form": view("Opened the form to record a contact"),
  "contact.record": change("Recorded a contact"),
  "contact.decide": change("Decided on a contact"),
  "contact.list": list("Listed at the front door"),
  "referral.make.form": view("Opened the form to make a referral"),
  "referral.make": change("Made a referral to the front door"),
  "referral.list": list("Listed their own referrals"),
  "referral.view": view("Viewed their own referral"),
  "referral.identify.form": view("Looked at as a possible match for a partner referral"),
  "referral.identify": change("Linked a partner referral to the record"),
  "referral.new_record": change("Created a record from a partner referral"),
  "assessment.view": view("Viewed an assessment"),
  "assessment.start.form": view("Opened the form to start an assessment"),
  "assessment.start": change("Started an assessment"),
  "assessment.submit": change("Completed an assessment"),
  "assessment.authorise": change("Authorised an assessment"),
  "cin_plan.start.form": view("Opened the form to start a child in need plan"),
  "cin_plan.start": change("Started a child in need plan"),
  "cin_plan.end.form": view("Opened the form to end a child in need plan"),
  "cin_plan.end": change("Ended a child in need plan"),
  "early_help.start.form": view("Opened the form to start early help"),
  "early_help.start": change("Started early help"),
  "early_help.end.form": view("Opened the form to end early help"),
  "early_help.end": change("Ended early help"),
  "case.close.form": view("Opened the form to close the case"),
  "case.close": change("Closed the case"),

  "visit.view": view("Viewed the visits"),
  "visit.record.form": view("Opened the form to record a visit"),
  "visit.record": change("Recorded a visit"),
  "case_note.view": view("Viewed the case notes"),
  "case_note.write.form": view("Opened the form to add a case note"),
  "case_note.write": change("Added a case note"),

  "worktray.view": list("Listed in a work tray"),
  "worktray.view_team": list("Listed in a team's work tray"),
  "caseload.view": list("Listed on a team caseload"),
  "allocation.view": view("Viewed the allocation history"),
  "allocation.reallocate.form": view("Opened the form to reallocate"),
  "allocation.reallocate": change("Reallocated"),
  "allocation.end.form": view("Opened the form to end an allocation"),
  "allocation.end": change("Ended an allocation"),
  "work.unallocated": list("Listed on a team's unallocated queue"),
  "work.allocate": change("Allocated work from the team's queue"),
  "work.done.form": view("Opened the form to record work as done"),
  "work.done": change("Recorded work as done"),

  "protection.view": view("Viewed child protection records"),
  "plan.view": view("Viewed the child's plans"),
  "protection.record": change("Recorded child protection work"),
  "cla.view": view("Viewed looked-after details"),
  "cla.record": change("Recorded looked-after details"),
  "missing.view": view("Viewed missing episodes"),
  "missing.record": change("Recorded a missing episode"),
  "care_leaver.view": view("Viewed care leaver details"),
  "care_leaver.record.form": view("Opened a form to record care leaver details"),
  "care_leaver.record": change("Recorded care leaver details"),

  "family.view": view("Viewed the team around the family"),
  "family.allocate.form": view("Opened the form to allocate an adult specialist"),
  "family.allocate": change("Allocated an adult specialist"),
  "workbook.open": change("Started the family Workbook"),
  "workbook.view": view("Viewed the family Workbook"),
  "workbook.section.form": view("Opened a section of the family Workbook to write in"),
  "workbook.section": change("Wrote in the family Workbook"),
  "measure.view": view("Viewed scored measures"),
  "measure.record.form": view("Opened the form to score a measure"),
  "measure.record": change("Scored a measure"),
  "measure.acknowledge": change("Acknowledged a measure alert"),
  "sos_map.view": view("Viewed a Signs of Safety map"),
  "sos_map.record.form": view("Opened the form for a Signs of Safety map"),
  "sos_map.record": change("Recorded a Signs of Safety map"),
  "family_plan.view": view("Viewed the whole-family plan"),
  "family_plan.write.form": view("Opened a form on the whole-family plan"),
  "family_plan.write": change("Changed the whole-family plan"),
  "fgc.view": view("Viewed a Family Group Conference"),
  "fgc.record.form": view("Opened a Family Group Conference form"),
  "fgc.record": change("Recorded a Family Group Conference"),
  "supervision.view": view("Viewed group supervision"),
  "supervision.record": change("Recorded group supervision"),
  "supervision.decide": change("Recorded a group supervision decision"),

  "screening.view": view("Viewed exploitation screenings"),
  "screening.record.form": view("Opened the exploitation screening form"),
  "screening.record": change("Screened for exploitation"),
  "safety_plan.view": view("Viewed a safety plan"),
  "safety_plan.record.form": view("Opened the safety plan form"),
  "safety_plan.record": change("Wrote a safety plan"),
  "network.view": view("Viewed the network around the child"),
  "intelligence.view": view("Viewed intelligence"),
  "intelligence.record.form": view("Opened the form to record intelligence"),
  "intelligence.record": change("Recorded intelligence"),
  "incident.view": view("Viewed incidents"),
  "incident.record.form": view("Opened the form to record an incident"),
  "incident.record": change("Recorded an incident"),
  "hotspot.view": list("Counted in the hotspots"),
  "context.view": view("Viewed a context"),
  "context.record.form": view("Opened a form on a context"),
  "context.record": change("Recorded work on a context"),
  "panel.view": view("Viewed a panel meeting"),
  "panel.record.form": view("Opened a panel form"),
  "panel.record": change("Recorded panel business"),

  "user.list": admin("Listed the users"),
  "user.create": admin("Added a user"),
  "user.unlock": admin("Unlocked a user"),
  "user.deactivate": admin("Deactivated a user"),
  "user.head_of_service": admin("Changed who is head of service"),
  "api_client.list": admin("Listed the API clients"),
  "api_client.create": admin("Registered an API client"),
  "api_client.rotate": admin("Issued a new secret for an API client"),
  "api_client.revoke": admin("Revoked an API client"),
  "api.token": session("A partner system obtained an API token"),
  "settings.update": admin("Changed the council's practice settings"),
  "instrument.view": admin("Viewed the council's measures"),
  "instrument.manage": admin("Managed the council's measures"),
  "checklist.view": admin("Viewed the exploitation screening checklist"),
  "checklist.manage": admin("Managed the exploitation screening checklist"),

  "returns.annex_a.check": list("Listed as needing a fix before Annex A goes to Ofsted"),
  "returns.annex_a.download": view("Included in an Annex A workbook for Ofsted"),
} as const satisfies Record<string, KindInfo>;

export type AuditKind = keyof typeof auditKinds;

/** A change kind whose GET form is logged as `<kind>.form`. */
export type FormedKind = {
  [K in AuditKind]: `${K}.form` extends AuditKind ? K : never;
}[AuditKind];

export function isAuditKind(value: string): value is AuditKind {
  return Object.hasOwn(auditKinds, value);
}

/** The plain words for an audit row's action; never the code, even for an unknown one. */
export function auditLabel(action: string): string {
  return isAuditKind(action) ? auditKinds[action].label : "Other activity";
}

export function auditCategory(action: string): AuditCategory {
  return isAuditKind(action) ? auditKinds[action].category : "admin";
}

/** The kinds of one category, for filtering the log in SQL. */
export function kindsIn(category: AuditCategory): AuditKind[] {
  return (Object.keys(auditKinds) as AuditKind[]).filter(
    (kind) => auditKinds[kind].category === category,
  );
}
