/** Episodes rules on one episode: codes, dates, placements, providers, ages and durations. */
import {
  legalStatuses,
  placementProviders,
  placementTypes,
  reasonsEpisodeCeased,
  reasonsForNewEpisode,
  temporaryPlacements,
} from "../../ssda903.ts";
import { primaryNeeds } from "../../code-lists.ts";
import {
  ageAt,
  cell,
  codeRule,
  dateOf,
  dateRule,
  daysBetween,
  rowRule,
  withHeaderRule,
  type Check,
  type RuleContext,
} from "./engine.ts";
import type { Row } from "../model.ts";

const codes = (list: readonly { code: string }[]) => list.map((c) => c.code);
const place = (row: Row) => cell(row, "PLACE");
const provider = (row: Row) => cell(row, "PLACE_PROVIDER");
const temporary = (row: Row) => (temporaryPlacements as readonly string[]).includes(place(row));
const reasonsPlaceChange = [
  "CARPL",
  "CLOSE",
  "ALLEG",
  "STAND",
  "APPRR",
  "CREQB",
  "CREQO",
  "CHILD",
  "LAREQ",
  "PLACE",
  "CUSTOD",
  "OTHER",
];
/** Freeing orders ended, and placement orders began, on 30 December 2005. */
const ACT_2002 = "2005-12-30";

/** How long an episode lasted in days: to its end, or to 31 March if still open. */
function lasted(row: Row, ctx: RuleContext): number | undefined {
  const from = dateOf(row, "DECOM");
  if (!from) return undefined;
  return daysBetween(from, dateOf(row, "DEC") ?? ctx.end);
}

/** An episode under one of the legal statuses that lasted more than `days`. */
const longerThan = (statuses: readonly string[], days: number): Check =>
  rowRule("Episodes", "DEC", (row, ctx) => {
    const length = lasted(row, ctx);
    return statuses.includes(cell(row, "LS")) && length !== undefined && length > days;
  });
/** A placement of this type that lasted more than `days`. */
const placedLongerThan = (type: string, days: number): Check =>
  rowRule("Episodes", "DECOM", (row, ctx) => {
    const length = lasted(row, ctx);
    return place(row) === type && length !== undefined && length > days;
  });
/** A placement whose child was younger than `years` when it began. */
const placedYoungerThan = (types: readonly string[], years: number): Check =>
  withHeaderRule("Episodes", "DECOM", (row, header) => {
    const age = ageAt(header, row, "DECOM");
    return types.includes(place(row)) && age !== undefined && age < years;
  });
/** An ending with one of these reasons when the child's age on DEC is outside the range. */
const ceasedAged = (reasons: readonly string[], fails: (age: number) => boolean): Check =>
  withHeaderRule("Episodes", "REC", (row, header) => {
    const age = ageAt(header, row, "DEC");
    return reasons.includes(cell(row, "REC")) && age !== undefined && fails(age);
  });
/** A provider code that cannot go with these placements. */
const providerNotWith = (code: string, types: readonly string[]): Check =>
  rowRule(
    "Episodes",
    "PLACE_PROVIDER",
    (row) => provider(row) === code && types.includes(place(row)),
  );

const adoption = ["A3", "A4", "A5", "A6"];
const fostering = ["U1", "U2", "U3", "U4", "U5", "U6"];

/** A UK postcode's shape (the outward and inward codes); the space is optional. */
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;

