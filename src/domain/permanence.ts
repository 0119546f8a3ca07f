/**
 * Adoption, the decisions that a child should be placed for adoption, the permanence a child
 * had before this period of care, and the outcomes of children looked after 12 months: the
 * SSDA903's AD1, PlacedAdoption, PrevPerm and OC2 (decision 0042), in the DfE's codes. The
 * checks are pure and refuse what cannot have happened, saying what to do; each mirrors a DfE
 * rule (named beside it) so the form stops what the return would report.
 */
import type { CodeList, CodeOf } from "./code-list.ts";
import { formatDate } from "./dates.ts";

export interface Problem {
  field: string;
  message: string;
}

/** SEX_ADOPTR: the adopters' sex at the date of adoption. */
export const adopterSexCodes = [
  { code: "M1", label: "A single male adopter" },
  { code: "F1", label: "A single female adopter" },
  { code: "MM", label: "Two male adopters" },
  { code: "FF", label: "Two female adopters" },
  { code: "MF", label: "A male and a female adopter" },
] as const satisfies CodeList;

/** LS_ADOPTR: the adopters' legal status (DfE SSDA903 guidance 2024-25). */
export const adopterLegalStatusCodes = [
  { code: "L0", label: "Single person" },
  { code: "L11", label: "Male and female couple married to each other" },
  { code: "L12", label: "Same-sex couple married to each other" },
  { code: "L2", label: "Couple in a civil partnership" },
  { code: "L3", label: "Male and female couple, neither married nor in a civil partnership" },
  { code: "L4", label: "Same-sex couple, neither married nor in a civil partnership" },
] as const satisfies CodeList;

/** REASON_PLACED_CEASED: why the child should no longer be placed for adoption. */
export const placedCeasedReasons = [
  { code: "RD1", label: "The child's needs changed after the decision" },
  { code: "RD2", label: "The court did not make a placement order" },
  { code: "RD3", label: "Prospective adopters could not be found" },
  { code: "RD4", label: "Any other reason" },
] as const satisfies CodeList;

/** PREV_PERM: the order the child had before this period of care. */
export const previousPermanenceCodes = [
  { code: "P1", label: "Adoption" },
  { code: "P2", label: "Special guardianship order" },
  { code: "P3", label: "Child arrangements order (residence order) to live with someone" },
  { code: "P4", label: "Not known whether the child had a previous permanence order" },
  { code: "Z1", label: "None of these" },
] as const satisfies CodeList;

/** SDQ_REASON: why there is no Strengths and Difficulties Questionnaire score. */
export const sdqReasons = [
  { code: "SDQ1", label: "No form returned: the child was under 4 or over 16 on the date due" },
  { code: "SDQ2", label: "Carer refused to complete the questionnaire" },
  { code: "SDQ3", label: "Not possible because of the severity of the child's disability" },
  { code: "SDQ4", label: "Other" },
  { code: "SDQ5", label: "Child or young person refused to allow an SDQ to be completed" },
] as const satisfies CodeList;

export type AdopterSex = CodeOf<typeof adopterSexCodes>;
export type AdopterLegalStatus = CodeOf<typeof adopterLegalStatusCodes>;

const on = (iso: string) => formatDate(iso);

export interface Adoption {
  bestInterestOn: string;
  placementOrderOn: string | null;
  matchedOn: string | null;
  fosterCare: boolean | null;
  numberOfAdopters: number | null;
  sexOfAdopters: AdopterSex | null;
  legalStatusOfAdopters: AdopterLegalStatus | null;
  adoptedOn: string | null;
}

const COUPLE_SEX: readonly string[] = ["MM", "FF", "MF"];
/** The sexes each legal status allows (rules 514, 517, 518, 519, 520, 524). */
const SEX_FOR_STATUS: Record<AdopterLegalStatus, readonly AdopterSex[]> = {
  L0: ["M1", "F1"],
  L11: ["MF"],
  L12: ["MM", "FF"],
  L2: ["MM", "FF", "MF"],
  L3: ["MF"],
  L4: ["MM", "FF"],
};

