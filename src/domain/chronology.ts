/**
 * The kinds of event on a child's chronology and the type each is filtered by. Every module
 * that records something significant adds an entry of one of these kinds (through
 * src/modules/chronology/record.ts), so the chronology is one timeline across the journey.
 */
export const chronologyTypes = [
  { code: "record", label: "Record and sharing" },
  { code: "front_door", label: "Contacts and referrals" },
  { code: "assessment", label: "Assessments" },
  { code: "protection", label: "Child protection" },
  { code: "plan", label: "Plans and early help" },
  { code: "looked_after", label: "Looked after" },
  { code: "missing", label: "Missing episodes" },
  { code: "leaving_care", label: "Leaving care" },
  { code: "visit", label: "Visits" },
  { code: "note", label: "Case notes" },
  { code: "allocation", label: "Allocation" },
  { code: "family_work", label: "Family Safeguarding" },
  { code: "exploitation", label: "Exploitation and safety plans" },
  { code: "closure", label: "Closure" },
] as const;
export type ChronologyType = (typeof chronologyTypes)[number]["code"];

export const chronologyKinds = {
  record_created: { label: "Record created", type: "record" },
  record_shared: { label: "Record shared", type: "record" },
  share_revoked: { label: "Sharing ended", type: "record" },
  contact: { label: "Contact received", type: "front_door" },
  contact_decision: { label: "Contact decision", type: "front_door" },
  referral: { label: "Referral", type: "front_door" },
  assessment_started: { label: "Assessment started", type: "assessment" },
  assessment_submitted: { label: "Assessment submitted", type: "assessment" },
  assessment_authorised: { label: "Assessment authorised", type: "assessment" },
  strategy_discussion: { label: "Strategy discussion", type: "protection" },
  s47_started: { label: "Section 47 enquiry started", type: "protection" },
  s47_completed: { label: "Section 47 enquiry completed", type: "protection" },
  icpc: { label: "Initial child protection conference", type: "protection" },
  cp_plan_started: { label: "Child protection plan started", type: "protection" },
  cp_review: { label: "Child protection review conference", type: "protection" },
  core_group: { label: "Core group meeting", type: "protection" },
  cp_plan_ended: { label: "Child protection plan ended", type: "protection" },
  cin_plan_started: { label: "Child in need plan started", type: "plan" },
  cin_plan_ended: { label: "Child in need plan ended", type: "plan" },
  early_help_started: { label: "Early help started", type: "plan" },
  early_help_ended: { label: "Early help ended", type: "plan" },
  step_up: { label: "Stepped up", type: "plan" },
  step_down: { label: "Stepped down", type: "plan" },
  cla_started: { label: "Became looked after", type: "looked_after" },
  cla_changed: { label: "Legal status or placement changed", type: "looked_after" },
  cla_ceased: { label: "Ceased to be looked after", type: "looked_after" },
  cla_review: { label: "Looked after review", type: "looked_after" },
  uasc_status: { label: "Unaccompanied asylum-seeking child status", type: "looked_after" },
  adoption_decision: { label: "Decision on placing for adoption", type: "looked_after" },
  placed_for_adoption: { label: "Placed for adoption", type: "looked_after" },
  adoption_order: { label: "Adoption order", type: "looked_after" },
  missing_started: { label: "Missing episode", type: "missing" },
  missing_ended: { label: "Returned from missing", type: "missing" },
  return_interview: { label: "Return home interview", type: "missing" },
  care_leaver_status: { label: "Care leaver status", type: "leaving_care" },
  personal_adviser: { label: "Personal adviser appointed", type: "leaving_care" },
  pathway_plan: { label: "Pathway plan", type: "leaving_care" },
  pathway_plan_review: { label: "Pathway plan review", type: "leaving_care" },
  keeping_in_touch: { label: "Keeping-in-touch contact", type: "leaving_care" },
  visit: { label: "Statutory visit", type: "visit" },
  case_note: { label: "Case note", type: "note" },
  allocated: { label: "Allocated", type: "allocation" },
  reallocated: { label: "Reallocated", type: "allocation" },
  allocation_ended: { label: "Allocation ended", type: "allocation" },
  case_closed: { label: "Case closed", type: "closure" },
  workbook_opened: { label: "Family Workbook opened", type: "family_work" },
  sos_map: { label: "Signs of Safety map", type: "family_work" },
  family_plan: { label: "Whole-family plan", type: "family_work" },
  group_supervision: { label: "Group supervision", type: "family_work" },
  supervision_decision: { label: "Group supervision decision", type: "family_work" },
  fgc_referred: { label: "Family Group Conference referral", type: "family_work" },
  fgc_held: { label: "Family Group Conference", type: "family_work" },
  exploitation_screening: { label: "Exploitation screening", type: "exploitation" },
  safety_plan: { label: "Safety plan", type: "exploitation" },
  panel_agenda: { label: "On a multi-agency panel's agenda", type: "exploitation" },
} as const satisfies Record<string, { label: string; type: ChronologyType }>;
export type ChronologyKind = keyof typeof chronologyKinds;

export function isChronologyKind(value: string): value is ChronologyKind {
  return Object.hasOwn(chronologyKinds, value);
}

/** The label for a stored kind; kinds from older demo data fall back to a readable form. */
export function chronologyLabel(kind: string): string {
  if (isChronologyKind(kind)) return chronologyKinds[kind].label;
  const text = kind.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The stored kinds that belong to a type, for filtering in SQL. */
export function kindsOfType(type: ChronologyType): ChronologyKind[] {
  return (Object.keys(chronologyKinds) as ChronologyKind[]).filter(
    (kind) => chronologyKinds[kind].type === type,
  );
}
