import { isCalendarDate } from "../dates.ts";
import type { AnnexACell } from "./codes.ts";
import type { AnnexAColumn, AnnexAListName } from "./spec.ts";

/** One child's row on a list: the cells in Ofsted's column order. */
export interface AnnexARow {
  personId: string;
  cells: AnnexACell[];
}

export type AnnexAProblemKind = "blank" | "not_in_list" | "not_a_date" | "not_a_number";

/** A cell Ofsted would send back: what is wrong, where, and whose record holds it. */
export interface AnnexAProblem {
  list: AnnexAListName;
  column: string;
  personId: string;
  value: AnnexACell;
  kind: AnnexAProblemKind;
}

function problemOf(column: AnnexAColumn, value: AnnexACell): AnnexAProblemKind | undefined {
  if (value === null || value === "") return column.canBeBlank ? undefined : "blank";
  if (column.type === "date") return isCalendarDate(String(value)) ? undefined : "not_a_date";
  if (column.type === "integer") return Number.isInteger(value) ? undefined : "not_a_number";
  if (column.codes && !column.codes.includes(String(value))) return "not_in_list";
  return undefined;
}

/**
 * Every cell of a list that is blank where Ofsted needs a value, or not one of Ofsted's codes.
 * Columns Trellis does not hold (`notHeld`) are left out: no record could fix them, and the
 * page names them separately (decision 0032).
 */
export function checkList(
  list: AnnexAListName,
  columns: readonly AnnexAColumn[],
  rows: readonly AnnexARow[],
  notHeld: ReadonlySet<string> = new Set(),
): AnnexAProblem[] {
  const problems: AnnexAProblem[] = [];
  for (const row of rows) {
    columns.forEach((column, i) => {
      if (notHeld.has(column.column)) return;
      const value = row.cells[i] ?? null;
      const kind = problemOf(column, value);
      if (kind) problems.push({ list, column: column.column, personId: row.personId, value, kind });
    });
  }
  return problems;
}

/** What to tell the person fixing it. */
export function problemText(problem: AnnexAProblem): string {
  switch (problem.kind) {
    case "blank":
      return `${problem.column} is blank; Ofsted needs a value`;
    case "not_in_list":
      return `${problem.column} is "${String(problem.value)}", which is not one of Ofsted's codes`;
    case "not_a_date":
      return `${problem.column} is "${String(problem.value)}", which is not a date`;
    case "not_a_number":
      return `${problem.column} is "${String(problem.value)}", which is not a whole number`;
  }
}