/** The adoption's dates in the order they happen, and the adopters described one way. */
export function checkAdoption(
  a: Adoption,
  child: { dateOfBirth: string | null },
  today: string,
): Problem[] {
  const problems: Problem[] = [];
  const dates = [
    ["bestInterestOn", a.bestInterestOn],
    ["placementOrderOn", a.placementOrderOn],
    ["matchedOn", a.matchedOn],
    ["adoptedOn", a.adoptedOn],
  ] as const;
  for (const [field, date] of dates) {
    if (date && date > today) problems.push({ field, message: "Enter a date today or earlier" });
    else if (date && child.dateOfBirth && date < child.dateOfBirth) {
      problems.push({
        field,
        message: `Enter a date on or after the child's birth (${on(child.dateOfBirth)})`,
      });
    }
  }
  if (a.placementOrderOn && a.placementOrderOn < a.bestInterestOn) {
    problems.push({
      field: "placementOrderOn",
      message: `The placement order cannot be before the decision that adoption is in the child's best interests (${on(a.bestInterestOn)}): check both dates (rule 554)`,
    });
  }
  if (a.matchedOn && a.matchedOn < a.bestInterestOn) {
    problems.push({
      field: "matchedOn",
      message: `Matching cannot be before the decision that the child should be placed for adoption (${on(a.bestInterestOn)}): check both dates (rule 333)`,
    });
  } else if (a.matchedOn && a.placementOrderOn && a.matchedOn < a.placementOrderOn) {
    problems.push({
      field: "matchedOn",
      message: `Matching cannot be before the placement order (${on(a.placementOrderOn)}): record the placement order's date, or correct the matching date`,
    });
  }
  if (a.adoptedOn && !a.matchedOn) {
    problems.push({
      field: "matchedOn",
      message: "Enter the date the child was matched with the adopters before the adoption order",
    });
  } else if (a.adoptedOn && a.matchedOn && a.adoptedOn < a.matchedOn) {
    problems.push({
      field: "adoptedOn",
      message: `The adoption order cannot be before the match (${on(a.matchedOn)}): check both dates`,
    });
  }
  if (a.numberOfAdopters !== null && a.sexOfAdopters !== null) {
    const couple = COUPLE_SEX.includes(a.sexOfAdopters);
    if (couple !== (a.numberOfAdopters === 2)) {
      problems.push({
        field: "sexOfAdopters",
        message:
          a.numberOfAdopters === 2
            ? "Two adopters are two males, two females, or a male and a female (rule 511)"
            : "One adopter is a single male or a single female adopter",
      });
    }
  }
  if (a.legalStatusOfAdopters !== null && a.sexOfAdopters !== null) {
    if (!SEX_FOR_STATUS[a.legalStatusOfAdopters].includes(a.sexOfAdopters)) {
      problems.push({
        field: "legalStatusOfAdopters",
        message:
          "The adopters' legal status does not fit their sex: check both answers (rules 514 to 524)",
      });
    }
  }
  return problems;
}

export interface AdoptionDecision {
  id?: string;
  decidedOn: string;
  placedOn: string | null;
  ceasedOn: string | null;
  ceasedReason: string | null;
}

/**
 * A decision that the child should be placed for adoption, among the child's others: placed
 * on or after it (rule 552), ended on or after it with a reason (119, 522), never open while
 * another is (579), and not before the child's birth (184) or in the future.
 */
export function checkAdoptionDecision(
  d: AdoptionDecision,
  others: readonly AdoptionDecision[],
  child: { dateOfBirth: string | null },
  today: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const field of ["decidedOn", "placedOn", "ceasedOn"] as const) {
    const date = d[field];
    if (date && date > today) problems.push({ field, message: "Enter a date today or earlier" });
  }
  if (child.dateOfBirth && d.decidedOn < child.dateOfBirth) {
    problems.push({
      field: "decidedOn",
      message: `The decision cannot be before the child's birth (${on(child.dateOfBirth)}) (rule 184)`,
    });
  }
  if (d.placedOn && d.placedOn < d.decidedOn) {
    problems.push({
      field: "placedOn",
      message: `A child is placed for adoption only after the decision that they should be (${on(d.decidedOn)}): record the decision's date first, or correct the date placed (rule 552)`,
    });
  }
  if (d.ceasedOn && d.ceasedOn < d.decidedOn) {
    problems.push({
      field: "ceasedOn",
      message: `The decision that the child should no longer be placed must be on or after the decision that they should (${on(d.decidedOn)}) (rule 522)`,
    });
  }
  if ((d.ceasedOn === null) !== (d.ceasedReason === null)) {
    problems.push({
      field: d.ceasedOn ? "ceasedReason" : "ceasedOn",
      message: d.ceasedOn
        ? "Select why the child should no longer be placed for adoption (rule 119)"
        : "Enter the date of the decision that the child should no longer be placed, or leave the reason empty (rule 119)",
    });
  }
  for (const other of others) {
    if (other.id !== undefined && other.id === d.id) continue;
    const otherEnd = other.ceasedOn ?? "9999-12-31";
    const end = d.ceasedOn ?? "9999-12-31";
    if (d.decidedOn <= otherEnd && other.decidedOn <= end) {
      problems.push({
        field: "decidedOn",
        message: other.ceasedOn
          ? `This overlaps the decision of ${on(other.decidedOn)}, which ended on ${on(other.ceasedOn)}: a new decision starts after that (rule 579)`
          : `The decision of ${on(other.decidedOn)} is still open: record that the child should no longer be placed under it first (rule 579)`,
      });
      break;
    }
  }
  return problems;
}

export interface PreviousPermanence {
  prevPerm: CodeOf<typeof previousPermanenceCodes>;
  laPerm: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
}

/** DATE_PERM as the return writes it: dd/mm/yyyy with zz for an unknown day or month. */
export function datePerm(p: Pick<PreviousPermanence, "year" | "month" | "day">): string {
  if (p.year === null) return "";
  const two = (n: number | null) => (n === null ? "zz" : String(n).padStart(2, "0"));
  return `${two(p.day)}/${two(p.month)}/${String(p.year)}`;
}

