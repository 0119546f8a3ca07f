/**
 * How an SSDA903 rule is checked: the same shape as the CIN census rules (decision 0027). Each
 * check is a pure function of the whole return and the collection year that reports failures
 * through `fail`, naming the table, the row (0-based, as the file holds it) and the field.
 * The helpers read the DfE's text: dates are dd/mm/yyyy, and an invalid date reads as missing.
 */
import { isCalendarDate } from "../../dates.ts";
import {
  collectionPeriod,
  isoFromDfe,
  type Row,
  type Ssda903Return,
  type Ssda903Year,
  type TableName,
} from "../model.ts";

export interface RuleFailure {
  readonly rule: string;
  /** The row's CHILD; null for a rule about the whole return. */
  readonly childId: string | null;
  readonly table: TableName;
  readonly field: string;
  readonly value?: string;
  /** 0-based row in its table. */
  readonly row: number | null;
  /** Set when the check itself threw: the rule could not be run on this return. */
  readonly crashed?: string;
}

export interface RuleContext {
  readonly year: Ssda903Year;
  /** 1 April at the start of the collection year (yyyy-mm-dd). */
  readonly start: string;
  /** 31 March at its end. */
  readonly end: string;
  /**
   * Last year's return (a stored run, or the files given with --previous), for the rules the
   * DfE lists with a `_last` table; undefined when there is none (decision 0037).
   */
  readonly previous?: Ssda903Return;
}

export function contextFor(year: Ssda903Year, previous?: Ssda903Return): RuleContext {
  return { year, ...collectionPeriod(year), ...(previous ? { previous } : {}) };
}

export type Fail = (table: TableName, row: number, field: string, value?: string) => void;
export type Check = (ret: Ssda903Return, ctx: RuleContext, fail: Fail) => void;

/** A cell's text, trimmed; "" when blank or absent. */
export const cell = (row: Row | undefined, column: string): string => row?.[column]?.trim() ?? "";

/** A cell as yyyy-mm-dd when it holds a real dd/mm/yyyy date, else undefined. */
export function dateOf(row: Row | undefined, column: string): string | undefined {
  const iso = isoFromDfe(cell(row, column));
  return iso !== undefined && isCalendarDate(iso) ? iso : undefined;
}

export function addYears(iso: string, years: number): string {
  const candidate = `${String(Number(iso.slice(0, 4)) + years).padStart(4, "0")}${iso.slice(4)}`;
  // 29 February in a year without one becomes 1 March, as an anniversary does.
  return isCalendarDate(candidate) ? candidate : `${candidate.slice(0, 4)}-03-01`;
}

/** Whole years from a date of birth to a date. */
export function ageOn(dob: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  return on.slice(5) < dob.slice(5) ? years - 1 : years;
}

/** Days from one yyyy-mm-dd date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether a row has anything in a column. */
export function filled(row: Row | undefined, field: string): boolean {
  return cell(row, field) !== "";
}

/** The children with a row in `table` that fills any of `fields`. */
export function childrenFilling(
  ret: Ssda903Return,
  table: TableName,
  fields: readonly string[],
): Set<string> {
  return new Set(
    (ret[table] ?? [])
      .filter((row) => fields.some((f) => filled(row, f)))
      .map((row) => cell(row, "CHILD")),
  );
}

/** Runs `visit` over each row of a table (none when the table is absent). */
export function eachRow(
  ret: Ssda903Return,
  table: TableName,
  visit: (row: Row, index: number) => void,
): void {
  (ret[table] ?? []).forEach(visit);
}

/** A rule on one row: the predicate says it fails; the failure names `field`. */
export function rowRule(
  table: TableName,
  field: string,
  fails: (row: Row, ctx: RuleContext) => boolean,
): Check {
  return (ret, ctx, fail) => {
    eachRow(ret, table, (row, i) => {
      if (fails(row, ctx)) fail(table, i, field, cell(row, field));
    });
  };
}

/** A code column: blank fails only when the column may not be blank. */
export function codeRule(
  table: TableName,
  field: string,
  codes: readonly string[],
  blankAllowed: boolean,
): Check {
  const allowed = new Set(codes);
  return rowRule(table, field, (row) => {
    const value = cell(row, field);
    return value === "" ? !blankAllowed : !allowed.has(value);
  });
}

/** A date column: blank fails only when the column may not be blank. */
export function dateRule(table: TableName, field: string, blankAllowed: boolean): Check {
  return rowRule(table, field, (row) =>
    cell(row, field) === "" ? !blankAllowed : dateOf(row, field) === undefined,
  );
}

/** The Header's row for each child, by CHILD (the first, if a child is there twice). */
export function headerByChild(ret: Ssda903Return): Map<string, Row> {
  const map = new Map<string, Row>();
  for (const row of ret.Header ?? []) {
    const child = cell(row, "CHILD");
    if (!map.has(child)) map.set(child, row);
  }
  return map;
}

export interface IndexedRow {
  row: Row;
  index: number;
}

/** Each child's episodes in the order they began (rows with no valid DECOM last). */
export function episodesByChild(ret: Ssda903Return): Map<string, IndexedRow[]> {
  const map = new Map<string, IndexedRow[]>();
  (ret.Episodes ?? []).forEach((row, index) => {
    const child = cell(row, "CHILD");
    const list = map.get(child);
    if (list) list.push({ row, index });
    else map.set(child, [{ row, index }]);
  });
  for (const list of map.values()) {
    list.sort((a, b) =>
      (dateOf(a.row, "DECOM") ?? "9999").localeCompare(dateOf(b.row, "DECOM") ?? "9999"),
    );
  }
  return map;
}

/** A rule over each episode with the one before it of the same child (sorted by DECOM). */
export function sequenceRule(
  field: string,
  fails: (
    current: Row,
    previous: Row | undefined,
    next: Row | undefined,
    ctx: RuleContext,
  ) => boolean,
): Check {
  return (ret, ctx, fail) => {
    for (const list of episodesByChild(ret).values()) {
      list.forEach(({ row, index }, i) => {
        if (fails(row, list[i - 1]?.row, list[i + 1]?.row, ctx))
          fail("Episodes", index, field, cell(row, field));
      });
    }
  };
}

/** A rule on an episode with its child's Header row (skipped when the child has none). */
export function withHeaderRule(
  table: TableName,
  field: string,
  fails: (row: Row, header: Row, ctx: RuleContext) => boolean,
): Check {
  return (ret, ctx, fail) => {
    const headers = headerByChild(ret);
    eachRow(ret, table, (row, i) => {
      const header = headers.get(cell(row, "CHILD"));
      if (header && fails(row, header, ctx)) fail(table, i, field, cell(row, field));
    });
  };
}

/** The child's age on an episode's start, from the Header's DOB; undefined if either is unknown. */
export function ageAt(header: Row, row: Row, column: string): number | undefined {
  const dob = dateOf(header, "DOB");
  const on = dateOf(row, column);
  return dob && on ? ageOn(dob, on) : undefined;
}
