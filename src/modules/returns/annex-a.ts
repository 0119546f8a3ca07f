import { checkList, type AnnexAProblem, type AnnexARow } from "../../domain/annex-a/check.ts";
import { annexCell, monthsBefore, UNKNOWN, type AnnexAPeriod } from "../../domain/annex-a/codes.ts";
import { annexASpec, type AnnexAColumn, type AnnexAListName } from "../../domain/annex-a/spec.ts";
import type { Db } from "../../platform/database.ts";
import { annexAListsInCare } from "./annex-a-care-lists.ts";
import {
  annexAListsToProtection,
  NOT_HELD,
  NOT_HELD_UNKNOWN,
  type AnnexAListQuery,
} from "./annex-a-lists.ts";
import type { ListParams } from "./annex-a-sql.ts";

/** Lists 1 to 11 in Ofsted's order. */
export const annexAQueries: readonly AnnexAListQuery[] = [
  ...annexAListsToProtection,
  ...annexAListsInCare,
];

/** One list as it goes on its sheet, with what the check found and what Trellis lacks. */
export interface AnnexAList {
  list: AnnexAListName;
  title: string;
  columns: readonly AnnexAColumn[];
  rows: AnnexARow[];
  /** Why the list is empty when Trellis holds none of it. */
  notHeld?: string;
  /** Ofsted's columns Trellis does not hold, left blank or "Unknown" (decision 0032). */
  notHeldColumns: string[];
  problems: AnnexAProblem[];
}

export interface AnnexA {
  period: AnnexAPeriod;
  lists: AnnexAList[];
}

/** The children named anywhere in the workbook, for the audit row. */
export function childrenIn(annexA: AnnexA): string[] {
  return [...new Set(annexA.lists.flatMap((l) => l.rows.map((r) => r.personId)))];
}

function yesNoUnknown(column: AnnexAColumn): boolean {
  return column.codes?.some((c) => c.endsWith("Unknown")) ?? false;
}

function isNotHeld(field: string | undefined): boolean {
  return field === undefined || field === NOT_HELD || field === NOT_HELD_UNKNOWN;
}

async function generateList(db: Db, query: AnnexAListQuery, q: ListParams): Promise<AnnexAList> {
  const columns = annexASpec[query.list];
  const fields = columns.map((c) => query.columns[c.column]);
  const notHeldColumns = columns.filter((_c, i) => isNotHeld(fields[i])).map((c) => c.column);
  const base = { list: query.list, title: query.title, columns, notHeldColumns };
  if (!query.query) return { ...base, notHeld: query.notHeld, rows: [], problems: [] };
  const { rows: raw } = await query.query(q).execute(db);
  const rows = raw.map((r) => ({
    personId: String(r.person_id),
    cells: columns.map((column, i) => {
      const field = fields[i];
      if (field === NOT_HELD_UNKNOWN) return annexCell(column, UNKNOWN);
      if (isNotHeld(field)) return null;
      const value = (r[field as string] ?? null) as string | number | boolean | null;
      // A yes/no/unknown column that may not be blank: nothing recorded is "Unknown".
      if (value === null && !column.canBeBlank && yesNoUnknown(column)) {
        return annexCell(column, UNKNOWN);
      }
      return annexCell(column, value);
    }),
  }));
  const problems = checkList(query.list, columns, rows, new Set(notHeldColumns));
  return { ...base, rows, problems };
}

/**
 * Annex A for the whole council over the period: each list is one query, run one after another
 * in the caller's transaction so every list sees the same records.
 */
export async function generateAnnexA(db: Db, laId: string, period: AnnexAPeriod): Promise<AnnexA> {
  const q: ListParams = {
    laId,
    from: period.from,
    to: period.to,
    from12: monthsBefore(period.to, 12),
  };
  const lists: AnnexAList[] = [];
  for (const query of annexAQueries) lists.push(await generateList(db, query, q));
  return { period, lists };
}
