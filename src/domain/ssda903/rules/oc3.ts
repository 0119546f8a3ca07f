/**
 * The DfE's rules on the OC3 table (care leavers' activity and accommodation) that need only
 * the Header, Episodes and OC3 of this year's return (decision 0038): their definitions, copied
 * from specs/ssda903/rules_2024_25.csv (rules.test.ts compares them), and their checks. Rules on
 * OC3 that need last year's return, or the OC2, AD1 or UASC tables, are reported as not run.
 *
 * Two of the DfE's rules read against each other: 153 asks that IN_TOUCH, ACTIV and ACCOM be
 * all coded or all blank, and 344 that a young person who died or went home (DIED, RHOM) have
 * no activity or accommodation. Here 153 allows that one case, so a correct row passes both.
 */
import { accommodationCodes, activityCodes, birthday, inTouchCodes } from "../../care-leavers.ts";
import { codesOf } from "../../code-list.ts";
import type { Row, Ssda903Return } from "../model.ts";
import type { RuleDefinition } from "./catalogue.ts";
import {
  ageOn,
  cell,
  codeRule,
  dateOf,
  eachRow,
  episodesByChild,
  headerByChild,
  rowRule,
  type Check,
  type IndexedRow,
  type RuleContext,
} from "./engine.ts";

function rule(code: string, tables: string, fields: string, message: string): RuleDefinition {
  return {
    code,
    severity: "error",
    tables: tables.split(" "),
    fields: fields.split(" "),
    message,
    years: ["2024-25"],
  };
}

export const oc3RuleDefinitions: readonly RuleDefinition[] = [
  rule("131", "OC3", "IN_TOUCH", "Data entry for being in touch after leaving care is invalid."),
  rule("132", "OC3", "ACTIV", "Data entry for activity after leaving care is invalid."),
  rule(
    "133",
    "OC3",
    "ACCOM",
    "Data entry for accommodation after leaving care is invalid. If reporting on a childs accommodation after leaving care the data entry must be valid",
  ),
  rule(
    "153",
    "OC3",
    "ACCOM ACTIV IN_TOUCH",
    "All data items relating to a child's activity or accommodation after leaving care must be coded or left blank.",
  ),
  rule(
    "344",
    "OC3",
    "ACCOM ACTIV IN_TOUCH",
    "The record shows the young person has died or returned home to live with parent(s) or someone with parental responsibility for a continuous period of 6 months or more, but activity and/or accommodation on leaving care have been completed.",
  ),
  rule(
    "345",
    "OC3",
    "ACCOM ACTIV IN_TOUCH",
    "The data collection record shows the local authority is in touch with this young person, but activity and/or accommodation data items are zero.",
  ),
  rule(
    "347",
    "OC3",
    "DEC PLACE URN",
    "Care leavers aged under 18 years, can not be accommodated in a Foyer.",
  ),
  rule(
    "391",
    "OC3",
    "ACCOM ACTIV DOB IN_TOUCH",
    "Young person was not 17, 18, 19, 20 or 21 during the current collection year. ",
  ),
  rule(
    "3001",
    "Header OC3",
    "REC",
    "Where care leavers information is being returned for a young person around their 17th birthday, the accommodation cannot be with their former foster carer(s).",
  ),
  rule(
    "1000",
    "Episodes OC3",
    "ACCOM ACTIV IN_TOUCH",
    "This child is recorded as having died in care and therefore should not have the care leaver information completed. [NOTE: This only tests the current and previous year data loaded into the tool]",
  ),
  rule(
    "1007",
    "Episodes OC3",
    "ACCOM ACTIV IN_TOUCH",
    "Care leaver information is not required for 17- or 18-year olds who are still looked after [on their 17th or 18th birthday.]",
  ),
  rule(
    "1011",
    "Episodes OC3",
    "ACCOM ACTIV IN_TOUCH",
    "This child is recorded as having his/her care transferred to another local authority for the final episode and therefore should not have the care leaver information completed.",
  ),
  rule(
    "1016",
    "Episodes OC3",
    "ACCOM ACTIV IN_TOUCH",
    "Care leaver information is not required for 17- or 18-year olds who cease to be looked after, after their birthday.",
  ),
  rule(
    "628",
    "Episodes Header OC3",
    "MOTHER",
    "Motherhood details are not required for care leavers who have not been looked after during the year.",
  ),
  rule("INT06", "Header OC3", "CHILD", "Internal Check: Child in OC3 does not exist in Header."),
  rule("INT15", "Header OC3", "DOB", "Internal Check: DOB in OC3 is different to DOB in Header."),
  rule("INT34", "OC3", "CHILD", "Internal Check: Child should only exist once in OC3."),
];

const CARE_LEAVER_FIELDS = ["IN_TOUCH", "ACTIV", "ACCOM"] as const;

/** The row returns care leaver information: any of IN_TOUCH, ACTIV and ACCOM is filled. */
const hasInformation = (row: Row) => CARE_LEAVER_FIELDS.some((f) => cell(row, f) !== "");

const leftHome = (row: Row) => ["DIED", "RHOM"].includes(cell(row, "IN_TOUCH"));

/** The 17th or 18th birthday that falls in the collection year, if one does. */
function seventeenOrEighteen(row: Row, ctx: RuleContext): string | undefined {
  const dob = dateOf(row, "DOB");
  if (!dob) return undefined;
  return [17, 18].map((age) => birthday(dob, age)).find((d) => d >= ctx.start && d <= ctx.end);
}

/** Looked after on the date, by this return's episodes (DEC counted as a day in care). */
function lookedAfterOn(episodes: readonly IndexedRow[], on: string): boolean {
  return episodes.some(({ row }) => {
    const decom = dateOf(row, "DECOM");
    const dec = dateOf(row, "DEC");
    return decom !== undefined && decom <= on && (cell(row, "DEC") === "" || (dec ?? "") >= on);
  });
}