/** A previous permanence: a date known in part only from the year down, none for Z1 (635). */
export function checkPreviousPermanence(
  p: PreviousPermanence,
  child: { dateOfBirth: string | null },
  today: string,
): Problem[] {
  const problems: Problem[] = [];
  if (p.prevPerm === "Z1" && (p.laPerm !== null || p.year !== null)) {
    problems.push({
      field: "prevPerm",
      message: "With no previous order, leave the council and the date empty (rule 635)",
    });
  }
  if (p.laPerm !== null && !/^\d{3}$/.test(p.laPerm)) {
    problems.push({
      field: "laPerm",
      message: "Enter the council's three-digit DfE code, like 202 (rule 633)",
    });
  }
  if ((p.month !== null && p.year === null) || (p.day !== null && p.month === null)) {
    problems.push({
      field: "permDate",
      message:
        "Give the year, the month and year, or the whole date: a day needs its month, a month its year",
    });
    return problems;
  }
  if (p.year !== null) {
    const known = `${String(p.year).padStart(4, "0")}-${String(p.month ?? 1).padStart(2, "0")}-${String(p.day ?? 1).padStart(2, "0")}`;
    const real =
      p.year >= 1900 &&
      !Number.isNaN(Date.parse(`${known}T00:00:00Z`)) &&
      new Date(`${known}T00:00:00Z`).toISOString().startsWith(known);
    if (!real)
      problems.push({ field: "permDate", message: "The date of the order must be a real date" });
    else if (known > today)
      problems.push({ field: "permDate", message: "The date of the order must be in the past" });
    else if (child.dateOfBirth && known.slice(0, 4) < child.dateOfBirth.slice(0, 4)) {
      problems.push({
        field: "permDate",
        message: `The order cannot be before the child's birth (${on(child.dateOfBirth)})`,
      });
    }
  }
  return problems;
}

export interface Outcomes {
  sdqScore: number | null;
  sdqReason: string | null;
  convicted: boolean | null;
  healthCheck: boolean | null;
  immunisations: boolean | null;
  teethCheck: boolean | null;
  healthAssessment: boolean | null;
  substanceMisuse: boolean | null;
  interventionReceived: boolean | null;
  interventionOffered: boolean | null;
}

/** Whole years from a date of birth to a date. */
function ageOn(dob: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(dob.slice(0, 4));
  return date.slice(5) < dob.slice(5) ? years - 1 : years;
}

/**
 * OC2 answers for a year ending on `yearEnd` (31 March): a score or a reason, never both
 * (197a); convictions from 10 (542), the health check under 5 (546); the health questions all
 * answered (182, 191); the substance misuse follow-ups in turn (158, 159, 192, 193).
 */
export function checkOutcomes(o: Outcomes, dob: string | null, yearEnd: string): Problem[] {
  const problems: Problem[] = [];
  const age = dob ? ageOn(dob, yearEnd) : undefined;
  if (o.sdqScore !== null && o.sdqReason !== null) {
    problems.push({
      field: "sdqReason",
      message: "Give a score or a reason there is none, not both (rule 197a)",
    });
  }
  if (age !== undefined && age < 10 && o.convicted !== null) {
    problems.push({
      field: "convicted",
      message: "Leave convictions unanswered for a child under 10 on 31 March (rule 542)",
    });
  }
  if (age !== undefined && age >= 5 && o.healthCheck !== null) {
    problems.push({
      field: "healthCheck",
      message:
        "Leave the development check unanswered for a child 5 or over on 31 March (rule 546)",
    });
  }
  if (age !== undefined && age < 5 && o.healthCheck === null) {
    problems.push({
      field: "healthCheck",
      message: "Answer whether the child's development checks are up to date (rule 545)",
    });
  }
  for (const field of [
    "immunisations",
    "teethCheck",
    "healthAssessment",
    "substanceMisuse",
  ] as const) {
    if (o[field] === null) problems.push({ field, message: "Select yes or no (rule 182)" });
  }
  if (o.substanceMisuse === true && o.interventionReceived === null) {
    problems.push({
      field: "interventionReceived",
      message: "Say whether the child received an intervention for substance misuse (rule 192)",
    });
  }
  if (
    o.substanceMisuse === false &&
    (o.interventionReceived !== null || o.interventionOffered !== null)
  ) {
    problems.push({
      field: "interventionReceived",
      message: "With no substance misuse problem, leave the interventions unanswered (rule 193)",
    });
  }
  if (o.interventionReceived === true && o.interventionOffered !== null) {
    problems.push({
      field: "interventionOffered",
      message: "An intervention received was offered: leave this unanswered (rule 158)",
    });
  }
  if (o.interventionReceived === false && o.interventionOffered === null) {
    problems.push({
      field: "interventionOffered",
      message: "Say whether an intervention was offered (rule 159)",
    });
  }
  return problems;
}
