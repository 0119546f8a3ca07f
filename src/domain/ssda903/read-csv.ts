/**
 * Reading SSDA903 CSV files made by any system: each file is one table, known by its name
 * (Header.csv, episodes.csv) or, failing that, by its columns. Refused with a message that
 * says what to do: a file too large, not UTF-8, with missing, extra or repeated columns, with
 * a row of the wrong length, or two files for one table. Values stay text (decision 0035).
 */
import { parseCsv } from "../csv.ts";
import { tableColumns, tableNames, type Row, type Ssda903Return, type TableName } from "./model.ts";

export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface CsvFile {
  name: string;
  bytes: Uint8Array;
}

export type ReadResult = { ok: true; tables: Ssda903Return } | { ok: false; message: string };

function tableFor(name: string, columns: readonly string[]): TableName | undefined {
  const base = name.replace(/\.csv$/i, "").toLowerCase();
  const byName = tableNames.find((t) => t.toLowerCase() === base);
  if (byName) return byName;
  const sorted = [...columns].sort().join(",");
  return tableNames.find((t) => [...tableColumns[t]].sort().join(",") === sorted);
}

function readOne(
  file: CsvFile,
): { ok: true; table: TableName; rows: Row[] } | { ok: false; message: string } {
  if (file.bytes.byteLength > MAX_FILE_BYTES) {
    return {
      ok: false,
      message: `${file.name} is larger than ${String(MAX_FILE_BYTES / 1024 / 1024)} MB: an SSDA903 table is far smaller, so check it is the right file`,
    };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(file.bytes);
  } catch {
    return {
      ok: false,
      message: `${file.name} is not UTF-8 text: save it as "CSV UTF-8" and try again`,
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, message: `${file.name}: ${parsed.message}` };
  const [head, ...body] = parsed.rows;
  if (!head)
    return {
      ok: false,
      message: `${file.name} is empty: it needs at least the row of column names`,
    };
  const columns = head.map((c) => c.trim());
  const table = tableFor(file.name, columns);
  if (!table) {
    return {
      ok: false,
      message: `${file.name} is not an SSDA903 table: name it after its table (${tableNames.join(", ")}) or give it that table's columns`,
    };
  }
  const expected: readonly string[] = tableColumns[table];
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  const missing = expected.filter((c) => !columns.includes(c));
  const extra = columns.filter((c) => !expected.includes(c));
  const problems = [
    ...(missing.length > 0
      ? [`missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`]
      : []),
    ...(extra.length > 0
      ? [`column${extra.length > 1 ? "s" : ""} ${extra.join(", ")} not in the DfE's ${table} table`]
      : []),
    ...(repeated.length > 0
      ? [`column${repeated.length > 1 ? "s" : ""} ${repeated.join(", ")} repeated`]
      : []),
  ];
  if (problems.length > 0) {
    return {
      ok: false,
      message: `${file.name} (${table}): ${problems.join("; ")}. The ${table} table's columns are ${expected.join(", ")}`,
    };
  }
  const rows: Row[] = [];
  for (const [i, cells] of body.entries()) {
    if (cells.length !== columns.length) {
      return {
        ok: false,
        message: `${file.name} (${table}): row ${String(i + 2)} has ${String(cells.length)} cells but there are ${String(columns.length)} columns`,
      };
    }
    rows.push(Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? ""])));
  }
  return { ok: true, table, rows };
}

export function readReturnFiles(files: readonly CsvFile[]): ReadResult {
  if (files.length === 0)
    return { ok: false, message: "no CSV files: give one file per SSDA903 table" };
  const tables: Partial<Record<TableName, Row[]>> = {};
  const from = new Map<TableName, string>();
  for (const file of files) {
    const read = readOne(file);
    if (!read.ok) return read;
    const earlier = from.get(read.table);
    if (earlier)
      return {
        ok: false,
        message: `${earlier} and ${file.name} are both the ${read.table} table: give one file per table`,
      };
    from.set(read.table, file.name);
    tables[read.table] = read.rows;
  }
  if (!tables.Header)
    return { ok: false, message: "no Header table: every SSDA903 return has a Header.csv" };
  return { ok: true, tables };
}