/** The child's final episode in the return, when care has ended with it. */
function finalEpisode(episodes: readonly IndexedRow[] | undefined): Row | undefined {
  const last = episodes?.at(-1)?.row;
  return last && cell(last, "REC") !== "" && cell(last, "REC") !== "X1" ? last : undefined;
}

/** A rule on an OC3 row with the child's episodes in this return, sorted by DECOM. */
function withEpisodes(
  field: string,
  fails: (row: Row, episodes: readonly IndexedRow[] | undefined, ctx: RuleContext) => boolean,
): Check {
  return (ret, ctx, fail) => {
    const episodes = episodesByChild(ret);
    eachRow(ret, "OC3", (row, i) => {
      if (fails(row, episodes.get(cell(row, "CHILD")), ctx)) {
        fail("OC3", i, field, cell(row, field));
      }
    });
  };
}

function oc3Children(ret: Ssda903Return): Set<string> {
  return new Set((ret.OC3 ?? []).map((row) => cell(row, "CHILD")));
}

export const oc3Checks: Record<string, Check> = {
  "131": codeRule("OC3", "IN_TOUCH", codesOf(inTouchCodes), false),
  // Blank activity and accommodation are rule 153's and 344's to judge.
  "132": codeRule("OC3", "ACTIV", [...codesOf(activityCodes), "0"], true),
  "133": codeRule("OC3", "ACCOM", [...codesOf(accommodationCodes), "0"], true),
  "153": rowRule("OC3", "ACTIV", (row) => {
    const filled = CARE_LEAVER_FIELDS.filter((f) => cell(row, f) !== "").length;
    if (filled === 0 || filled === 3) return false;
    return !(filled === 1 && leftHome(row));
  }),
  "344": rowRule(
    "OC3",
    "ACTIV",
    (row) => leftHome(row) && (cell(row, "ACTIV") !== "" || cell(row, "ACCOM") !== ""),
  ),
  "345": rowRule(
    "OC3",
    "ACTIV",
    (row) =>
      cell(row, "IN_TOUCH") === "YES" && (cell(row, "ACTIV") === "0" || cell(row, "ACCOM") === "0"),
  ),
  // Under 18 at the end of the year: the information is about the 17th birthday.
  "347": rowRule("OC3", "ACCOM", (row, ctx) => {
    const dob = dateOf(row, "DOB");
    return dob !== undefined && ageOn(dob, ctx.end) < 18 && /^T[12]$/.test(cell(row, "ACCOM"));
  }),
  "391": rowRule("OC3", "DOB", (row, ctx) => {
    const dob = dateOf(row, "DOB");
    if (!dob || !hasInformation(row) || dob > ctx.end) return false;
    return ageOn(dob, ctx.end) < 17 || (dob <= ctx.start && ageOn(dob, ctx.start) > 21);
  }),
  "3001": rowRule("OC3", "ACCOM", (row, ctx) => {
    const dob = dateOf(row, "DOB");
    const seventeenth = dob ? birthday(dob, 17) : undefined;
    return (
      seventeenth !== undefined &&
      seventeenth >= ctx.start &&
      seventeenth <= ctx.end &&
      /^Z[12]$/.test(cell(row, "ACCOM"))
    );
  }),
  "1000": withEpisodes(
    "IN_TOUCH",
    (row, episodes) => hasInformation(row) && cell(finalEpisode(episodes), "REC") === "E2",
  ),
  "1007": withEpisodes("IN_TOUCH", (row, episodes, ctx) => {
    const day = seventeenOrEighteen(row, ctx);
    return day !== undefined && hasInformation(row) && lookedAfterOn(episodes ?? [], day);
  }),
  "1011": withEpisodes(
    "IN_TOUCH",
    (row, episodes) => hasInformation(row) && cell(finalEpisode(episodes), "REC") === "E3",
  ),
  "1016": withEpisodes("IN_TOUCH", (row, episodes, ctx) => {
    const day = seventeenOrEighteen(row, ctx);
    const ceased = dateOf(finalEpisode(episodes), "DEC");
    return day !== undefined && hasInformation(row) && ceased !== undefined && ceased > day;
  }),
  "628": (ret, _ctx, fail) => {
    const inOc3 = oc3Children(ret);
    const episodes = episodesByChild(ret);
    eachRow(ret, "Header", (row, i) => {
      const child = cell(row, "CHILD");
      if (inOc3.has(child) && !episodes.has(child) && cell(row, "MOTHER") !== "") {
        fail("Header", i, "MOTHER", cell(row, "MOTHER"));
      }
    });
  },
  INT06: (ret, _ctx, fail) => {
    const headers = headerByChild(ret);
    eachRow(ret, "OC3", (row, i) => {
      if (!headers.has(cell(row, "CHILD"))) fail("OC3", i, "CHILD", cell(row, "CHILD"));
    });
  },
  INT15: (ret, _ctx, fail) => {
    const headers = headerByChild(ret);
    eachRow(ret, "OC3", (row, i) => {
      const header = headers.get(cell(row, "CHILD"));
      if (header && cell(header, "DOB") !== cell(row, "DOB")) {
        fail("OC3", i, "DOB", cell(row, "DOB"));
      }
    });
  },
  INT34: (ret, _ctx, fail) => {
    const seen = new Set<string>();
    eachRow(ret, "OC3", (row, i) => {
      const child = cell(row, "CHILD");
      if (seen.has(child)) fail("OC3", i, "CHILD", child);
      seen.add(child);
    });
  },
};