export const episodeChecks: Record<string, Check> = {
  "141": dateRule("Episodes", "DECOM", false),
  "143": codeRule("Episodes", "RNE", codes(reasonsForNewEpisode), false),
  "144": codeRule("Episodes", "LS", codes(legalStatuses), false),
  // The 903's categories of need are N1 to N8 (the CIN census adds N9 and N0).
  "145": codeRule(
    "Episodes",
    "CIN",
    codes(primaryNeeds).filter((c) => /^N[1-8]$/.test(c)),
    false,
  ),
  "146": codeRule("Episodes", "PLACE", codes(placementTypes), false),
  "147": dateRule("Episodes", "DEC", true),
  "148": rowRule(
    "Episodes",
    "DEC",
    (row) => (cell(row, "DEC") === "") !== (cell(row, "REC") === ""),
  ),
  "149": codeRule("Episodes", "REC", codes(reasonsEpisodeCeased), true),
  "178": codeRule("Episodes", "PLACE_PROVIDER", codes(placementProviders), true),
  "1009": codeRule("Episodes", "REASON_PLACE_CHANGE", reasonsPlaceChange, true),
  "213": rowRule("Episodes", "PLACE_PROVIDER", (row) => temporary(row) && provider(row) !== ""),
  "217": rowRule(
    "Episodes",
    "RNE",
    (row) => ["A3", "A5"].includes(place(row)) && !["S", "T", "U"].includes(cell(row, "RNE")),
  ),
  "226": rowRule(
    "Episodes",
    "REASON_PLACE_CHANGE",
    (row) => temporary(row) && cell(row, "REASON_PLACE_CHANGE") !== "",
  ),
  "302": withHeaderRule("Episodes", "DECOM", (row, header) => {
    const dob = dateOf(header, "DOB");
    const start = dateOf(row, "DECOM");
    return dob !== undefined && start !== undefined && start < dob;
  }),
  "352": withHeaderRule("Episodes", "DECOM", (row, header) => {
    const age = ageAt(header, row, "DECOM");
    return cell(row, "RNE") === "S" && age !== undefined && age >= 18;
  }),
  "353": rowRule("Episodes", "DECOM", (row) => (dateOf(row, "DECOM") ?? "9999") < "1991-10-14"),
  "354": rowRule("Episodes", "DECOM", (row, ctx) => (dateOf(row, "DECOM") ?? "") > ctx.end),
  "355": rowRule("Episodes", "DEC", (row) => {
    const start = dateOf(row, "DECOM");
    return start !== undefined && start === dateOf(row, "DEC");
  }),
  "356": rowRule("Episodes", "DECOM", (row) => {
    const start = dateOf(row, "DECOM");
    const end = dateOf(row, "DEC");
    return start !== undefined && end !== undefined && end < start;
  }),
  "358": withHeaderRule("Episodes", "LS", (row, header) => {
    const age = ageAt(header, row, "DECOM");
    return ["J1", "J2", "J3"].includes(cell(row, "LS")) && age !== undefined && age < 10;
  }),
  "361": longerThan(["L1"], 3),
  "362": longerThan(["L2"], 21),
  "363": longerThan(["L3"], 7),
  "365": longerThan(["V3"], 17),
  "371": placedYoungerThan(["H5"], 16),
  "372": placedYoungerThan(["R5"], 10),
  "373": placedYoungerThan(["S1"], 4),
  "374": placedYoungerThan(["P3"], 14),
  "375": placedLongerThan("T1", 42),
  "376": placedLongerThan("T3", 21),
  "379": placedLongerThan("T4", 7),
  "378": rowRule("Episodes", "PLACE", (row) => place(row) === "P1" && cell(row, "LS") === "V2"),
  "380": rowRule("Episodes", "PLACE", (row) => cell(row, "RNE") === "S" && temporary(row)),
  "381": rowRule("Episodes", "PLACE", (row) => {
    const rec = cell(row, "REC");
    return rec !== "" && rec !== "X1" && temporary(row);
  }),
  "382": rowRule(
    "Episodes",
    "PLACE",
    (row) => ["V3", "V4"].includes(cell(row, "LS")) && temporary(row),
  ),
  "384": rowRule(
    "Episodes",
    "PLACE",
    (row) => ["V3", "V4"].includes(cell(row, "LS")) && ["U1", "U4"].includes(place(row)),
  ),
  "385": rowRule("Episodes", "DEC", (row, ctx) => (dateOf(row, "DEC") ?? "") > ctx.end),
  "386": ceasedAged(["E11", "E12"], (age) => age >= 18),
  "387": ceasedAged(["E5", "E6"], (age) => age < 14),
  "389": ceasedAged(["E7"], (age) => age < 16),
  "407": ceasedAged(["E45", "E46", "E47", "E48"], (age) => age >= 18),
  "460": ceasedAged(["E17"], (age) => age < 18),
  "390": rowRule(
    "Episodes",
    "REC",
    (row) => ["E11", "E12"].includes(cell(row, "REC")) && !adoption.includes(place(row)),
  ),
  "408": rowRule(
    "Episodes",
    "LS",
    (row) => ["A5", "A6"].includes(place(row)) && !["D1", "E1"].includes(cell(row, "LS")),
  ),
  "445": rowRule(
    "Episodes",
    "LS",
    (row) => cell(row, "LS") === "D1" && (dateOf(row, "DECOM") ?? "") > ACT_2002,
  ),
  "446": rowRule(
    "Episodes",
    "LS",
    (row) => cell(row, "LS") === "E1" && (dateOf(row, "DECOM") ?? "9999") < ACT_2002,
  ),
  "516": rowRule(
    "Episodes",
    "PLACE",
    (row) => ["E45", "E46"].includes(cell(row, "REC")) && !fostering.includes(place(row)),
  ),
  "392c": rowRule("Episodes", "HOME_POST", (row) =>
    ["HOME_POST", "PL_POST"].some((c) => cell(row, c) !== "" && !POSTCODE.test(cell(row, c))),
  ),
  "392d": rowRule("Episodes", "PL_POST", (row) => {
    const home = cell(row, "HOME_POST").replace(/\s/g, "").toUpperCase();
    const placed = cell(row, "PL_POST").replace(/\s/g, "").toUpperCase();
    return home !== "" && home === placed && place(row) !== "P1";
  }),
  "526": rowRule(
    "Episodes",
    "PLACE_PROVIDER",
    (row) => !temporary(row) && place(row) !== "" && provider(row) === "",
  ),
  "527": providerNotWith("PR1", ["P1", "R2", "R5"]),
  "528": providerNotWith("PR2", ["P1", "R2", "R5"]),
  "529": providerNotWith("PR3", ["P1", ...adoption, "K1", "K2", ...fostering]),
  "530": providerNotWith("PR4", ["P1"]),
  "531": providerNotWith("PR5", ["P1"]),
  "550": rowRule(
    "Episodes",
    "PLACE_PROVIDER",
    (row) => provider(row) === "PR0" && place(row) !== "P1",
  ),
};
