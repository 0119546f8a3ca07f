/**
 * Small numbers protected (issue 13, decision 0033). A count from 1 to 4 could identify a
 * child to someone who may not see the record, so it is suppressed (primary suppression).
 * A table with totals could still reveal a suppressed cell by subtraction, so wherever a line
 * (a row or a column whose total is shown) has exactly one suppressed cell, the next smallest
 * non-zero cell of that line is suppressed too (secondary suppression), until no line has a
 * lone suppressed cell. Zero is shown: it names nobody. The convention follows the ONS and
 * DfE practice for published tables of children.
 */

export const SMALLEST_SHOWN = 5;

export function isSmall(count: number): boolean {
  return count >= 1 && count < SMALLEST_SHOWN;
}

/**
 * Which cells of a table to hide. `cells[r][c]` are counts; totals of every row and every
 * column are taken to be shown (they are computed from the same records), and a total that is
 * itself small is hidden as well. Returns the hidden cells and hidden totals.
 */
export function suppressTable(cells: readonly (readonly number[])[]): {
  hidden: boolean[][];
  rowTotalHidden: boolean[];
  columnTotalHidden: boolean[];
} {
  const hidden = cells.map((row) => row.map(isSmall));
  const columns = Math.max(0, ...cells.map((row) => row.length));
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = Array.from({ length: columns }, (_, c) =>
    cells.reduce((sum, row) => sum + (row[c] ?? 0), 0),
  );
  const rowTotalHidden = rowTotals.map(isSmall);
  const columnTotalHidden = columnTotals.map(isSmall);
  // A line of cells with a shown total: one hidden cell in it could be worked out.
  const lines: { r: number; c: number }[][] = [
    ...cells.map((row, r) => row.map((_, c) => ({ r, c }))),
    ...Array.from({ length: columns }, (_, c) =>
      cells.flatMap((row, r) => (c < row.length ? [{ r, c }] : [])),
    ),
  ];
  const totalHidden = (index: number) =>
    index < cells.length ? rowTotalHidden[index] : columnTotalHidden[index - cells.length];
  let changed = true;
  while (changed) {
    changed = false;
    lines.forEach((line, index) => {
      if (totalHidden(index)) return;
      const hiddenInLine = line.filter(({ r, c }) => hidden[r]?.[c]);
      const hiddenSum = hiddenInLine.reduce((sum, { r, c }) => sum + (cells[r]?.[c] ?? 0), 0);
      // One hidden cell, or several whose sum could be read as one child group, need company:
      // hiding is safe once at least two non-zero cells are hidden together.
      if (hiddenInLine.length !== 1 || hiddenSum === 0) return;
      const candidate = line
        .filter(({ r, c }) => !hidden[r]?.[c] && (cells[r]?.[c] ?? 0) > 0)
        .sort((a, b) => (cells[a.r]?.[a.c] ?? 0) - (cells[b.r]?.[b.c] ?? 0))[0];
      const row = candidate ? hidden[candidate.r] : undefined;
      if (candidate && row) {
        row[candidate.c] = true;
        changed = true;
      } else if (index < cells.length) {
        // Nothing else to hide in the line: hide its total instead.
        rowTotalHidden[index] = true;
        changed = true;
      } else {
        columnTotalHidden[index - cells.length] = true;
        changed = true;
      }
    });
  }
  return { hidden, rowTotalHidden, columnTotalHidden };
}

/** A one-line breakdown with its total: the groups as a single row of a table. */
export function suppressBreakdown(counts: readonly number[]): {
  hidden: boolean[];
  totalHidden: boolean;
} {
  const table = suppressTable([counts]);
  return { hidden: table.hidden[0] ?? [], totalHidden: table.rowTotalHidden[0] ?? false };
}
