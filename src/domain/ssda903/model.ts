/**
 * The SSDA903 return as tables of text (issue 17, decision 0035): each table's columns in the
 * DfE's names and order (specs/ssda903/SSDA903_schema_2024.yml; the schema's "SocialWorker" is
 * the rules' "SWEpisodes"). Values stay text as the file held them, so a wrong code or date
 * reaches the rule that reports it; dates are the DfE's dd/mm/yyyy.
 */
/**
 * The years a return can be generated for. The rules are the DfE's for 2024-25; a 2023-24 run
 * (the first year of SWEpisodes) is kept as last year's return for 2024-25's rules that need it
 * (decision 0037), and runs no rules of its own.
 */
export const ssda903Years = ["2023-24", "2024-25"] as const;
export type Ssda903Year = (typeof ssda903Years)[number];

export function isSsda903Year(value: unknown): value is Ssda903Year {
  return typeof value === "string" && (ssda903Years as readonly string[]).includes(value);
}

export const tableColumns = {
  Header: ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
  Episodes: [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
  ],
  Reviews: ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
  UASC: ["CHILD", "DOB", "SEX", "DUC"],
  OC2: [
    "CHILD",
    "DOB",
    "SDQ_SCORE",
    "SDQ_REASON",
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
  ],
  OC3: ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
  AD1: [
    "CHILD",
    "DOB",
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
  ],
  PlacedAdoption: ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
  PrevPerm: ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
  Missing: ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
  SWEpisodes: ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
} as const satisfies Record<string, readonly string[]>;

export type TableName = keyof typeof tableColumns;
export const tableNames = Object.keys(tableColumns) as TableName[];

export function isTableName(value: string): value is TableName {
  return Object.hasOwn(tableColumns, value);
}

/** The tables Trellis holds the records for; the rest are listed as not held, never faked. */
export const heldTables: readonly TableName[] = [
  "Header",
  "Episodes",
  "Reviews",
  "Missing",
  "UASC",
  "SWEpisodes",
  "OC3",
  "OC2",
  "AD1",
  "PlacedAdoption",
  "PrevPerm",
];

/** One row: column name to text, "" for a blank cell. */
export type Row = Readonly<Record<string, string>>;

/** A return: the tables it has (a table absent is not held, or not in the files read). */
export type Ssda903Return = Partial<Record<TableName, readonly Row[]>>;

/** The collection year: 1 April to 31 March. */
export function collectionPeriod(year: Ssda903Year): { start: string; end: string } {
  const first = Number(year.slice(0, 4));
  return { start: `${String(first)}-04-01`, end: `${String(first + 1)}-03-31` };
}

/** yyyy-mm-dd as the DfE's dd/mm/yyyy. */
export function dfeDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** dd/mm/yyyy as yyyy-mm-dd, or undefined when it is not in that shape. */
export function isoFromDfe(text: string | undefined): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text?.trim() ?? "");
  return m ? `${m[3] ?? ""}-${m[2] ?? ""}-${m[1] ?? ""}` : undefined;
}
