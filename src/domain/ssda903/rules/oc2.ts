/**
 * The DfE's rules on the OC2 table (outcomes for children looked after continuously for 12
 * months at 31 March; decision 0042). Ages are from the OC2 row's DOB: at the start (1 April)
 * or the end (31 March) of the year as each rule says. "Looked after 12 months" is read from
 * this return's episodes: in care on 1 April and on 31 March with no day out of care between.
 *
 * Rule 186 asks for an SDQ score from every child of 4 to 16 in the cohort; a reason for no
 * score (SDQ2 to SDQ5) answers it here, as the DfE's guidance allows.
 */
import type { Row, Ssda903Return, TableName } from "../model.ts";
import {
  ageOn,
  cell,
  codeRule,
  dateOf,
  daysBetween,
  eachRow,
  episodesByChild,
  headerByChild,
  rowRule,
  type Check,
  type IndexedRow,
  type RuleContext,
  childrenFilling,
  filled,
} from "./engine.ts";

const FLAGS = [
  "CONVICTED",
  "HEALTH_CHECK",
  "IMMUNISATIONS",
  "TEETH_CHECK",
  "HEALTH_ASSESSMENT",
  "SUBSTANCE_MISUSE",
  "INTERVENTION_RECEIVED",
  "INTERVENTION_OFFERED",
] as const;
/** The care leaver (OC3) and adoption (AD1) fields that rules 187 and 215 ask after. */
export const OC3_FIELDS = ["IN_TOUCH", "ACTIV", "ACCOM"];
export const AD1_FIELDS = [
  "DATE_INT",
  "DATE_MATCH",
  "FOSTER_CARE",
  "NB_ADOPTR",
  "SEX_ADOPTR",
  "LS_ADOPTR",
];
const HEALTH = ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"] as const;

const anyBlank = (row: Row, fields: readonly string[]) => fields.some((f) => !filled(row, f));

/** Looked after on every day from 1 April to 31 March, by the child's episodes. */
export function lookedAfterAllYear(episodes: readonly IndexedRow[] | undefined, ctx: RuleContext) {
  if (!episodes?.length) return false;
  const spans = episodes.map(({ row }) => ({
    from: dateOf(row, "DECOM") ?? "9999-12-31",
    to: cell(row, "DEC") === "" ? "9999-12-31" : (dateOf(row, "DEC") ?? ""),
    shortBreak: ["V3", "V4"].includes(cell(row, "LS")),
  }));
  let covered = "";
  for (const span of spans) {
    if (span.shortBreak) continue;
    if (covered === "") {
      if (span.from <= ctx.start && span.to >= ctx.start) covered = span.to;
      continue;
    }
    if (covered > ctx.end) break;
    if (span.from > covered && daysBetween(covered, span.from) > 1) return false;
    if (span.to > covered) covered = span.to;
  }
  return covered > ctx.end;
}

type Oc2Test = (row: Row, ctx: RuleContext, ages: { start: number; end: number }) => boolean;

/** A rule on an OC2 row with the child's ages; a row without a valid DOB is 102's to report. */
function aged(field: string, fails: Oc2Test): Check {
  return rowRule("OC2", field, (row, ctx) => {
    const dob = dateOf(row, "DOB");
    return (
      dob !== undefined &&
      fails(row, ctx, { start: ageOn(dob, ctx.start), end: ageOn(dob, ctx.end) })
    );
  });
}

/** A rule on an OC2 row that also asks whether the child was looked after all year. */
function withCohort(
  field: string,
  fails: (row: Row, inCohort: boolean, ages: { start: number; end: number } | undefined) => boolean,
): Check {
  return (ret: Ssda903Return, ctx, fail) => {
    const episodes = episodesByChild(ret);
    eachRow(ret, "OC2", (row, i) => {
      const dob = dateOf(row, "DOB");
      const ages = dob ? { start: ageOn(dob, ctx.start), end: ageOn(dob, ctx.end) } : undefined;
      const inCohort = lookedAfterAllYear(episodes.get(cell(row, "CHILD")), ctx);
      if (fails(row, inCohort, ages)) fail("OC2", i, field, cell(row, field));
    });
  };
}

const sdqGiven = (row: Row) => filled(row, "SDQ_SCORE") || filled(row, "SDQ_REASON");

/** The internal checks every child table has: in the Header, the same DOB, (once). */
export function internal(table: TableName, kind: "header" | "dob" | "once"): Check {
  return (ret, _ctx, fail) => {
    const headers = headerByChild(ret);
    const seen = new Set<string>();
    eachRow(ret, table, (row, i) => {
      const child = cell(row, "CHILD");
      const header = headers.get(child);
      if (kind === "header" && !header) fail(table, i, "CHILD", child);
      if (kind === "dob" && header && cell(header, "DOB") !== cell(row, "DOB")) {
        fail(table, i, "DOB", cell(row, "DOB"));
      }
      if (kind === "once" && seen.has(child)) fail(table, i, "CHILD", child);
      seen.add(child);
    });
  };
}

