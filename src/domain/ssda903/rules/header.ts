/** Header rules: the child's sex, birth, ethnicity, UPN and motherhood; duplicates. */
import { ethnicities } from "../../code-lists.ts";
import { validateUpn } from "../../identifiers.ts";
import {
  addYears,
  ageOn,
  cell,
  codeRule,
  dateOf,
  dateRule,
  episodesByChild,
  rowRule,
  type Check,
} from "./engine.ts";

const UPN_UNKNOWN = ["UN1", "UN2", "UN3", "UN4", "UN5"];
const isMother = (row: Parameters<typeof cell>[0]) => cell(row, "MOTHER") === "1";

export const headerChecks: Record<string, Check> = {
  "101": codeRule("Header", "SEX", ["1", "2"], false),
  "102": dateRule("Header", "DOB", false),
  "103": codeRule(
    "Header",
    "ETHNIC",
    ethnicities.map((e) => e.code),
    false,
  ),
  "168": rowRule("Header", "UPN", (row) => {
    const upn = cell(row, "UPN");
    return upn !== "" && !UPN_UNKNOWN.includes(upn) && !validateUpn(upn).ok;
  }),
  "171": rowRule("Header", "MC_DOB", (row) => cell(row, "MC_DOB") !== "" && !dateOf(row, "MC_DOB")),
  "174": rowRule(
    "Header",
    "MC_DOB",
    (row) => cell(row, "MC_DOB") !== "" && cell(row, "SEX") === "1",
  ),
  "301": rowRule("Header", "DOB", (row, ctx) => (dateOf(row, "DOB") ?? "") > ctx.end),
  // Over 25 at the start of the year: the 25th birthday fell before 1 April.
  "351": rowRule("Header", "DOB", (row, ctx) => {
    const dob = dateOf(row, "DOB");
    return dob !== undefined && addYears(dob, 25) < ctx.start;
  }),
  "611": rowRule("Header", "MC_DOB", (row) => isMother(row) && cell(row, "MC_DOB") === ""),
  "612": rowRule(
    "Header",
    "MC_DOB",
    (row) => cell(row, "SEX") === "2" && cell(row, "MOTHER") === "0" && cell(row, "MC_DOB") !== "",
  ),
  // Under 11 at the start of the year.
  "620": rowRule("Header", "MOTHER", (row, ctx) => {
    const dob = dateOf(row, "DOB");
    return isMother(row) && dob !== undefined && ageOn(dob, ctx.start) < 11;
  }),
  "621": rowRule("Header", "MC_DOB", (row) => {
    const dob = dateOf(row, "DOB");
    const child = dateOf(row, "MC_DOB");
    return dob !== undefined && child !== undefined && child <= dob;
  }),
  INT32: (ret, _ctx, fail) => {
    const seen = new Map<string, number>();
    (ret.Header ?? []).forEach((row) => {
      const child = cell(row, "CHILD");
      seen.set(child, (seen.get(child) ?? 0) + 1);
    });
    (ret.Header ?? []).forEach((row, i) => {
      if ((seen.get(cell(row, "CHILD")) ?? 0) > 1) fail("Header", i, "CHILD", cell(row, "CHILD"));
    });
  },
  // A looked-after child (one with episodes) must have a UPN or a reason it is unknown.
  "442": (ret, _ctx, fail) => {
    const looked = episodesByChild(ret);
    (ret.Header ?? []).forEach((row, i) => {
      if (looked.has(cell(row, "CHILD")) && cell(row, "UPN") === "") fail("Header", i, "UPN", "");
    });
  },
  // A girl of 11 or over looked after at 31 March: MOTHER must say 1 or 0.
  "393": (ret, ctx, fail) => {
    const episodes = episodesByChild(ret);
    (ret.Header ?? []).forEach((row, i) => {
      const dob = dateOf(row, "DOB");
      if (cell(row, "SEX") !== "2" || cell(row, "MOTHER") !== "") return;
      if (dob === undefined || ageOn(dob, ctx.end) < 11) return;
      const list = episodes.get(cell(row, "CHILD")) ?? [];
      const open = list.some(({ row: e }) => {
        const ended = dateOf(e, "DEC");
        return ended === undefined || ended > ctx.end;
      });
      if (open) fail("Header", i, "MOTHER", "");
    });
  },
};
