/**
 * What each role may do. The only place permissions are decided (see docs/ARCHITECTURE.md):
 * a route names one permission when it is registered, and `can` answers for an actor.
 * Which *records* an actor may see is decided separately, in visibility.ts.
 */
export const roles = [
  "social_worker",
  "team_manager",
  "adult_specialist",
  "business_support",
  "partner_practitioner",
  "performance_analyst",
  "performance_officer",
  "system_admin",
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  social_worker: "Social worker",
  team_manager: "Team manager",
  adult_specialist: "Adult specialist",
  business_support: "Business support",
  partner_practitioner: "Partner agency practitioner",
  performance_analyst: "Performance analyst",
  performance_officer: "Performance officer",
  system_admin: "System administrator",
};

export const permissions = [
  /** Anyone, signed in or not: sign-in page, health check, assets. */
  "public",
  /** Any signed-in user: home page, sign-out. */
  "signed_in",
  "person.search",
  "person.view",
  "person.create",
  "person.edit",
  /** Merge two records of one person into one, and undo it: a team manager's (decision 0024). */
  "person.merge",
  /** The front door's list of children without the consistent identifier (decision 0023). */
  "person.identifier_review",
  "record.share",
  "record.view_access_log",
  "break_glass.use",
  "break_glass.review",
  /** See every grant of a case role by an administrator: a head of service's oversight. */
  "access.oversee",
  "user.manage",
  /** See a visible child's statutory journey, chronology, visits and notes. */
  "journey.view",
  /** Record contacts, assessments, strategy discussions, S47s, conferences, plans, closure. */
  "journey.record",
  /** Decide on a contact and authorise an assessment: a manager's decisions. */
  "journey.decide",
  /** Record a statutory visit. */
  "visit.record",
  /** Add a case note (any agency, on a record it may see). */
  "case_note.write",
  /** See and reallocate the caseloads of one's teams. */
  "caseload.manage",
  /** "My work": what is due and overdue on one's own cases. */
  "worktray.view",
  /** Set the LA's practice settings, such as how often statutory visits are due. */
  "settings.manage",
  /** See the team around a family and its Workbook (a partner sees only its shared part). */
  "family.view",
  /** Write the Workbook: sections and measures of one's discipline, maps, plans, FGCs. */
  "workbook.write",
  /** Schedule group supervision, record attendance, the reflective discussion and actions. */
  "supervision.record",
  /** Record group supervision decisions: the team manager's alone. */
  "supervision.decide",
  /** See screenings, safety plans and the network around children one may see. */
  "exploitation.view",
  /** Screen a child for exploitation and write their safety plan. */
  "exploitation.record",
  /** Record intelligence: persons of concern, places, peer groups and associations. */
  "intelligence.record",
  /** Refer, assess and plan for a context (a peer group, a place, a school). */
  "context.record",
  /** See multi-agency panels (MACE, MASP): meetings, agendas, decisions and actions. */
  "panel.view",
  /** Run a panel: schedule meetings, set agendas, record attendance, decisions and actions. */
  "panel.record",
  /** Refer any child to the front door and follow one's own referrals (a partner agency). */
  "referral.make",
  /** Identify the child of a partner referral: link it to a record or create one. */
  "referral.identify",
  /** Produce the council's statutory returns (CIN census, Annex A, SSDA903) and see their
   * validation reports: an audited, council-wide read (decision 0028). */
  "returns",
  /** Report a child missing and found, as a police system does through the API (decision 0030). */
  "missing.report",
  /** See performance figures: every measure, its trend and breakdowns, within the scope
   * src/access/kpis.ts gives (council or own teams), small numbers suppressed (decision 0033). */
  "kpi.view",
  /** Follow a performance figure to the children behind it: only those one may see are named,
   * the rest counted (decision 0033). Never the analyst's: aggregates only. */
  "kpi.children",
] as const;
export type Permission = (typeof permissions)[number];

const caseWork: Permission[] = ["person.search", "person.view", "person.create", "person.edit"];

const journeyWork: Permission[] = [
  "journey.view",
  "journey.record",
  "visit.record",
  "case_note.write",
  "worktray.view",
  "family.view",
  "workbook.write",
  "exploitation.view",
  "exploitation.record",
  "intelligence.record",
  "context.record",
  "panel.view",
  "panel.record",
  "missing.report",
];

const rolePermissions: Record<Role, readonly Permission[]> = {
  social_worker: [
    ...caseWork,
    ...journeyWork,
    "record.share",
    "break_glass.use",
    // Only for a social worker in a front door team (src/access/identifiers.ts).
    "person.identifier_review",
  ],
  team_manager: [
    ...caseWork,
    ...journeyWork,
    "journey.decide",
    "referral.identify",
    "person.merge",
    "person.identifier_review",
    "caseload.manage",
    "supervision.record",
    "supervision.decide",
    "record.share",
    "record.view_access_log",
    "break_glass.use",
    "break_glass.review",
    "kpi.view",
    "kpi.children",
  ],
  adult_specialist: [
    ...caseWork,
    "journey.view",
    "case_note.write",
    "worktray.view",
    "family.view",
    "workbook.write",
  ],
  business_support: [
    "person.search",
    "person.view",
    "journey.view",
    "family.view",
    "exploitation.view",
    "panel.view",
    "panel.record",
    "worktray.view",
    "supervision.record",
  ],
  partner_practitioner: [
    "person.search",
    "person.view",
    "journey.view",
    "case_note.write",
    "family.view",
    "exploitation.view",
    "intelligence.record",
    "panel.view",
    "referral.make",
    "missing.report",
  ],
  // Analysts work with aggregates (a later issue); administrators manage accounts. Neither
  // sees a case record by virtue of the role.
  performance_analyst: ["returns", "kpi.view"],
  // The council's data and returns role: produces the returns and follows each error to the
  // child's record (decision 0028; which records it sees is decided in visibility.ts).
  performance_officer: ["returns"],
  system_admin: ["user.manage", "settings.manage"],
};

/**
 * The only routes open to every signed-in user, whatever their role: the analyst and the
 * administrator included. Neither shows anyone else's personal data (the home page lists only
 * what the actor's own permissions and caseload give them). Any other route must name the
 * permission it needs; addRoute refuses "signed_in" elsewhere.
 */
export const signedInOnlyRoutes: readonly string[] = ["GET /", "POST /sign-out"];

export function mayBeSignedInOnly(route: string): boolean {
  return signedInOnlyRoutes.includes(route);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function hasPermission(role: Role, permission: Permission): boolean {
  if (permission === "public" || permission === "signed_in") return true;
  return rolePermissions[role].includes(permission);
}

/**
 * Permissions a head of service holds on top of their role. A head of service is a team
 * manager marked as such by the administrator (app_user.head_of_service; decision 0016).
 */
export const headOfServicePermissions: readonly Permission[] = ["access.oversee"];

/** The roles that work on case records: granting one is listed for the head of service. */
export const caseRoles: readonly Role[] = [
  "social_worker",
  "team_manager",
  "adult_specialist",
  "business_support",
  "partner_practitioner",
];
