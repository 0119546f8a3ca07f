/**
 * A clean CIN census return (synthetic) that passes every rule of the year it is built for:
 * one child with an assessment, a section 47 enquiry, a child protection plan and then a CIN
 * plan. Tests change one thing at a time to make each rule fail; the benchmark copies it.
 */
import { upnCheckLetter } from "../identifiers.ts";
import { censusPeriod, type CinCensus, type CinChild, type CollectionYear } from "./model.ts";

/** A well-formed UPN for the LA code (3 digits) and serial: the check letter is computed. */
export function upnFor(laCode: string, serial: number): string {
  const body = `${laCode}${String(serial % 1e9).padStart(9, "0")}`;
  return `${upnCheckLetter(body)}${body}`;
}

export function cleanChild(year: CollectionYear, n = 1): CinChild {
  const b = Number(censusPeriod(year).start.slice(0, 4));
  const d = (offset: number, monthDay: string) => `${String(b + offset)}-${monthDay}`;
  return {
    ChildIdentifiers: {
      LAchildID: `C${String(n).padStart(6, "0")}`,
      UPN: upnFor("938", n),
      PersonBirthDate: d(-9, "06-01"),
      Sex: n % 2 === 0 ? "M" : "F",
    },
    ChildCharacteristics: {
      Ethnicity: "WBRI",
      Disabilities: ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"],
    },
    CINdetails: [
      {
        CINreferralDate: d(0, "05-01"),
        ReferralSource: "1A",
        PrimaryNeedCode: "N1",
        CINclosureDate: d(1, "02-03"),
        ReasonForClosure: "RC7",
        ReferralNFA: "false",
        Assessments: [
          {
            AssessmentActualStartDate: d(0, "05-02"),
            AssessmentAuthorisationDate: d(0, "06-10"),
            AssessmentFactors: ["3A", "4B"],
          },
        ],
        Section47: [
          {
            S47ActualStartDate: d(0, "06-11"),
            InitialCPCtarget: d(0, "07-02"),
            DateOfInitialCPC: d(0, "07-01"),
            ICPCnotRequired: "false",
          },
        ],
        ChildProtectionPlans: [
          {
            CPPstartDate: d(0, "07-01"),
            CPPendDate: d(0, "12-02"),
            InitialCategoryOfAbuse: "NEG",
            LatestCategoryOfAbuse: "NEG",
            NumberOfPreviousCPP: "1",
            CPPreviewDate: [d(0, "09-23")],
          },
        ],
        CINPlanDates: [{ CINPlanStartDate: d(0, "12-02"), CINPlanEndDate: d(1, "02-03") }],
      },
    ],
  };
}

export function cleanCensus(year: CollectionYear, children = 1): CinCensus {
  return {
    header: {
      Collection: "CIN",
      Year: censusPeriod(year).referenceDate.slice(0, 4),
      ReferenceDate: censusPeriod(year).referenceDate,
      LEA: "938",
    },
    children: Array.from({ length: children }, (_, i) => cleanChild(year, i + 1)),
  };
}
