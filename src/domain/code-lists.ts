/**
 * Code lists used on a child's record. The census lists are hand-copied from the DfE's
 * Children in Need census schema (CIN_schema_2024.xsd) so that what we store can be returned
 * in the census without translation; the tests compare them with the schema to catch drift.
 * Labels keep the DfE's wording, which workers know from the census guide.
 */

export * from "./code-list.ts";
import type { CodeList, CodeOf } from "./code-list.ts";

// ---------------------------------------------------------------------------------------------
// Children in Need census lists (CIN_schema_2024.xsd)
// ---------------------------------------------------------------------------------------------

/** `gendertype`: the child's current gender as the census records it. */
export const genders = [
  { code: "0", label: "Not recorded or unborn" },
  { code: "1", label: "Male" },
  { code: "2", label: "Female" },
  { code: "9", label: "Indeterminate" },
] as const satisfies CodeList;
export type GenderCode = CodeOf<typeof genders>;

/** `ethnicitytype`: the DfE's ethnicity codes, in the schema's order. */
export const ethnicities = [
  { code: "WBRI", label: "White British" },
  { code: "WIRI", label: "White Irish" },
  { code: "WIRT", label: "Traveller of Irish heritage" },
  { code: "WOTH", label: "Any other White background" },
  { code: "WROM", label: "Gypsy/Roma" },
  { code: "MWBC", label: "White and Black Caribbean" },
  { code: "MWBA", label: "White and Black African" },
  { code: "MWAS", label: "White and Asian" },
  { code: "MOTH", label: "Any other mixed background" },
  { code: "AIND", label: "Indian" },
  { code: "APKN", label: "Pakistani" },
  { code: "ABAN", label: "Bangladeshi" },
  { code: "AOTH", label: "Any other Asian background" },
  { code: "BCRB", label: "Caribbean" },
  { code: "BAFR", label: "African" },
  { code: "BOTH", label: "Any other black background" },
  { code: "CHNE", label: "Chinese" },
  { code: "OOTH", label: "Any other ethnic group" },
  { code: "REFU", label: "Refused" },
  { code: "NOBT", label: "Information not yet obtained" },
] as const satisfies CodeList;
export type EthnicityCode = CodeOf<typeof ethnicities>;

/** `disabilitytype`: a child may have several. */
export const disabilities = [
  { code: "NONE", label: "No disability" },
  { code: "MOB", label: "Mobility" },
  { code: "HAND", label: "Hand function" },
  { code: "PC", label: "Personal care" },
  { code: "INC", label: "Incontinence" },
  { code: "COMM", label: "Communication" },
  { code: "LD", label: "Learning" },
  { code: "HEAR", label: "Hearing" },
  { code: "VIS", label: "Vision" },
  { code: "BEH", label: "Behaviour" },
  { code: "CON", label: "Consciousness" },
  { code: "AUT", label: "Autism" },
  { code: "DDA", label: "Other" },
] as const satisfies CodeList;
export type DisabilityCode = CodeOf<typeof disabilities>;

/**
 * `referralsourcetype`: who made the referral. Two labels are tidied from the schema: a
 * trailing space on 3F and a stray opening bracket on 5D ("(LA SERVICES – early help").
 */
export const referralSources = [
  { code: "1A", label: "INDIVIDUAL – family member, relative or carer" },
  { code: "1B", label: "INDIVIDUAL – acquaintance (including neighbours and child minders)" },
  { code: "1C", label: "INDIVIDUAL – self" },
  { code: "1D", label: "INDIVIDUAL – other (including strangers)" },
  { code: "2A", label: "SCHOOLS" },
  { code: "2B", label: "EDUCATION SERVICES" },
  { code: "3A", label: "HEALTH SERVICES – general practitioner (GP)" },
  { code: "3B", label: "HEALTH SERVICES – health visitor" },
  { code: "3C", label: "HEALTH SERVICES – school nurse" },
  { code: "3D", label: "HEALTH SERVICES – other primary health services" },
  { code: "3E", label: "HEALTH SERVICES – A&E (accident and emergency department)" },
  { code: "3F", label: "HEALTH SERVICES – other (for example hospice)" },
  { code: "4", label: "HOUSING - local authority housing or housing association" },
  { code: "5A", label: "LA SERVICES – social care for example adults social care services" },
  {
    code: "5B",
    label:
      "LA SERVICES – other internal (department other than social care in local authorities, for example, youth offending (excluding housing))",
  },
  {
    code: "5C",
    label:
      "LA SERVICES – external, for example, from another local authority’s adults social care services",
  },
  { code: "5D", label: "LA SERVICES – early help" },
  { code: "6", label: "POLICE" },
  {
    code: "7",
    label:
      "OTHER LEGAL AGENCY – including courts, probation, immigration, CAFCASS (Children and Family Court Advisory and Support Service) or prison",
  },
  {
    code: "8",
    label:
      "OTHER – including children’s centres, independent agency providers or voluntary organisations",
  },
  { code: "9", label: "ANONYMOUS" },
  { code: "10", label: "UNKNOWN" },
] as const satisfies CodeList;
export type ReferralSourceCode = CodeOf<typeof referralSources>;

