/**
 * A Children in Need census return as the DfE's schema (CIN_schema_2024.xsd) shapes it, with
 * the schema's element names. Every value is kept as the text the file held (or absent), not
 * narrowed to a code list: the validator reads files made by other systems, and a wrong code
 * must reach the rule that reports it rather than be lost on reading.
 */
import type { CodeList, CodeOf } from "../code-lists.ts";

export {
  assessmentFactors,
  categoriesOfAbuse,
  disabilities,
  ethnicities,
  primaryNeeds,
  reasonsForClosure,
  referralSources,
} from "../code-lists.ts";

/** The collection years whose rules Trellis holds (each runs 1 April to 31 March). */
export const collectionYears = ["2024-25", "2025-26"] as const;
export type CollectionYear = (typeof collectionYears)[number];

export function isCollectionYear(value: unknown): value is CollectionYear {
  return typeof value === "string" && (collectionYears as readonly string[]).includes(value);
}

/** The census period: 1 April to the reference date, 31 March. */
export function censusPeriod(year: CollectionYear): { start: string; referenceDate: string } {
  const first = Number(year.slice(0, 4));
  return { start: `${String(first)}-04-01`, referenceDate: `${String(first + 1)}-03-31` };
}

/** `unknownupntype`: why a child has no UPN (the DfE's census guide gives the labels). */
export const upnUnknownReasons = [
  { code: "UN1", label: "Child is aged under 6 years old and is not yet attending school" },
  { code: "UN2", label: "Child has never attended school in England" },
  { code: "UN3", label: "Child is educated outside England" },
  { code: "UN4", label: "Child is newly arrived and a UPN is not yet available" },
  { code: "UN5", label: "Sources collating UPNs reflect a discrepancy" },
  { code: "UN6", label: "Child is unborn" },
  { code: "UN7", label: "Referral with no further action" },
] as const satisfies CodeList;
export type UpnUnknownCode = CodeOf<typeof upnUnknownReasons>;

/**
 * The child's sex as the census rules since 2023-24 record it (rule 4180: M, F or U). The 2024
 * schema still names the element GenderCurrent with codes 1, 2, 0 and 9; read-xml.ts maps
 * those (decision 0027).
 */
export const sexes = [
  { code: "M", label: "Male" },
  { code: "F", label: "Female" },
  { code: "U", label: "Not known or not recorded (and every unborn child)" },
] as const satisfies CodeList;

/** `yesnotype`: the spellings the schema allows for true and false. */
export const yesNoValues = ["true", "false", "TRUE", "FALSE", "1", "0"] as const;

export interface CinHeader {
  Collection?: string;
  Year?: string;
  ReferenceDate?: string;
  LEA?: string;
  SoftwareCode?: string;
  Release?: string;
  SerialNo?: string;
  DateTime?: string;
}

export interface ChildIdentifiers {
  LAchildID?: string;
  UPN?: string;
  FormerUPN?: string;
  UPNunknown?: string;
  PersonBirthDate?: string;
  ExpectedPersonBirthDate?: string;
  Sex?: string;
  PersonDeathDate?: string;
}

export interface ChildCharacteristics {
  Ethnicity?: string;
  /** Absent when the file has no Disabilities element; empty strings are kept as read. */
  Disabilities?: string[];
}

export interface Assessment {
  AssessmentActualStartDate?: string;
  AssessmentInternalReviewDate?: string;
  AssessmentAuthorisationDate?: string;
  /** Absent when the file has no FactorsIdentifiedAtAssessment element. */
  AssessmentFactors?: string[];
}

export interface CinPlanDates {
  CINPlanStartDate?: string;
  CINPlanEndDate?: string;
}

export interface Section47 {
  S47ActualStartDate?: string;
  InitialCPCtarget?: string;
  DateOfInitialCPC?: string;
  ICPCnotRequired?: string;
}

export interface ChildProtectionPlan {
  CPPstartDate?: string;
  CPPendDate?: string;
  InitialCategoryOfAbuse?: string;
  LatestCategoryOfAbuse?: string;
  NumberOfPreviousCPP?: string;
  /** Absent when the file has no Reviews element. */
  CPPreviewDate?: string[];
}

export interface CinDetails {
  CINreferralDate?: string;
  ReferralSource?: string;
  PrimaryNeedCode?: string;
  CINclosureDate?: string;
  ReasonForClosure?: string;
  DateOfInitialCPC?: string;
  Assessments: Assessment[];
  CINPlanDates: CinPlanDates[];
  Section47: Section47[];
  ReferralNFA?: string;
  ChildProtectionPlans: ChildProtectionPlan[];
}

export interface CinChild {
  ChildIdentifiers: ChildIdentifiers;
  ChildCharacteristics: ChildCharacteristics;
  CINdetails: CinDetails[];
}

export interface CinCensus {
  header: CinHeader;
  children: CinChild[];
}

/** `yesnotype` read as a boolean; undefined when missing or not one of its spellings. */
export function yesNo(value: string | undefined): boolean | undefined {
  if (value === "true" || value === "TRUE" || value === "1") return true;
  if (value === "false" || value === "FALSE" || value === "0") return false;
  return undefined;
}