export const oc2Checks: Record<string, Check> = {
  "157": withCohort(
    "SDQ_REASON",
    (row, inCohort, a) =>
      inCohort &&
      a !== undefined &&
      a.start >= 4 &&
      a.end <= 16 &&
      cell(row, "SDQ_REASON") === "SDQ1",
  ),
  "158": rowRule(
    "OC2",
    "INTERVENTION_OFFERED",
    (row) => cell(row, "INTERVENTION_RECEIVED") === "1" && filled(row, "INTERVENTION_OFFERED"),
  ),
  "159": rowRule(
    "OC2",
    "INTERVENTION_OFFERED",
    (row) =>
      cell(row, "SUBSTANCE_MISUSE") === "1" &&
      cell(row, "INTERVENTION_RECEIVED") === "0" &&
      !filled(row, "INTERVENTION_OFFERED"),
  ),
  "180": rowRule("OC2", "SDQ_SCORE", (row) => {
    const score = cell(row, "SDQ_SCORE");
    return score !== "" && !(/^\d{1,2}$/.test(score) && Number(score) <= 40);
  }),
  "181": rowRule("OC2", "CONVICTED", (row) =>
    FLAGS.some((f) => filled(row, f) && !["0", "1"].includes(cell(row, f))),
  ),
  "182": rowRule(
    "OC2",
    "IMMUNISATIONS",
    (row) => FLAGS.some((f) => filled(row, f)) && anyBlank(row, HEALTH),
  ),
  "185": withCohort("SDQ_SCORE", (row, inCohort) => !inCohort && filled(row, "SDQ_SCORE")),
  "186": withCohort(
    "SDQ_SCORE",
    (row, inCohort, a) =>
      inCohort && a !== undefined && a.start >= 4 && a.end < 17 && !sdqGiven(row),
  ),
  "188": aged("SDQ_SCORE", (row, _ctx, a) => a.end < 4 && sdqGiven(row)),
  "189": aged("SDQ_SCORE", (row, _ctx, a) => a.start >= 17 && sdqGiven(row)),
  "190": withCohort("CONVICTED", (row, inCohort) => !inCohort && FLAGS.some((f) => filled(row, f))),
  "191": withCohort("IMMUNISATIONS", (row, inCohort) => inCohort && anyBlank(row, HEALTH)),
  "192": rowRule(
    "OC2",
    "INTERVENTION_RECEIVED",
    (row) => cell(row, "SUBSTANCE_MISUSE") === "1" && !filled(row, "INTERVENTION_RECEIVED"),
  ),
  "193": rowRule(
    "OC2",
    "INTERVENTION_RECEIVED",
    (row) =>
      cell(row, "SUBSTANCE_MISUSE") !== "1" &&
      (filled(row, "INTERVENTION_RECEIVED") || filled(row, "INTERVENTION_OFFERED")),
  ),
  "196": codeRule("OC2", "SDQ_REASON", ["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"], true),
  "197B": withCohort(
    "SDQ_REASON",
    (row, inCohort, a) =>
      inCohort && a !== undefined && (a.start === 4 || a.end === 17) && !sdqGiven(row),
  ),
  "197a": rowRule(
    "OC2",
    "SDQ_REASON",
    (row) => filled(row, "SDQ_SCORE") && filled(row, "SDQ_REASON"),
  ),
  "198": withCohort("SDQ_REASON", (row, inCohort) => !inCohort && filled(row, "SDQ_REASON")),
  "542": aged("CONVICTED", (row, _ctx, a) => a.end < 10 && filled(row, "CONVICTED")),
  "543": withCohort(
    "CONVICTED",
    (row, inCohort, a) => inCohort && a !== undefined && a.end >= 10 && !filled(row, "CONVICTED"),
  ),
  "544": rowRule("OC2", "CONVICTED", (row) => filled(row, "CONVICTED") && anyBlank(row, HEALTH)),
  // Every OC2 row is for a child looked after 12 months: the table lists only them.
  "545": aged("HEALTH_CHECK", (row, _ctx, a) => a.end < 5 && !filled(row, "HEALTH_CHECK")),
  "546": aged("HEALTH_CHECK", (row, _ctx, a) => a.end >= 5 && filled(row, "HEALTH_CHECK")),
  "547": rowRule(
    "OC2",
    "HEALTH_CHECK",
    (row) => filled(row, "HEALTH_CHECK") && anyBlank(row, HEALTH),
  ),
  "187": (ret, ctx, fail) => {
    const episodes = episodesByChild(ret);
    const inCohort = (row: Row) => lookedAfterAllYear(episodes.get(cell(row, "CHILD")), ctx);
    eachRow(ret, "AD1", (row, i) => {
      if (inCohort(row) && AD1_FIELDS.some((f) => filled(row, f)))
        fail("AD1", i, "DATE_INT", cell(row, "DATE_INT"));
    });
    eachRow(ret, "OC3", (row, i) => {
      if (inCohort(row) && OC3_FIELDS.some((f) => filled(row, f)))
        fail("OC3", i, "IN_TOUCH", cell(row, "IN_TOUCH"));
    });
  },
  "215": (ret, _ctx, fail) => {
    const careLeavers = childrenFilling(ret, "OC3", OC3_FIELDS);
    eachRow(ret, "OC2", (row, i) => {
      if (careLeavers.has(cell(row, "CHILD")) && FLAGS.some((f) => filled(row, f)))
        fail("OC2", i, "CONVICTED", cell(row, "CONVICTED"));
    });
  },
  INT05: internal("OC2", "header"),
  INT14: internal("OC2", "dob"),
  INT33: internal("OC2", "once"),
};
