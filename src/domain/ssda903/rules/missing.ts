/**
 * Missing and Reviews rules, and the DfE's internal checks that every child in those tables
 * (and in Episodes) is in the Header with the same date of birth.
 */
import { reviewParticipation } from "../../ssda903.ts";
import type { Row, TableName } from "../model.ts";
import {
  ageOn,
  cell,
  codeRule,
  dateOf,
  dateRule,
  eachRow,
  episodesByChild,
  headerByChild,
  rowRule,
  withHeaderRule,
  type Check,
} from "./engine.ts";

const kind = (row: Row) => cell(row, "MISSING");

/** A child in `table` who is not in the Header. */
const notInHeader =
  (table: TableName): Check =>
  (ret, _ctx, fail) => {
    const headers = headerByChild(ret);
    eachRow(ret, table, (row, i) => {
      if (!headers.has(cell(row, "CHILD"))) fail(table, i, "CHILD", cell(row, "CHILD"));
    });
  };
/** DOB in `table` differs from the Header's. */
const dobDiffers = (table: TableName): Check =>
  withHeaderRule(table, "DOB", (row, header) => cell(row, "DOB") !== cell(header, "DOB"));

/** Each child's care: when the first episode began and, if care has ended, when. */
function careOf(ret: Parameters<Check>[0]) {
  const care = new Map<string, { first?: string; ceased?: string }>();
  for (const [child, list] of episodesByChild(ret)) {
    const last = list[list.length - 1]?.row;
    const rec = cell(last, "REC");
    care.set(child, {
      first: dateOf(list[0]?.row, "DECOM"),
      ...(rec !== "" && rec !== "X1" ? { ceased: dateOf(last, "DEC") } : {}),
    });
  }
  return care;
}

export const missingChecks: Record<string, Check> = {
  "1004": rowRule(
    "Missing",
    "MIS_START",
    (row) => cell(row, "MIS_START") !== "" && !dateOf(row, "MIS_START"),
  ),
  "1005": rowRule(
    "Missing",
    "MIS_END",
    (row) => cell(row, "MIS_END") !== "" && !dateOf(row, "MIS_END"),
  ),
  "1006": codeRule("Missing", "MISSING", ["M", "A"], true),
  "564": rowRule(
    "Missing",
    "MIS_START",
    (row) => kind(row) !== "" && cell(row, "MIS_START") === "",
  ),
  "565": rowRule("Missing", "MISSING", (row) => cell(row, "MIS_START") !== "" && kind(row) === ""),
  "566": rowRule("Missing", "MISSING", (row) => cell(row, "MIS_END") !== "" && kind(row) === ""),
  "567": rowRule("Missing", "MIS_END", (row) => {
    const start = dateOf(row, "MIS_START");
    const end = dateOf(row, "MIS_END");
    return start !== undefined && end !== undefined && end < start;
  }),
  "570": rowRule("Missing", "MIS_START", (row, ctx) => (dateOf(row, "MIS_START") ?? "") > ctx.end),
  "571": rowRule("Missing", "MIS_END", (row, ctx) => {
    const end = dateOf(row, "MIS_END");
    return end !== undefined && (end < ctx.start || end > ctx.end);
  }),
  // Sorted by start, a period may not start while the one before it is still open.
  "574": (ret, _ctx, fail) => {
    const byChild = new Map<string, { row: Row; index: number }[]>();
    eachRow(ret, "Missing", (row, index) => {
      const list = byChild.get(cell(row, "CHILD")) ?? [];
      list.push({ row, index });
      byChild.set(cell(row, "CHILD"), list);
    });
    for (const list of byChild.values()) {
      list.sort((a, b) =>
        (dateOf(a.row, "MIS_START") ?? "").localeCompare(dateOf(b.row, "MIS_START") ?? ""),
      );
      list.forEach(({ row, index }, i) => {
        const previous = list[i - 1]?.row;
        if (!previous) return;
        const ended = dateOf(previous, "MIS_END");
        const start = dateOf(row, "MIS_START");
        if (start !== undefined && (ended === undefined || ended > start)) {
          fail("Missing", index, "MIS_START", cell(row, "MIS_START"));
        }
      });
    }
  },
  "577": (ret, _ctx, fail) => {
    const care = careOf(ret);
    eachRow(ret, "Missing", (row, i) => {
      if (care.get(cell(row, "CHILD"))?.ceased !== undefined && cell(row, "MIS_END") === "") {
        fail("Missing", i, "MIS_END", "");
      }
    });
  },
  "578": (ret, _ctx, fail) => {
    const care = careOf(ret);
    eachRow(ret, "Missing", (row, i) => {
      const ceased = care.get(cell(row, "CHILD"))?.ceased;
      const start = dateOf(row, "MIS_START");
      if (ceased !== undefined && start !== undefined && start > ceased) {
        fail("Missing", i, "MIS_START", cell(row, "MIS_START"));
      }
    });
  },
  "581": (ret, _ctx, fail) => {
    const care = careOf(ret);
    eachRow(ret, "Missing", (row, i) => {
      const first = care.get(cell(row, "CHILD"))?.first;
      const start = dateOf(row, "MIS_START");
      if (first !== undefined && start !== undefined && start < first) {
        fail("Missing", i, "MIS_START", cell(row, "MIS_START"));
      }
    });
  },
  "586": withHeaderRule("Missing", "MIS_START", (row, header) => {
    const dob = dateOf(header, "DOB");
    const start = dateOf(row, "MIS_START");
    return dob !== undefined && start !== undefined && start < dob;
  }),
  "166": dateRule("Reviews", "REVIEW", false),
  "167": codeRule(
    "Reviews",
    "REVIEW_CODE",
    reviewParticipation.map((c) => c.code),
    false,
  ),
  "440": withHeaderRule("Reviews", "REVIEW_CODE", (row, header) => {
    const dob = dateOf(header, "DOB");
    const held = dateOf(row, "REVIEW");
    return (
      cell(row, "REVIEW_CODE") === "PN0" &&
      dob !== undefined &&
      held !== undefined &&
      ageOn(dob, held) >= 4
    );
  }),
  "441": withHeaderRule("Reviews", "REVIEW_CODE", (row, header) => {
    const dob = dateOf(header, "DOB");
    const held = dateOf(row, "REVIEW");
    const code = cell(row, "REVIEW_CODE");
    return (
      code !== "" &&
      code !== "PN0" &&
      dob !== undefined &&
      held !== undefined &&
      ageOn(dob, held) < 4
    );
  }),
  INT03: notInHeader("Episodes"),
  INT04: notInHeader("Missing"),
  INT08: notInHeader("Reviews"),
  INT13: dobDiffers("Missing"),
  INT17: dobDiffers("Reviews"),
};
