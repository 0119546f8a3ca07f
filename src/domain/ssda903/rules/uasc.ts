/**
 * The DfE's rules on the UASC table (unaccompanied asylum-seeking children: the date the status
 * ceased, DUC) that the 2024 tables allow. Header carries no UASC flag in the 2024 schema, so
 * 105, 303 and 205A-D (which read one) are not run.
 */
import { addYears, cell, dateOf, dateRule, eachRow, headerByChild, type Check } from "./engine.ts";

/** A UASC row compared with its child's Header row on one column (skipped with no Header). */
const sameAsHeader =
  (column: string): Check =>
  (ret, _ctx, fail) => {
    const headers = headerByChild(ret);
    eachRow(ret, "UASC", (row, i) => {
      const header = headers.get(cell(row, "CHILD"));
      if (header && cell(header, column) !== cell(row, column)) {
        fail("UASC", i, column, cell(row, column));
      }
    });
  };

export const uascChecks: Record<string, Check> = {
  "104": dateRule("UASC", "DUC", true),
  // The status ends at 18 at the latest: a child who turns 18 is no longer a child.
  "304": (ret, _ctx, fail) => {
    eachRow(ret, "UASC", (row, i) => {
      const dob = dateOf(row, "DOB");
      const duc = dateOf(row, "DUC");
      if (dob && duc && duc > addYears(dob, 18)) fail("UASC", i, "DUC", cell(row, "DUC"));
    });
  },
  INT09: (ret, _ctx, fail) => {
    const headers = headerByChild(ret);
    eachRow(ret, "UASC", (row, i) => {
      if (!headers.has(cell(row, "CHILD"))) fail("UASC", i, "CHILD", cell(row, "CHILD"));
    });
  },
  INT18: sameAsHeader("DOB"),
  INT21: sameAsHeader("SEX"),
  INT36: (ret, _ctx, fail) => {
    const seen = new Set<string>();
    eachRow(ret, "UASC", (row, i) => {
      const child = cell(row, "CHILD");
      if (seen.has(child)) fail("UASC", i, "CHILD", child);
      seen.add(child);
    });
  },
};
