/**
 * Episodes rules across a child's episodes in the order they began: how each one follows the
 * one before (a period of care starts with S, each change starts the day the previous ended
 * with X1), and whether the reason for a new episode matches what changed (434 to 436: T is a
 * change of placement with the same carers, B of legal status and of placement and carers).
 */
import type { Row } from "../model.ts";
import { cell, dateOf, episodesByChild, sequenceRule, type Check } from "./engine.ts";

const CONTINUING = ["L", "P", "T", "B", "U"];
const fostering = ["U1", "U2", "U3", "U4", "U5", "U6"];
const placementOf = (row: Row) =>
  ["PLACE", "PLACE_PROVIDER", "PL_POST", "URN"]
    .map((c) => cell(row, c).replace(/\s/g, ""))
    .join("|");
const legalChanged = (a: Row, b: Row) => cell(a, "LS") !== cell(b, "LS");
const placementChanged = (a: Row, b: Row) => placementOf(a) !== placementOf(b);
/** The episode continues from the previous one (which ended with X1 the day it began). */
const continues = (row: Row, previous: Row | undefined): previous is Row =>
  previous !== undefined &&
  cell(previous, "REC") === "X1" &&
  CONTINUING.includes(cell(row, "RNE")) &&
  dateOf(previous, "DEC") === dateOf(row, "DECOM");

export const sequenceChecks: Record<string, Check> = {
  "142": sequenceRule("DEC", (row, _p, next) => next !== undefined && cell(row, "DEC") === ""),
  "501": sequenceRule("DECOM", (row, previous) => {
    const start = dateOf(row, "DECOM");
    const ended = dateOf(previous, "DEC");
    return start !== undefined && ended !== undefined && start < ended;
  }),
  "431": sequenceRule(
    "RNE",
    (row, previous) =>
      cell(row, "RNE") === "S" &&
      previous !== undefined &&
      dateOf(previous, "DEC") !== undefined &&
      dateOf(previous, "DEC") === dateOf(row, "DECOM"),
  ),
  "432": sequenceRule("RNE", (row, previous) => {
    const rec = cell(previous, "REC");
    return previous !== undefined && rec !== "" && rec !== "X1" && cell(row, "RNE") !== "S";
  }),
  "433": sequenceRule("DECOM", (row, previous) => {
    if (previous === undefined || !CONTINUING.includes(cell(row, "RNE"))) return false;
    const ended = dateOf(previous, "DEC");
    return ended !== undefined && ended !== dateOf(row, "DECOM");
  }),
  "388": sequenceRule("REC", (row, _p, next) => cell(row, "REC") === "X1" && next === undefined),
  "437": sequenceRule(
    "REC",
    (row, _p, next) => ["E2", "E15"].includes(cell(row, "REC")) && next !== undefined,
  ),
  // The first episode of the child open in the year, if it began in the year, had no episode
  // before it on the day it began, so it starts a period of care.
  "357": sequenceRule("RNE", (row, previous, _n, ctx) => {
    const start = dateOf(row, "DECOM");
    return (
      previous === undefined &&
      start !== undefined &&
      start >= ctx.start &&
      cell(row, "RNE") !== "S"
    );
  }),
  "434": sequenceRule(
    "RNE",
    (row, previous) =>
      cell(row, "RNE") === "L" &&
      continues(row, previous) &&
      (!legalChanged(row, previous) || placementChanged(row, previous)),
  ),
  "435": sequenceRule(
    "RNE",
    (row, previous) =>
      ["P", "T"].includes(cell(row, "RNE")) &&
      continues(row, previous) &&
      (legalChanged(row, previous) || !placementChanged(row, previous)),
  ),
  "436": sequenceRule(
    "RNE",
    (row, previous) =>
      ["B", "U"].includes(cell(row, "RNE")) &&
      continues(row, previous) &&
      (!legalChanged(row, previous) || !placementChanged(row, previous)),
  ),
  // Placed for adoption with the current foster carers: the episode before was a fostering one.
  "336": sequenceRule(
    "PLACE",
    (row, previous) =>
      ["A3", "A5"].includes(cell(row, "PLACE")) &&
      continues(row, previous) &&
      !fostering.includes(cell(previous, "PLACE")),
  ),
  // The category of need stays what it was when the period of care began.
  "504": (ret, _ctx, fail) => {
    for (const list of episodesByChild(ret).values()) {
      let first: Row | undefined;
      list.forEach(({ row, index }, i) => {
        const previous = list[i - 1]?.row;
        if (!continues(row, previous)) first = row;
        else if (first && cell(row, "CIN") !== cell(first, "CIN")) {
          fail("Episodes", index, "CIN", cell(row, "CIN"));
        }
      });
    }
  },
};
