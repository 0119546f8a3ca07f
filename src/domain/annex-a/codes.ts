import { annexASpec, type AnnexAColumn, type AnnexAListName } from "./spec.ts";

/**
 * Trellis's codes in Ofsted's Annex A formats. Annex A writes a code with a letter in front and
 * a label after it ("a) WBRI", "a) 1A: Individual", "N1 - Abuse or neglect", "E1: Placement
 * order"); Trellis holds the DfE's bare code (WBRI, 1A, N1, E1), so a value is found by the code
 * inside Ofsted's text. A code Ofsted's list lacks is kept as it is, so the check names it.
 */

/** Either a Trellis code (or a yes/no) to put in Ofsted's format, or a value to keep as it is. */
export type RawCell = string | number | boolean | null;
export type AnnexACell = string | number | null;

/** The values a yes/no/unknown column takes when Trellis does not hold the answer. */
export const UNKNOWN = "unknown";

/** The bare code inside one of Ofsted's values: "a) 1A: Individual" -> "1A". */
export function codeKey(value: string): string {
  const withoutLetter = value.replace(/^[a-z]{1,2}\)\s*/, "");
  return (withoutLetter.split(/:|\s-\s/)[0] ?? "").trim();
}

/** The CIN census sex codes (gendertype) as Annex A's gender values. */
const genderValues: Record<string, string> = {
  "1": "a) Male",
  "2": "b) Female",
  "0": "c) Not stated/recorded",
  "9": "d) Neither",
};

/** The CIN census categories of abuse (categoryofabuse) as Annex A's values. */
const abuseCategoryValues: Record<string, string> = {
  NEG: "a) Neglect",
  PHY: "b) Physical abuse",
  SAB: "c) Sexual abuse",
  EMO: "d) Emotional abuse",
  MUL: "e) Multiple/not recommended",
};

/** Columns whose values Ofsted words differently from the code Trellis holds. */
const wordedColumns: Record<string, Record<string, string>> = {
  Gender: genderValues,
  "Initial Category of Abuse": abuseCategoryValues,
  "Latest Category of Abuse": abuseCategoryValues,
};

function yesNo(codes: readonly string[], answer: boolean | typeof UNKNOWN): string | undefined {
  const word = answer === UNKNOWN ? "Unknown" : answer ? "Yes" : "No";
  return codes.find((c) => c.replace(/^[a-z]\)\s*/, "") === word);
}

/** One cell in Ofsted's format: codes through the column's list, the rest unchanged. */
export function annexCell(column: AnnexAColumn, raw: RawCell): AnnexACell {
  if (raw === null || raw === "") return null;
  const worded = wordedColumns[column.column];
  if (worded && typeof raw === "string") return worded[raw] ?? raw;
  const codes = column.codes;
  if (!codes) return typeof raw === "boolean" ? (raw ? "Yes" : "No") : raw;
  if (typeof raw === "boolean" || raw === UNKNOWN) return yesNo(codes, raw) ?? String(raw);
  const text = String(raw);
  return codes.find((c) => codeKey(c) === text) ?? text;
}

/** The columns of a list, in Ofsted's order. */
export function columnsOf(list: AnnexAListName): readonly AnnexAColumn[] {
  return annexASpec[list];
}

export const annexAListNames = Object.keys(annexASpec) as AnnexAListName[];

/** The day `months` months before `date` (31 August less 6 months is 28 or 29 February). */
export function monthsBefore(date: string, months: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const total = year * 12 + (month - 1) - months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(Math.min(day, last)).padStart(2, "0")}`;
}

/** The period an inspection's Annex A covers: `months` months up to the date Ofsted names. */
export interface AnnexAPeriod {
  from: string;
  to: string;
  months: number;
}

/** Annex A asks for the six months before the inspection is announced. */
export const DEFAULT_MONTHS = 6;

export function annexAPeriod(to: string, months = DEFAULT_MONTHS): AnnexAPeriod {
  return { from: monthsBefore(to, months), to, months };
}
