/**
 * Short invented texts for the generated journey: contact reasons, concerns, notes, a child's
 * words on a visit and the one-line chronology summaries. {child} is the child's first name,
 * {carer} "mum" or "dad". Nothing here is taken from a real case.
 */

/** Contact reasons by CIN referral source group (first character of the code, or "6"). */
export const CONTACT_REASONS: Record<string, readonly string[]> = {
  police: [
    "Police notification: domestic incident at the family home; {child} was present.",
    "Police attended a report of shouting at the address; {child} seen and unhurt.",
    "Police welfare check after a neighbour's call; home conditions very poor.",
    "Police found {carer} intoxicated and caring alone for {child}.",
  ],
  school: [
    "School raised concerns about {child}'s attendance and presentation.",
    "{child} told a teacher there is a lot of arguing at home.",
    "School reported {child} arriving hungry and in unwashed clothes.",
    "{child} came to school with a bruise to the face; explanation unclear.",
  ],
  health: [
    "Health visitor raised concerns about home conditions and missed appointments.",
    "Emergency department: {child} seen with an injury; the explanation did not fit.",
    "GP shared concerns about {carer}'s mental health and the care of {child}.",
    "Midwife concerned about {carer}'s drug use and preparation for the baby.",
  ],
  la: [
    "Early help worker asked for a step-up to children's social care.",
    "Adult social care worried about {carer}'s ability to care for {child}.",
    "Youth Justice Service raised concerns about {child}'s associations.",
  ],
  individual: [
    "A relative called, worried about {child} being left alone at home.",
    "Anonymous neighbour reported frequent shouting and a child crying.",
    "{carer} asked for help, saying they cannot cope with {child}'s behaviour.",
  ],
  other: [
    "Housing officer reported concerns after a home inspection.",
    "Women's Aid shared concerns following a disclosure by {carer}.",
    "Probation shared that a partner with a history of violence has moved in.",
  ],
};

export const EXPLOITATION_REASONS: readonly string[] = [
  "Police found {child} in a car with older males out of area late at night.",
  "{child} stopped by police in another town carrying cash and two phones.",
  "Police intelligence links {child} to a county line operating from the town centre.",
  "School concerned that {child} has new expensive clothes and is often missing from lessons.",
  "{child} reported missing three times this month; returned with unexplained injuries.",
];

/** The group a CIN referral source code belongs to, for choosing a contact reason. */
export function sourceGroup(code: string): string {
  if (code === "6") return "police";
  if (code.startsWith("2")) return "school";
  if (code.startsWith("3")) return "health";
  if (code.startsWith("5")) return "la";
  if (code.startsWith("1") || code === "9") return "individual";
  return "other";
}

export const REFERRERS: Record<string, readonly string[]> = {
  police: ["Police Public Protection Unit", "Response officer, Northmoor Police"],
  school: ["Designated safeguarding lead", "Head teacher"],
  health: ["Health visitor", "Emergency department nurse", "GP practice", "School nurse"],
  la: ["Early help practitioner", "Youth justice officer", "Adult social care worker"],
  individual: ["Relative", "Neighbour", "Parent", "Anonymous caller"],
  other: ["Housing officer", "Women's Aid outreach worker", "Probation officer"],
};

export const DECISION_REASONS: Record<string, readonly string[]> = {
  no_further_action: [
    "Single incident, protective parent; advice given to the referrer.",
    "Information shared with the school; no role for social care.",
    "Concerns addressed by the family; universal services involved.",
  ],
  early_help: [
    "Needs can be met by the family support service with consent.",
    "Family agreed to early help for parenting and school attendance.",
  ],
  assessment: [
    "Needs unclear; a child and family assessment is needed.",
    "Pattern of concerns; assessment to understand the child's needs.",
  ],
  strategy_discussion: [
    "Reasonable cause to suspect significant harm; strategy discussion today.",
    "Injury with no clear explanation; strategy discussion with police and health.",
  ],
};

export const SD_CONCERNS: readonly string[] = [
  "Injury to {child} with an inconsistent explanation from {carer}.",
  "Repeated domestic abuse incidents with {child} present.",
  "{child} disclosed being hit at home.",
  "Chronic neglect: home conditions, missed health appointments, poor school attendance.",
  "Concerns that {child} is being exploited by older young people.",
];

export const S47_FINDINGS: Record<"icpc" | "no_icpc", readonly string[]> = {
  icpc: [
    "Concerns substantiated; {child} is at continuing risk of significant harm.",
    "Pattern of harm established; a multi-agency plan is needed.",
  ],
  no_icpc: [
    "Concerns not substantiated; support to continue as a child in need.",
    "Explanation accepted by police and health; no conference needed.",
  ],
};

export const ANALYSIS: readonly string[] = [
  "{child} is loved but {carer}'s difficulties mean basic care is inconsistent.",
  "Domestic abuse is the main worry; {carer} is willing to work with the plan.",
  "Needs are met at home; school and health are aware and will stay involved.",
  "{child} needs a consistent routine and support with school attendance.",
];

export const CHILD_SAID: readonly string[] = [
  "Said school is going better and they like their new teacher.",
  "Said they miss their dad and want to see him more.",
  "Did not want to talk today; drew a picture of the family.",
  "Said things at home are calmer and nobody is shouting.",
  "Said they feel safe at their carers' house.",
  "Talked about football and wanting to join a team.",
];

