/**
 * The fixed demo sign-ins: the same users, in this order, in every size and for every seed, so
 * start-up can print them without regenerating anything. Names are invented.
 */

import type { Role } from "../access/permissions.ts";

export type { Role };

export const EMAIL_DOMAIN = "northmoor.example";

export interface DemoSignIn {
  email: string;
  role: string;
  displayName: string;
  jobTitle: string;
  /** The name of the user's team. */
  team: string;
  /** One plain sentence: what this user can see. */
  whatTheySee: string;
}

export type FixedKey =
  | "socialWorker"
  | "teamManager"
  | "adultSpecialist"
  | "businessSupport"
  | "otherSocialWorker"
  | "exploitationWorker"
  | "police"
  | "health"
  | "analyst"
  | "performanceOfficer"
  | "admin"
  | "recoveryWorker"
  | "mentalHealth"
  | "domesticAbuseOfficer";

export interface FixedSignIn extends DemoSignIn {
  key: FixedKey;
  role: Role;
}

// Team names must match those made in staff.ts; generate.test.ts checks they do.
const TEAM_A = "Family Safeguarding Team A";

export const FIXED_SIGN_INS: readonly FixedSignIn[] = [
  {
    key: "socialWorker",
    email: `social.worker@${EMAIL_DOMAIN}`,
    displayName: "Amara Bennett",
    role: "social_worker",
    jobTitle: "Social worker",
    team: TEAM_A,
    whatTheySee:
      "Team A's families and their own caseload: a child protection family, a child in need family, an assessment running late, and a looked-after child with a long history; My work lists visits, reviews and a return interview due.",
  },
  {
    key: "teamManager",
    email: `team.manager@${EMAIL_DOMAIN}`,
    displayName: "Daniel Hughes",
    role: "team_manager",
    jobTitle: "Team manager",
    team: TEAM_A,
    whatTheySee:
      "Every family allocated to Family Safeguarding Team A, including one restricted child; an assessment waiting for authorisation. Also head of service: reviews emergency access across the council.",
  },
  {
    key: "adultSpecialist",
    email: `adult.specialist@${EMAIL_DOMAIN}`,
    displayName: "Rachel Okoro",
    role: "adult_specialist",
    jobTitle: "Domestic abuse practitioner",
    team: TEAM_A,
    whatTheySee:
      "Families in Family Safeguarding Team A, working with the adults on domestic abuse.",
  },
  {
    key: "businessSupport",
    email: `business.support@${EMAIL_DOMAIN}`,
    displayName: "Lisa Marsh",
    role: "business_support",
    jobTitle: "Business support officer",
    team: TEAM_A,
    whatTheySee: "Families in Family Safeguarding Team A, to record group supervision.",
  },
  {
    key: "otherSocialWorker",
    email: `other.social.worker@${EMAIL_DOMAIN}`,
    displayName: "Tom Fletcher",
    role: "social_worker",
    jobTitle: "Social worker",
    team: "Family Safeguarding Team B",
    whatTheySee:
      "Families allocated to Family Safeguarding Team B, not Team A's: a section 47 enquiry with its conference due, a child protection plan and a new assessment.",
  },
  {
    key: "exploitationWorker",
    email: `exploitation.worker@${EMAIL_DOMAIN}`,
    displayName: "Jordan Price",
    role: "social_worker",
    jobTitle: "Exploitation social worker",
    team: "Complex Safeguarding North",
    whatTheySee:
      "Young people at risk of exploitation allocated to Complex Safeguarding North, with return home interviews to offer after missing episodes.",
  },
  {
    key: "police",
    email: `police.officer@${EMAIL_DOMAIN}`,
    displayName: "Helen Carter",
    role: "partner_practitioner",
    jobTitle: "Detective constable",
    team: "Police Public Protection Unit",
    whatTheySee: "Only records shared with Northmoor Police.",
  },
  {
    key: "health",
    email: `health.visitor@${EMAIL_DOMAIN}`,
    displayName: "Grace Adeyemi",
    role: "partner_practitioner",
    jobTitle: "Health visitor",
    team: "Health Safeguarding Team",
    whatTheySee: "Only records shared with Northmoor NHS Foundation Trust.",
  },
  {
    key: "analyst",
    email: `performance.analyst@${EMAIL_DOMAIN}`,
    displayName: "Imran Siddiqui",
    role: "performance_analyst",
    jobTitle: "Performance analyst",
    team: "Performance and Intelligence",
    whatTheySee: "Performance figures across Northmoor, not individual case records.",
  },
  {
    key: "performanceOfficer",
    email: `performance.officer@${EMAIL_DOMAIN}`,
    displayName: "Joanna Pryce",
    role: "performance_officer",
    jobTitle: "Performance officer",
    team: "Performance and Intelligence",
    whatTheySee:
      "The statutory returns for all of Northmoor, and the records their errors point to.",
  },
  {
    key: "admin",
    email: `system.admin@${EMAIL_DOMAIN}`,
    displayName: "Chris Doyle",
    role: "system_admin",
    jobTitle: "Systems administrator",
    team: "Systems Administration",
    whatTheySee: "No case records: manages user accounts and teams.",
  },
];

/**
 * Team A's other adult specialists (Blackpool's team composition, decision 0013), alongside
 * adult.specialist@, who is its domestic abuse practitioner. Adult specialists see only the
 * families of the adults allocated to them; the demo allocates each to adults in the families
 * with Workbooks (family-safeguarding.ts). Printed after FIXED_SIGN_INS.
 */
export const FAMILY_SAFEGUARDING_SIGN_INS: readonly FixedSignIn[] = [
  {
    key: "recoveryWorker",
    email: `recovery.worker@${EMAIL_DOMAIN}`,
    displayName: "Owen Pritchard",
    role: "adult_specialist",
    jobTitle: "Recovery worker (substance misuse)",
    team: TEAM_A,
    whatTheySee:
      "Families in Family Safeguarding Team A where they work with a parent on alcohol or drug use: Workbook sections and AUDIT scores.",
  },
  {
    key: "mentalHealth",
    email: `mental.health@${EMAIL_DOMAIN}`,
    displayName: "Priya Raman",
    role: "adult_specialist",
    jobTitle: "Mental health practitioner",
    team: TEAM_A,
    whatTheySee:
      "Families in Family Safeguarding Team A where they work with a parent's mental health: PHQ-9 and GAD-7 scores over time, and an alert to act on.",
  },
  {
    key: "domesticAbuseOfficer",
    email: `domestic.abuse.officer@${EMAIL_DOMAIN}`,
    displayName: "Martin Greaves",
    role: "adult_specialist",
    jobTitle: "Domestic abuse officer",
    team: TEAM_A,
    whatTheySee:
      "Families in Family Safeguarding Team A where they work with the parent who has been abusive, towards changing that behaviour.",
  },
];

/** The sign-ins as printed at start-up, in order. */
export const demoSignIns: DemoSignIn[] = [...FIXED_SIGN_INS, ...FAMILY_SAFEGUARDING_SIGN_INS].map(
  ({ key: _key, ...signIn }) => signIn,
);
