import ExcelJS from "exceljs";
import { formatDate } from "../../domain/dates.ts";
import type { AnnexA } from "./annex-a.ts";

/** A calendar date as Excel's date: midnight UTC, so the day never shifts. */
function excelDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/**
 * The workbook Ofsted asks for: one sheet per list, headed with Ofsted's column names in
 * Ofsted's order, dates as dates. A list Trellis does not hold says so under its headings.
 */
export async function annexAWorkbook(annexA: AnnexA, councilName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Trellis";
  workbook.title = `Annex A for ${councilName}, ${formatDate(annexA.period.from)} to ${formatDate(annexA.period.to)}`;
  for (const list of annexA.lists) {
    const sheet = workbook.addWorksheet(list.title);
    sheet.columns = list.columns.map((c) => ({
      header: c.column,
      width: Math.min(Math.max(c.column.length, 12), 40),
      ...(c.type === "date" ? { style: { numFmt: "dd/mm/yyyy" } } : {}),
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: "frozen", ySplit: 1 }];
    if (list.notHeld) {
      sheet.addRow([list.notHeld]);
      continue;
    }
    for (const row of list.rows) {
      sheet.addRow(
        row.cells.map((cell, i) =>
          cell !== null && list.columns[i]?.type === "date" ? excelDate(String(cell)) : cell,
        ),
      );
    }
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer);
}