export const VISIT_NOTES: readonly string[] = [
  "Home visit; saw {child}'s bedroom; the house was warm and tidy.",
  "Visit at school; talked with {child} in the library.",
  "Unannounced visit; {carer} engaged well; fridge had food.",
  "Visit with the domestic abuse practitioner; safety plan reviewed with {carer}.",
  "Visit at the placement; {child} settled, carers positive.",
];

export const NOT_SEEN_NOTE = "No answer at the door; card left and {carer} phoned later.";

export const CASE_NOTES: Record<string, readonly string[]> = {
  social_worker: [
    "Phone call with {carer} about school attendance; agreed to meet the school together.",
    "Case discussed in group supervision; actions agreed on the family plan.",
    "Checked with the GP: immunisations now up to date.",
    "Spoke with {carer} about progress with the recovery worker.",
    "Direct work session with {child} on worries and wishes.",
  ],
  adult_specialist: [
    "Session with {carer} on the impact of domestic abuse on children.",
    "Recovery work with {carer}: alcohol use reduced, scores improving.",
    "Mental health check-in with {carer}; GP review booked.",
  ],
  school: [
    "School: attendance this half term 91%; {child} settled in class.",
    "School: {child} arrived late three times this week; breakfast club offered.",
  ],
  health: [
    "Health visitor: weight and development on track; home conditions improved.",
    "School nurse: {child} seen about sleep and anxiety; follow-up in a month.",
  ],
  police: [
    "Police: no further call-outs to the address since the last review.",
    "Police: the partner has been arrested and bailed with conditions.",
  ],
  housing: ["Housing: repairs completed; the damp in the children's room has been treated."],
  womensAid: ["Women's Aid: {carer} attends the weekly recovery group."],
  youthJustice: ["Youth justice: {child} attended the session and is working on consequences."],
};

export const WHERE_FOUND: readonly string[] = [
  "Found by police at a friend's address",
  "Returned home by themselves",
  "Found in the town centre late at night",
  "Located by police in another town",
  "Returned to the placement in the morning",
];

export const RETURN_INTERVIEW_SAID: readonly string[] = [
  "Said they were with friends and lost track of time.",
  "Would not say where they had been; agreed to keep their phone on.",
  "Said an older boy asked them to carry a bag to another town.",
  "Said they went to see their mum without telling the carers.",
];

export const CATEGORY_NAME: Record<string, string> = {
  NEG: "neglect",
  EMO: "emotional abuse",
  PHY: "physical abuse",
  SAB: "sexual abuse",
  MUL: "multiple categories",
};

export const PLACEMENT_NAME: Record<string, string> = {
  U1: "with relatives (long-term fostering)",
  U2: "with relatives who are approved adopters",
  U3: "with relatives (short-term fostering)",
  U4: "with foster carers (long-term)",
  U5: "with foster carers who are approved adopters",
  U6: "with foster carers",
  K2: "in a children's home",
  R1: "in a residential care home",
  P1: "with a parent under a care order",
  P2: "in independent living",
  A5: "for adoption with their foster carers",
  A6: "for adoption with new parents",
};

export const LEGAL_STATUS_NAME: Record<string, string> = {
  C1: "an interim care order",
  C2: "a full care order",
  E1: "a placement order",
  V2: "section 20 (agreement with parents)",
  L1: "police protection",
  J1: "remand to local authority accommodation",
  J2: "a police transfer under PACE",
  J3: "a youth rehabilitation order with residence",
};

export const CEASED_NAME: Record<string, string> = {
  E11: "adopted",
  E12: "adopted",
  E2: "died",
  E3: "care taken over by another local authority",
  E4A: "returned home to live with parents as planned",
  E4B: "returned home to live with parents",
  E13: "left care to live with relatives",
  E41: "child arrangements order made",
  E45: "special guardianship order to former foster carers",
  E46: "special guardianship order to relatives",
  E5: "moved to supported accommodation",
  E6: "moved to independent living",
  E7: "moved to adult residential care",
  E8: "left care for another reason",
  E9: "sentenced to custody",
  E17: "stayed with their carers after 18 (staying put)",
};

export const CLOSURE_NAME: Record<string, string> = {
  RC1: "adopted",
  RC3: "child arrangements order",
  RC4: "special guardianship order",
  RC5: "moved to another local authority",
  RC6: "transferred to adult social care",
  RC7: "no longer in need of services",
  RC8: "no further action after assessment",
  RC9: "referred to early help after assessment",
};

export const EARLY_HELP_END_NAME: Record<string, string> = {
  needs_met: "needs met",
  stepped_up: "stepped up to children's social care",
  disengaged: "the family stopped taking part",
  moved_away: "the family moved away",
  other: "closed for another reason",
};

export const WORKER_CHANGE_NAME: Record<string, string> = {
  MANAGE: "management decision",
  FCONTA: "previous worker's contract ended",
  LEFTRL: "previous worker left the role",
  ORGRST: "team restructure",
  TSPROC: "transfer between teams",
  ABSENC: "previous worker absent",
  CHCHAN: "the child's circumstances changed",
  PCCHAN: "at the family's request",
  OTHERS: "other reason",
};

/** Fills {child} and {carer}. */
export function fill(template: string, child: string, carer: string): string {
  if (!template.includes("{")) return template;
  return template.replaceAll("{child}", child).replaceAll("{carer}", carer);
}
