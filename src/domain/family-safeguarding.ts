/**
 * Family Safeguarding's vocabulary (decision 0013): the roles of a multi-disciplinary team as
 * in the Blackpool seed, the disciplines of the whole-family Workbook, and which practice roles
 * write which discipline. Plain data so that pages, access rules and the demo share one list.
 */
import type { Role } from "../access/permissions.ts";
import { isChildOn } from "./dates.ts";

export const practiceRoles = [
  "team_manager",
  "senior_social_worker",
  "social_worker",
  "family_practitioner",
  "recovery_worker",
  "domestic_abuse_practitioner",
  "domestic_abuse_officer",
  "mental_health_practitioner",
  "business_support",
] as const;
export type PracticeRole = (typeof practiceRoles)[number];

export const practiceRoleLabels: Record<PracticeRole, string> = {
  team_manager: "Team manager",
  senior_social_worker: "Senior social worker",
  social_worker: "Child and family social worker",
  family_practitioner: "Child and family practitioner",
  recovery_worker: "Recovery worker (substance misuse)",
  domestic_abuse_practitioner: "Domestic abuse practitioner",
  domestic_abuse_officer: "Domestic abuse officer (works with the person who harms)",
  mental_health_practitioner: "Mental health practitioner",
  business_support: "Business support",
};

/** The account role each practice role needs: a recovery worker is an adult specialist. */
export const practiceRoleAccountRole: Record<PracticeRole, Role> = {
  team_manager: "team_manager",
  senior_social_worker: "social_worker",
  social_worker: "social_worker",
  family_practitioner: "social_worker",
  recovery_worker: "adult_specialist",
  domestic_abuse_practitioner: "adult_specialist",
  domestic_abuse_officer: "adult_specialist",
  mental_health_practitioner: "adult_specialist",
  business_support: "business_support",
};

export function isPracticeRole(value: string | null | undefined): value is PracticeRole {
  return (practiceRoles as readonly string[]).includes(value ?? "");
}

/**
 * A member with no practice role recorded (e.g. an account made before teams had them) counts
 * as the plain role of their account; adult specialists need theirs recorded to write.
 */
export function practiceRoleOf(
  practiceRole: string | null,
  accountRole: Role,
): PracticeRole | null {
  if (isPracticeRole(practiceRole)) return practiceRole;
  if (accountRole === "social_worker" || accountRole === "team_manager") return accountRole;
  if (accountRole === "business_support") return "business_support";
  return null;
}

export const workbookDisciplines = [
  "child",
  "parent",
  "domestic_abuse",
  "substance_misuse",
  "mental_health",
] as const;
export type WorkbookDiscipline = (typeof workbookDisciplines)[number];

export const workbookDisciplineLabels: Record<WorkbookDiscipline, string> = {
  child: "The child",
  parent: "Parent or carer",
  domestic_abuse: "Domestic abuse",
  substance_misuse: "Substance misuse",
  mental_health: "Mental health",
};

/** The discipline a measure belongs to; "general" measures (readiness to change) are anyone's. */
export const measureDisciplines = [
  "domestic_abuse",
  "substance_misuse",
  "mental_health",
  "general",
] as const;
export type MeasureDiscipline = (typeof measureDisciplines)[number];

export const measureDisciplineLabels: Record<MeasureDiscipline, string> = {
  domestic_abuse: "Domestic abuse",
  substance_misuse: "Substance misuse",
  mental_health: "Mental health",
  general: "General",
};

/**
 * Special category data (health): shown to the family's team but to a partner agency only
 * where the person's record is shared with it on a share that includes health.
 */
export const sensitiveDisciplines: readonly string[] = ["mental_health", "substance_misuse"];

export function isSensitiveDiscipline(discipline: string): boolean {
  return sensitiveDisciplines.includes(discipline);
}

const childrensPractitioners: readonly PracticeRole[] = [
  "team_manager",
  "senior_social_worker",
  "social_worker",
  "family_practitioner",
];

/** Who writes each section and scores each measure: the discipline's own practitioners. */
export const disciplineWriters: Record<
  WorkbookDiscipline | MeasureDiscipline,
  readonly PracticeRole[]
> = {
  child: childrensPractitioners,
  parent: childrensPractitioners,
  domestic_abuse: [
    "domestic_abuse_practitioner",
    "domestic_abuse_officer",
    "senior_social_worker",
    "social_worker",
  ],
  substance_misuse: ["recovery_worker"],
  mental_health: ["mental_health_practitioner"],
  general: [
    ...childrensPractitioners,
    "recovery_worker",
    "domestic_abuse_practitioner",
    "domestic_abuse_officer",
    "mental_health_practitioner",
  ],
};

/** Which built-in measure belongs to which discipline. */
export const builtInMeasureDisciplines: Record<string, MeasureDiscipline> = {
  dash_risk_checklist: "domestic_abuse",
  audit: "substance_misuse",
  phq9: "mental_health",
  gad7: "mental_health",
  readiness_to_change: "general",
};

/** Adults are 18 or over on the day; a person without a date of birth is taken as an adult. */
export function isAdultOn(dateOfBirth: string | null, today: string): boolean {
  if (!dateOfBirth) return true;
  return dateOfBirth <= today && !isChildOn(dateOfBirth, today);
}

export const planProgress = ["not_started", "in_progress", "done", "stopped"] as const;
export type PlanProgress = (typeof planProgress)[number];
export const planProgressLabels: Record<PlanProgress, string> = {
  not_started: "Not started",
  in_progress: "In progress",
  done: "Done",
  stopped: "Stopped",
};

export const consentStates = ["given", "declined", "not_asked"] as const;
export type Consent = (typeof consentStates)[number];
export const consentLabels: Record<Consent, string> = {
  given: "Given",
  declined: "Declined",
  not_asked: "Not yet asked",
};

/** Group supervision falls due this many weeks after the last one, unless the family's is set. */
export const DEFAULT_SUPERVISION_INTERVAL_WEEKS = 4;