/** `categoryofabuse`: the initial and latest category on a child protection plan. */
export const categoriesOfAbuse = [
  { code: "NEG", label: "Neglect" },
  { code: "PHY", label: "Physical abuse" },
  { code: "SAB", label: "Sexual abuse" },
  { code: "EMO", label: "Emotional abuse" },
  { code: "MUL", label: "Multiple/not recommended" },
] as const satisfies CodeList;
export type CategoryOfAbuseCode = CodeOf<typeof categoriesOfAbuse>;

/** `primaryneedcodetype`: the main reason the child is in need. */
export const primaryNeeds = [
  { code: "N1", label: "Abuse or neglect" },
  { code: "N2", label: "Child's disability" },
  { code: "N3", label: "Parental disability or illness" },
  { code: "N4", label: "Family in acute stress" },
  { code: "N5", label: "Family dysfunction" },
  { code: "N6", label: "Socially unacceptable behaviour" },
  { code: "N7", label: "Low income" },
  { code: "N8", label: "Absent parenting" },
  { code: "N9", label: "Cases other than children in need" },
  { code: "N0", label: "Not stated" },
] as const satisfies CodeList;
export type PrimaryNeedCode = CodeOf<typeof primaryNeeds>;

/** `reasonforclosuretype`: why an episode of need was closed. */
export const reasonsForClosure = [
  { code: "RC1", label: "Adopted" },
  { code: "RC2", label: "Died" },
  { code: "RC3", label: "Child arrangements order" },
  { code: "RC4", label: "Special guardianship order" },
  { code: "RC5", label: "Transferred to services of another local authority" },
  { code: "RC6", label: "Transferred to adult social care services" },
  {
    code: "RC7",
    label: "Services ceased for any other reason, including child no longer in need",
  },
  { code: "RC8", label: "Case closed after assessment, no further action" },
  { code: "RC9", label: "Case closed after assessment, referred to early help" },
] as const satisfies CodeList;
export type ReasonForClosureCode = CodeOf<typeof reasonsForClosure>;

export { assessmentFactors, type AssessmentFactorCode } from "./assessment-factors.ts";

// ---------------------------------------------------------------------------------------------
// Multi-agency sharing
// ---------------------------------------------------------------------------------------------

/**
 * The legal gateway recorded each time a child's record is shared with a partner agency in
 * England. Recording it makes every disclosure answerable: a worker must say which power or
 * duty allowed it. Consent is listed but is not needed where a statutory gateway applies, and
 * should not be sought where doing so would put a child at risk.
 */
export const lawfulBasesForSharing = [
  { code: "ca1989_s47", label: "Children Act 1989 s47 (enquiry into significant harm)" },
  { code: "ca1989_s17", label: "Children Act 1989 s17 (child in need)" },
  { code: "ca2004_s10", label: "Children Act 2004 s10 (co-operation to improve well-being)" },
  {
    code: "ca2004_s11",
    label: "Children Act 2004 s11 (duty to safeguard and promote the welfare of children)",
  },
  { code: "cda1998_s115", label: "Crime and Disorder Act 1998 s115" },
  { code: "consent", label: "Consent of the person or a parent with parental responsibility" },
  {
    code: "ukgdpr_6_1_e",
    label: "UK GDPR Article 6(1)(e) public task with DPA 2018 Schedule 1 para 18 (safeguarding)",
  },
] as const satisfies CodeList;
export type LawfulBasisForSharingCode = CodeOf<typeof lawfulBasesForSharing>;

/** The kinds of organisation that take part in multi-agency work on a child's case. */
export const organisationKinds = [
  { code: "la_childrens_services", label: "Children's services" },
  { code: "police", label: "Police" },
  { code: "health", label: "Health (NHS)" },
  { code: "education", label: "Education" },
  { code: "youth_justice", label: "Youth justice" },
  { code: "housing", label: "Housing" },
  { code: "voluntary", label: "Voluntary sector" },
] as const satisfies CodeList;
export type OrganisationKindCode = CodeOf<typeof organisationKinds>;
